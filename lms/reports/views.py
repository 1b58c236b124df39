"""The HR coverage page and its CSV exports, scoped to the manager's agency subtree."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import CertificateType
from certificates.selectors import certificate_types
from lms.org.models import Agency

from .exports import csv_value
from .selectors import (
    agency_trail,
    coverage_for,
    coverage_people,
    coverage_people_all,
    report_agency,
    report_root_of,
)


@dataclass(frozen=True)
class Scope:
    root: Agency
    agency: Agency
    certificate_type: CertificateType | None
    types: list[CertificateType]


def scoped_agency(request: HttpRequest) -> tuple[Agency, Agency] | HttpResponse:
    """(the manager's root, the agency asked for by ``?agency=``, default the root), or the
    page that says why not: no HR scope (403), an agency outside it (404). Every HR report
    page and download resolves its agency here."""
    root = report_root_of(user=request.user)
    if root is None:
        return render(request, "reports/no_scope.html", status=403)
    code = request.GET.get("agency", "")
    agency = report_agency(code=code, root=root)
    if agency is None:
        return render(request, "reports/outside_scope.html", {"code": code, "root": root},
                      status=404)
    return root, agency


def _scope(request: HttpRequest) -> Scope | HttpResponse:
    resolved = scoped_agency(request)
    if isinstance(resolved, HttpResponse):
        return resolved
    root, agency = resolved
    types = list(certificate_types())
    wanted = request.GET.get("type", "").strip()
    certificate_type = next((t for t in types if t.code == wanted), None) if wanted else None
    if certificate_type is None and types:
        certificate_type = types[0]
    return Scope(root=root, agency=agency, certificate_type=certificate_type, types=types)


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if isinstance(scope, HttpResponse):
        return scope
    return render(request, "reports/coverage.html", {
        "scope": scope,
        "coverage": coverage_for(root=scope.agency, certificate_type=scope.certificate_type),
        "people": coverage_people(root=scope.agency, certificate_type=scope.certificate_type,
                                  page=request.GET.get("page", 1)),
        "breadcrumbs": agency_trail(agency=scope.agency, root=scope.root),
    })


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


@login_required
def coverage_csv(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if isinstance(scope, HttpResponse):
        return scope
    writer = csv.writer(_Echo())
    table = request.GET.get("table", "agencies")
    if table == "people":
        header = [_("Full name"), _("Agency code"), _("Agency"), _("Position category"),
                  _("Trained"), _("Certified")]
        people = coverage_people_all(root=scope.agency, certificate_type=scope.certificate_type)
        body = ([p.full_name, p.agency.code, p.agency.name, p.get_position_display(),
                 int(p.is_trained), int(p.is_certified)] for p in people.iterator(chunk_size=2000))
    else:
        header = [_("Agency code"), _("Agency"), _("Headcount"), _("Trained"),
                  _("Trained (%)"), _("Certified"), _("Certified (%)")]
        data = coverage_for(root=scope.agency, certificate_type=scope.certificate_type)
        body = ([r.agency.code, r.agency.name, r.headcount, r.trained, _rate(r.trained_rate),
                 r.certified, _rate(r.certified_rate)] for r in [data.root, *data.children])

    def rows():
        yield "\ufeff"  # so that spreadsheet programs read the Vietnamese letters as UTF-8
        yield writer.writerow(header)
        for line in body:
            yield writer.writerow([csv_value(value) for value in line])

    filename = f"hocso-{table}-{scope.agency.code}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
