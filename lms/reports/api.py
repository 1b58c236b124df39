"""The coverage JSON API for other government systems (``/api/v1/``): the dashboard's
figures, the active targets and the people of a subtree, token-authenticated and scoped
like the dashboard — a token holder sees only their ``ManagerScope`` agency's subtree (a
superuser: everything); an agency outside it is a 404, never figures or names.

The figures come from ``dashboard.dashboard_for`` (the daily snapshots), the people from
``selectors.coverage_people_all`` (live)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates.models import CertificateType
from certificates.selectors import certificate_types
from lms.org.models import Agency, PositionCategory

from .dashboard import dashboard_for
from .models import Target
from .selectors import PEOPLE_STAGES, people_at_stage, person_stage, report_agency, report_root_of

# --- scope -------------------------------------------------------------------------------


class HasManagerScope(BasePermission):
    """Only HR managers (a ManagerScope) and superusers; others get a 403."""

    message = gettext_lazy("This account has no HR scope: ask an administrator to assign "
                           "the agency it manages.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        root = report_root_of(user=request.user)
        request.scope_root = root
        return root is not None


def _agency(request: Request) -> Agency:
    """The ``agency`` parameter's agency (default: the scope's root); a 404 outside the
    token holder's subtree, worded like an unknown code."""
    code = request.query_params.get("agency", "")
    agency = report_agency(code=code, root=request.scope_root)
    if agency is None:
        raise NotFound(_("No agency %(code)s in your scope.") % {"code": code.strip()})
    return agency


def _target(request: Request) -> Target:
    targets = Target.objects.filter(active=True).select_related("certificate_type")
    code = request.query_params.get("target", "").strip()
    target = targets.filter(code=code).first() if code else targets.first()
    if target is None:
        raise NotFound(_("No active target %(code)s.") % {"code": code} if code
                       else _("No active target yet."))
    return target


def _certificate_type(request: Request) -> CertificateType | None:
    types = certificate_types()
    code = request.query_params.get("certificate_type", "").strip()
    if not code:
        return types.first()
    certificate_type = types.filter(code=code).first()
    if certificate_type is None:
        raise NotFound(_("No certificate type %(code)s.") % {"code": code})
    return certificate_type


# --- people ------------------------------------------------------------------------------

STATUSES = PEOPLE_STAGES


# --- serializers -------------------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    certificate_type = serializers.CharField(source="certificate_type.code")
    positions = serializers.ListField(
        source="position_codes", child=serializers.CharField(),
        help_text="Codes of the position categories the target binds (all of them when it "
                  "names none): the values of a person's ``position``.")

    class Meta:
        model = Target
        fields = ["code", "name", "name_en", "certificate_type", "positions", "measure",
                  "rate", "deadline", "source"]


class TargetBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["code", "name", "rate", "deadline", "measure"]


class FiguresSerializer(serializers.Serializer):
    headcount = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    trained = serializers.IntegerField()
    certified = serializers.IntegerField()


class AgencyFiguresSerializer(serializers.Serializer):
    code = serializers.CharField(source="agency.code")
    name = serializers.CharField(source="agency.name")
    figures = FiguresSerializer()
    rate = serializers.SerializerMethodField(
        help_text="Percent of the headcount reached by the target's measure (null: nobody).")
    gap = serializers.IntegerField(help_text="People still to reach the target rate.")
    has_children = serializers.BooleanField()

    def get_rate(self, row) -> float | None:
        return None if row.rate is None else round(row.rate, 2)


class HistoryPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    rate = serializers.FloatField()


class ForecastSerializer(serializers.Serializer):
    reached = serializers.BooleanField(help_text="The rate already meets the target.")
    reach_on = serializers.DateField(allow_null=True,
                                     help_text="When the target is reached at the current "
                                               "pace (null: never at this pace, or unknown).")
    pace_per_30_days = serializers.FloatField(allow_null=True,
                                              help_text="Percentage points per 30 days.")
    on_time = serializers.BooleanField(allow_null=True,
                                       help_text="Reached on or before the deadline.")


class CoverageSerializer(serializers.Serializer):
    target = TargetBriefSerializer()
    day = serializers.DateField(allow_null=True,
                                help_text="The snapshot read (null: no snapshot yet).")
    agency = AgencyFiguresSerializer(source="root")
    children = AgencyFiguresSerializer(many=True, help_text="Ranked: highest rate first.")
    history = serializers.SerializerMethodField()
    forecast = ForecastSerializer()

    @extend_schema_field(HistoryPointSerializer(many=True))
    def get_history(self, board) -> list[dict]:
        return [{"day": day, "rate": rate} for day, rate in board.history]


class PersonSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    agency = serializers.CharField(source="agency.code", help_text="The agency's code.")
    position = serializers.ChoiceField(PositionCategory.choices)
    trained = serializers.BooleanField(source="is_trained")
    certified = serializers.BooleanField(source="is_certified")
    status = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(STATUSES))
    def get_status(self, person) -> str:
        return person_stage(person)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --- views -------------------------------------------------------------------------------

_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown one."),
    403: OpenApiResponse(ErrorSerializer, description="The token's user has no HR scope."),
}
_NOT_FOUND = {404: OpenApiResponse(
    ErrorSerializer, description="Unknown, or outside the token holder's subtree.")}
_AGENCY = OpenApiParameter(
    "agency", OpenApiTypes.STR, description="An agency code of the token holder's subtree "
    "(default: the subtree's root).")


class _ScopedView(APIView):
    permission_classes = [IsAuthenticated, HasManagerScope]


@extend_schema(
    summary="Coverage of an agency against a national target",
    description="The agency's figures (its whole subtree) from the latest daily snapshot, "
                "its child agencies ranked, the rate over the last year and the forecast.",
    parameters=[_AGENCY, OpenApiParameter(
        "target", OpenApiTypes.STR, description="An active target's code (default: the "
        "first active target).")],
    responses={200: CoverageSerializer, **_ERRORS, **_NOT_FOUND},
)
class CoverageView(_ScopedView):
    def get(self, request: Request) -> Response:
        agency = _agency(request)
        board = dashboard_for(target=_target(request), agency=agency)
        return Response(CoverageSerializer(board).data)


@extend_schema(summary="The active national targets",
               responses={200: TargetSerializer(many=True), **_ERRORS})
class TargetsView(_ScopedView):
    def get(self, request: Request) -> Response:
        targets = (Target.objects.filter(active=True).select_related("certificate_type"))
        return Response(TargetSerializer(targets, many=True).data)


class PeoplePagination(CursorPagination):
    """100 a page by person id, with an opaque cursor: no COUNT over a subtree that may
    hold two million people, and pages stay stable while people are added."""

    page_size = 100
    ordering = "pk"


@extend_schema(
    summary="The people of an agency's subtree and their stage",
    description="Live (not from the snapshot): name, agency code, position category, "
                "whether trained in and certified for a certificate type's course, and the "
                "furthest stage reached. No e-mail, user name or internal id. 100 a page, "
                "followed by the `next` link.",
    parameters=[
        _AGENCY,
        OpenApiParameter("certificate_type", OpenApiTypes.STR,
                         description="A certificate type's code (default: the first)."),
        OpenApiParameter("status", OpenApiTypes.STR, enum=list(STATUSES),
                         description="Only the people at this stage."),
    ],
    responses={200: PersonSerializer(many=True), 400: ErrorSerializer, **_ERRORS,
               **_NOT_FOUND},
)
class PeopleView(ListAPIView):
    permission_classes = [IsAuthenticated, HasManagerScope]
    serializer_class = PersonSerializer
    pagination_class = PeoplePagination

    def get_queryset(self) -> QuerySet:
        status = self.request.query_params.get("status", "").strip() or None
        if status is not None and status not in STATUSES:
            raise ParseError(_("The status is one of: %(choices)s.")
                             % {"choices": ", ".join(STATUSES)})
        return people_at_stage(root=_agency(self.request),
                                 certificate_type=_certificate_type(self.request),
                                 status=status)


def api_docs(request: HttpRequest) -> HttpResponse:
    """A short page for the integrators: where the schema is and how to authenticate."""
    return render(request, "reports/api_docs.html")
