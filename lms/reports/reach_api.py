"""``GET /api/v1/reach/``: the community digital teams' reach of an agency's subtree, as on
the dashboard and in the exports (``reach.reach_for``), scoped like the coverage API. No
citizen's data: a visit names no citizen, follow-up phone numbers are never read."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from .api import _AGENCY, _ERRORS, _NOT_FOUND, ErrorSerializer, _agency, _ScopedView
from .reach import reach_for
from .reach_views import reach_dates


class ReachTotalsSerializer(serializers.Serializer):
    visits = serializers.IntegerField(help_text="Guidance visits in the period.")
    citizens = serializers.IntegerField(help_text="Citizens guided in those visits.")
    teams_active = serializers.IntegerField(
        help_text="Distinct teams with at least one visit in the period.")
    teams = serializers.IntegerField(help_text="Active teams of the subtree (today).")
    communes_reached = serializers.IntegerField(
        help_text="Distinct communes with at least one visit in the period.")


class ServiceReachSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The service's code.")
    label = serializers.CharField()
    visits = serializers.IntegerField(
        help_text="Visits that mention the service: a visit for several services counts "
                  "in each of their rows (the totals count it once).")
    citizens = serializers.IntegerField(help_text="Citizens guided in those visits.")


class MonthReachSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    visits = serializers.IntegerField()
    citizens = serializers.IntegerField()


class ChildReachSerializer(serializers.Serializer):
    code = serializers.CharField(source="agency.code")
    name = serializers.CharField(source="agency.name")
    visits = serializers.IntegerField()
    citizens = serializers.IntegerField()
    teams_active = serializers.IntegerField()
    teams = serializers.IntegerField()
    has_children = serializers.BooleanField()


class ReachSerializer(serializers.Serializer):
    code = serializers.CharField(source="root.code", help_text="The agency's code.")
    name = serializers.CharField(source="root.name")
    start = serializers.DateField(help_text="First day of the period (included).")
    end = serializers.DateField(help_text="Last day of the period (included).")
    totals = ReachTotalsSerializer()
    by_service = ServiceReachSerializer(many=True, help_text="Every service, in a fixed order.")
    by_month = MonthReachSerializer(many=True,
                                    help_text="Every month of the period, oldest first, "
                                              "months without visits included.")
    children = ChildReachSerializer(
        many=True, help_text="The child agencies with a team or a visit in their subtree: "
                             "their visits and citizens add up to the totals.")


_DATE = "A day, YYYY-MM-DD (included)."


@extend_schema(
    summary="Reach of the community digital teams of an agency",
    description="Guidance visits and citizens guided in the agency's whole subtree over a "
                "period: totals, by service, by month, and for each child agency. Each "
                "visit counts once at every level. Default period: the last 12 whole "
                "months and the current month. No citizen's data.",
    parameters=[
        _AGENCY,
        OpenApiParameter("from", OpenApiTypes.DATE, description=f"{_DATE} Default: the "
                         "first day of the month 12 months before the end's month."),
        OpenApiParameter("to", OpenApiTypes.DATE, description=f"{_DATE} Default: today."),
    ],
    responses={200: ReachSerializer,
               400: OpenApiResponse(ErrorSerializer,
                                    description="A date that is not YYYY-MM-DD, or `from` "
                                                "after `to`."),
               **_ERRORS, **_NOT_FOUND},
)
class ReachView(_ScopedView):
    def get(self, request: Request) -> Response:
        agency = _agency(request)
        try:
            start, end = reach_dates(request.query_params)
        except ValueError:
            raise ParseError(_("The dates are YYYY-MM-DD, “from” before “to”.")) from None
        return Response(ReachSerializer(reach_for(root=agency, start=start, end=end)).data)
