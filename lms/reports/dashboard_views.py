"""The coverage dashboard: an agency of the manager's subtree against a national target."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lms.assignments.selectors import assignments_totals
from lms.org.models import Agency

from .dashboard import dashboard_for, people_behind
from .models import Target
from .reach import Reach, reach_for
from .reach_views import reach_dates
from .selectors import agency_trail
from .views import scoped_agency


def _epoch(day: datetime.date) -> int:
    return int(datetime.datetime.combine(day, datetime.time(12)).timestamp())


def _reach(request: HttpRequest, agency: Agency) -> Reach:
    """The community teams' reach of the unit; a period given by ``from``/``to`` when both
    are valid, the default period otherwise."""
    try:
        start, end = reach_dates(request.GET)
    except ValueError:
        start = end = None
    return reach_for(root=agency, start=start, end=end)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    resolved = scoped_agency(request)
    if isinstance(resolved, HttpResponse):
        return resolved
    root, agency = resolved
    targets = list(Target.objects.filter(active=True).select_related("certificate_type"))
    wanted = request.GET.get("target", "").strip()
    target = next((t for t in targets if t.code == wanted), targets[0] if targets else None)
    context = {"root": root, "agency": agency, "targets": targets, "target": target,
               "breadcrumbs": agency_trail(agency=agency, root=root),
               "assignments": assignments_totals(root=agency),
               "reach": _reach(request, agency)}
    if target is not None:
        board = dashboard_for(target=target, agency=agency)
        context["board"] = board
        context["behind"] = people_behind(target=target, agency=agency,
                                          after=request.GET.get("after"))
        context["chart"] = {
            "days": [_epoch(day) for day, _ in board.history],
            "rates": [rate for _, rate in board.history],
            "target": target.rate,
        }
    return render(request, "reports/dashboard.html", context)
