"""Low-data mode, for learners on a weak or metered mobile link: lesson videos give way to
their transcripts, images to small renditions. The learner switches it with a button (a POST
to ``low_data_set``) or a link with ``?lowdata=1`` / ``?lowdata=0``; the choice is kept in a
cookie for a year, for anonymous readers too. Templates see it as ``low_data``."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

COOKIE = "lowdata"
PARAMETER = "lowdata"
COOKIE_AGE = 365 * 24 * 60 * 60
_CHOICES = {"1": True, "0": False}


def low_data_cookie(response: HttpResponse, *, on: bool) -> HttpResponse:
    """Keep the learner's choice on ``response`` (a year; removed when switched off)."""
    if on:
        response.set_cookie(COOKIE, "1", max_age=COOKIE_AGE, samesite="Lax")
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response


class LowDataMiddleware:
    """Sets ``request.low_data`` from ``?lowdata=`` (and keeps that choice in the cookie),
    else from the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = _CHOICES.get(request.GET.get(PARAMETER, ""))
        request.low_data = chosen if chosen is not None else request.COOKIES.get(COOKIE) == "1"
        response = self.get_response(request)
        if chosen is not None:
            low_data_cookie(response, on=chosen)
        patch_vary_headers(response, ("Cookie",))
        return response


def low_data(request: HttpRequest) -> dict[str, bool]:
    """Context processor: ``low_data`` in every template."""
    return {"low_data": bool(getattr(request, "low_data", False))}


@csrf_exempt  # a display preference of this browser, like the language: no token needed
@require_POST
def low_data_set(request: HttpRequest) -> HttpResponse:
    """The "Low data mode: on/off" button: field ``lowdata`` (1 or 0), back to ``next``."""
    on = request.POST.get(PARAMETER) == "1"
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    return low_data_cookie(redirect(next_url), on=on)
