"""Downloads of the community teams' reach (``/hr/reach.xlsx``, ``/hr/reach.csv``) for an
agency of the manager's subtree (404 outside it): totals, by service, by month and the
units below, from ``reach.reach_for``, written by ``lms.tables``. No citizen's data: a
visit names no citizen, and follow-up phone numbers are never read."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.tables import Table, csv_lines, csv_response, xlsx_response

from .reach import Reach, reach_for, reach_period
from .views import scoped_agency


def reach_dates(params: Any) -> tuple[datetime.date | None, datetime.date | None]:
    """The ``from`` and ``to`` parameters (YYYY-MM-DD, each optional) as dates; a
    ValueError when one is not a date or ``from`` is after ``to``."""
    start, end = (params.get(name, "").strip() for name in ("from", "to"))
    start_day = datetime.date.fromisoformat(start) if start else None
    end_day = datetime.date.fromisoformat(end) if end else None
    reach_period(start=start_day, end=end_day)  # from after to (or after today): an error
    return start_day, end_day


def reach_tables(reach: Reach) -> list[Table]:
    """The reach as four tables: totals, by service, by month, the units below."""
    totals = reach.totals
    summary = [
        [_("Agency code"), reach.root.code], [_("Agency"), reach.root.name],
        [_("From"), reach.start], [_("To"), reach.end],
        [_("Guidance visits"), totals.visits], [_("Citizens guided"), totals.citizens],
        [_("Teams with a visit in the period"), totals.teams_active],
        [_("Active teams"), totals.teams], [_("Communes reached"), totals.communes_reached],
    ]
    return [
        Table(title=_("Totals"), header=[_("Figure"), _("Value")], rows=summary),
        Table(title=_("By service"),
              header=[_("Service code"), _("Service"),
                      _("Visits (a visit for several services counts in each; the totals "
                        "count it once)"),
                      _("Citizens guided in those visits")],
              rows=[[row.code, row.label, row.visits, row.citizens]
                    for row in reach.by_service]),
        Table(title=_("By month"), header=[_("Month"), _("Guidance visits"),
                                            _("Citizens guided")],
              rows=[[row.month, row.visits, row.citizens] for row in reach.by_month]),
        Table(title=_("Units below"),
              header=[_("Agency code"), _("Agency"), _("Guidance visits"),
                      _("Citizens guided"), _("Teams with a visit in the period"),
                      _("Active teams")],
              rows=[[row.agency.code, row.agency.name, row.visits, row.citizens,
                     row.teams_active, row.teams] for row in reach.children]),
    ]


def reach_csv_lines(tables: list[Table]) -> Iterator[str]:
    """The tables one after the other in one CSV: for each, its title on a line, its
    header, its rows, then an empty line; one byte-order mark at the very start."""
    yield "\ufeff"
    for index, table in enumerate(tables):
        if index:
            yield "\r\n"
        lines = csv_lines(Table(title=table.title, header=[table.title],
                                rows=[table.header, *table.rows]))
        next(lines)  # the byte-order mark, already written
        yield from lines


def _export(request: HttpRequest, extension: str) -> HttpResponse:
    resolved = scoped_agency(request)
    if isinstance(resolved, HttpResponse):
        return resolved
    _root, agency = resolved
    try:
        start, end = reach_dates(request.GET)
    except ValueError:
        return HttpResponseBadRequest(_("The dates are YYYY-MM-DD, “from” before “to”."))
    reach = reach_for(root=agency, start=start, end=end)
    tables = reach_tables(reach)
    filename = (f"hocso-reach-{agency.code}-{reach.start:%Y%m%d}-{reach.end:%Y%m%d}-"
                f"{timezone.localdate():%Y%m%d}.{extension}")
    if extension == "csv":
        return csv_response(reach_csv_lines(tables), filename=filename)
    return xlsx_response(tables, filename=filename,
                         title=f"{_('Community digital teams')} — {agency.name}")


@login_required
def reach_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@login_required
def reach_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")
