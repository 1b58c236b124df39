"""Downloads of the coverage tables (XLSX and CSV), for an agency of the manager's subtree
only: the scope is resolved exactly as on the HR pages (``views._scope``), an agency
outside it is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from lms.tables import csv_lines, csv_response, xlsx_response

from .dashboard import dashboard_for
from .exports import dashboard_table, people_table
from .models import Target
from .selectors import people_at_stage
from .views import Scope, _scope


def _filename(kind: str, scope: Scope, suffix: str, extension: str) -> str:
    parts = ["hocso", kind, scope.agency.code, suffix, f"{timezone.localdate():%Y%m%d}"]
    return "-".join(part for part in parts if part) + f".{extension}"


def _dashboard_export(request: HttpRequest, extension: str) -> HttpResponse:
    scope = _scope(request)
    if isinstance(scope, HttpResponse):
        return scope
    targets = Target.objects.filter(active=True).select_related("certificate_type")
    wanted = request.GET.get("target", "").strip()
    target = (targets.filter(code=wanted) if wanted else targets).first()
    if target is None:
        raise Http404
    board = dashboard_for(target=target, agency=scope.agency)
    table = dashboard_table(board)
    filename = _filename("dashboard", scope, target.code, extension)
    if extension == "csv":
        return csv_response(csv_lines(table), filename=filename)
    return xlsx_response([table], filename=filename,
                         title=f"{target.name} — {scope.agency.name} — {board.day or ''}")


def _people_export(request: HttpRequest, extension: str) -> HttpResponse:
    scope = _scope(request)
    if isinstance(scope, HttpResponse):
        return scope
    status = request.GET.get("status", "").strip()
    people = people_at_stage(root=scope.agency, certificate_type=scope.certificate_type,
                             status=status)
    table = people_table(people)
    type_code = scope.certificate_type.code if scope.certificate_type else ""
    filename = _filename("people", scope, "-".join(p for p in (type_code, status) if p),
                         extension)
    if extension == "csv":
        return csv_response(csv_lines(table), filename=filename)
    return xlsx_response([table], filename=filename, title=scope.agency.name)


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    return _dashboard_export(request, "xlsx")


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    return _dashboard_export(request, "csv")


@login_required
def people_xlsx(request: HttpRequest) -> HttpResponse:
    return _people_export(request, "xlsx")


@login_required
def people_csv(request: HttpRequest) -> HttpResponse:
    return _people_export(request, "csv")
