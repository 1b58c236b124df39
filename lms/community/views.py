"""The member's pages: home (their teams' reach, their last visits) and the visit form,
which works without JavaScript (the offline script takes it over when it can)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Outcome, Service
from .selectors import team_figures, teams_of_member, visits_of_member
from .services import VisitInvalid, visit_record
from .validation import CONSENT_TEXT, local_today

HOME_VISITS = 10
FORM_FIELDS = ("id", "recorded_at", "team", "visited_on", "place", "citizens", "outcome",
               "note", "consent", "phone")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = local_today()
    teams = [{"team": team, "figures": team_figures(team=team, month=today)}
             for team in teams_of_member(user=request.user)]
    labels = dict(Service.choices)
    visits = [{"visit": visit, "services": [labels.get(code, code) for code in visit.services]}
              for visit in visits_of_member(user=request.user, limit=HOME_VISITS)]
    return render(request, "community/home.html", {"teams": teams, "visits": visits,
                                                   "month": today})


def _form_page(request: HttpRequest, *, values: dict[str, Any],
               errors: dict[str, list[str]] | None = None, status: int = 200) -> HttpResponse:
    errors = errors or {}
    return render(request, "community/visit_form.html", {
        "teams": teams_of_member(user=request.user), "values": values,
        "errors": errors, "form_errors": errors.get("__all__", []),
        "services": Service.choices, "outcomes": Outcome.choices,
        "consent_text": CONSENT_TEXT, "today": local_today().isoformat(),
    }, status=status)


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        teams = teams_of_member(user=request.user)
        values = {"visited_on": local_today().isoformat(), "services": [],
                  "team": str(teams[0].pk) if len(teams) == 1 else ""}
        return _form_page(request, values=values)
    values: dict[str, Any] = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    values["services"] = request.POST.getlist("services")
    data = dict(values)
    # a plain POST (no script) has no device id: one made here, the time is the server's
    data["id"] = data["id"] or str(uuid.uuid4())
    try:
        visit, created = visit_record(user=request.user, data=data)
    except VisitInvalid as invalid:
        return _form_page(request, values=values, errors=invalid.errors, status=invalid.status)
    if created:
        messages.success(request, ngettext("Visit recorded: %(count)d citizen guided.",
                                           "Visit recorded: %(count)d citizens guided.",
                                           visit.citizens) % {"count": visit.citizens})
    else:
        messages.info(request, _("This visit was already recorded."))
    return redirect("community:home")
