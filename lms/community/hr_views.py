"""The HR pages of community digital teams (``/hr/teams/``), always within the manager's
agency subtree: a team of another subtree is a 404, like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.org.models import Agency
from lms.org.selectors import manager_root_of

from .forms import TeamForm
from .models import Team
from .selectors import communes_in_scope, team_in_scope, teams_in_scope
from .services import team_create, team_update
from .validation import local_today


def _root(request: HttpRequest) -> Agency | HttpResponse:
    root = manager_root_of(user=request.user)
    if root is None:
        return render(request, "community/hr_no_scope.html", status=403)
    return root


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    month = local_today()
    teams = list(teams_in_scope(root=root, month=month))
    return render(request, "community/hr_list.html", {
        "root": root, "month": month,
        "active": [team for team in teams if team.active],
        "inactive": [team for team in teams if not team.active]})


def _form_page(request: HttpRequest, root: Agency, team: Team | None) -> HttpResponse:
    commune = None
    if team is None and request.GET.get("commune", "").isdigit():
        commune = communes_in_scope(root=root).filter(pk=request.GET["commune"]).first()
    form = TeamForm(request.POST or None, root=root, instance=team, commune=commune)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if team is None:
                team = team_create(name=data["name"], commune=data["commune"],
                                   leader=data["leader"], members=data["members"],
                                   by=request.user)
                messages.success(request, _("Team created."))
            else:
                team_update(team=team, name=data["name"], commune=data["commune"],
                            leader=data["leader"], members=data["members"],
                            active=data["active"], by=request.user)
                messages.success(request, _("Team saved."))
            return redirect("community:hr_teams")
        except ValidationError as invalid:
            for field, problems in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
    return render(request, "community/hr_form.html", {"form": form, "team": team,
                                                      "root": root})


@login_required
def team_new(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    return _form_page(request, root, None)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    team = team_in_scope(pk=pk, root=root)
    if team is None:
        raise Http404(_("No such team among the agencies you manage."))
    return _form_page(request, root, team)
