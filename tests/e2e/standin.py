"""A minimal stand-in for the community pages and API (the contract in
lms/community/README.md), used by the browser tests only while the real ones are absent."""

from __future__ import annotations

import json
import uuid
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import include, path
from django.utils.dateparse import parse_datetime

from lms import urls as site_urls
from lms.community.models import Outcome, Service, Team, Visit

PAGE = """{% extends "base.html" %}{% load static %}
{% block head %}<link rel="manifest" href="{% url 'pwa:manifest' %}">{% endblock %}
{% block content %}{% if form %}
<form id="visit-form" method="post" novalidate data-api="{% url 'community:api_visits' %}"
 data-session="{% url 'community:api_session' %}" data-home="{% url 'community:home' %}">
<div class="form-errors" id="error-__all__" data-error-for="__all__"></div>
<input type="hidden" name="id"><input type="hidden" name="recorded_at">
<select name="team">{% for team in teams %}<option value="{{ team.pk }}">{{ team }}</option>{% endfor %}</select><p class="field-error" data-error-for="team"></p>
<input type="date" name="visited_on" value="{{ today }}"><p class="field-error" data-error-for="visited_on"></p>
<input type="text" name="place"><p class="field-error" data-error-for="place"></p>
{% for code, label in services %}<label><input type="checkbox" name="services" value="{{ code }}">{{ label }}</label>{% endfor %}<p class="field-error" data-error-for="services"></p>
<input type="number" name="citizens" min="1"><p class="field-error" data-error-for="citizens"></p>
<select name="outcome">{% for code, label in outcomes %}<option value="{{ code }}">{{ label }}</option>{% endfor %}</select><p class="field-error" data-error-for="outcome"></p>
<textarea name="note"></textarea><p class="field-error" data-error-for="note"></p>
<input type="checkbox" name="consent" value="1"><p class="field-error" data-error-for="consent"></p>
<input type="tel" name="phone"><p class="field-error" data-error-for="phone"></p>
<button type="submit" id="visit-submit">Save</button></form>
{% else %}<section id="outbox" aria-live="polite" hidden></section>{% endif %}{% endblock %}
{% block scripts %}<script src="{% static 'community/offline.js' %}" defer></script>{% endblock %}"""


def _page(request, form):
    template = engines["django"].from_string(PAGE)
    teams = Team.objects.filter(members__user=request.user)
    return template.render({"form": form, "teams": teams, "today": date.today().isoformat(),
                            "services": Service.choices, "outcomes": Outcome.choices},
                           request)


@login_required
def home(request):
    from django.http import HttpResponse
    return HttpResponse(_page(request, False))


@login_required
def visit_new(request):
    from django.http import HttpResponse
    return HttpResponse(_page(request, True))


def api_session(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Log in."}, status=401)
    return JsonResponse({"csrf_token": get_token(request), "user": request.user.username,
                         "teams": []})


def api_visits(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Log in."}, status=401)
    data = json.loads(request.body)
    errors = {}
    unknown = [s for s in data.get("services", []) if s not in Service.values]
    if unknown or not data.get("services"):
        errors["services"] = [f"Unknown service: {s}" for s in unknown] or ["Choose one."]
    if not isinstance(data.get("citizens"), int) or data["citizens"] < 1:
        errors["citizens"] = ["Enter at least 1 citizen."]
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    if Visit.objects.filter(pk=uuid.UUID(data["id"])).exists():
        return JsonResponse({"id": data["id"], "status": "duplicate"})
    team = Team.objects.get(pk=data["team"], members__user=request.user)
    Visit.objects.create(id=data["id"], team=team, member=request.user,
                         commune=team.commune, visited_on=data["visited_on"],
                         place=data["place"], services=data["services"],
                         citizens=data["citizens"], outcome=data["outcome"],
                         note=data.get("note", ""),
                         recorded_at=parse_datetime(data["recorded_at"]))
    return JsonResponse({"id": data["id"], "status": "created"}, status=201)


community = ([path("community/", home, name="home"),
              path("community/visits/new/", visit_new, name="visit_new"),
              path("community/api/session/", api_session, name="api_session"),
              path("community/api/visits/", api_visits, name="api_visits")], "community")
urlpatterns = [path("", include(community)), *site_urls.urlpatterns]
