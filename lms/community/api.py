"""The JSON API of the offline web app (the contract in lms/community/README.md): plain
Django views, session authentication, CSRF checked on POST, 401 JSON (never a redirect)
when not logged in, never cached, and never a phone number in an answer."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .selectors import teams_of_member
from .services import VisitInvalid, visit_record


def _json(payload: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    add_never_cache_headers(response)
    return response


def _anonymous() -> JsonResponse:
    return _json({"detail": _("You are not logged in: log in again to send your records.")},
                 status=401)


def _csrf_refused(request: HttpRequest) -> bool:
    """The CSRF check of Django's middleware, run after the login check (so that a logged
    out device gets its 401, not a CSRF page)."""
    checker = CsrfViewMiddleware(lambda _request: HttpResponse())
    return checker.process_view(request, None, (), {}) is not None


@require_GET
def session(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _anonymous()
    teams = [{"id": team.pk, "name": team.name, "commune": team.commune.name}
             for team in teams_of_member(user=request.user)]
    return _json({"csrf_token": get_token(request), "user": request.user.get_username(),
                  "teams": teams})


@csrf_exempt  # checked below, once the user is known to be logged in
@require_POST
def visits(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _anonymous()
    if _csrf_refused(request):
        return _json({"errors": {"__all__": [
            _("The security token is missing or out of date: reload the page.")]}},
            status=403)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        return _json({"errors": {"__all__": [_("The record is not valid JSON.")]}},
                     status=400)
    try:
        visit, created = visit_record(user=request.user, data=data)
    except VisitInvalid as invalid:
        return _json({"errors": invalid.errors}, status=invalid.status)
    return _json({"id": str(visit.pk), "status": "created" if created else "duplicate"},
                 status=201 if created else 200)
