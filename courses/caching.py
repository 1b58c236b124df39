"""What may be cached of the pages a citizen reads without an account.

The community teams' offline app keeps /public/ and the public courses' pages in its
service worker, and a shared cache may keep them too: for an anonymous visitor these
pages are the same for everybody (no personal data, no CSRF token in their forms), so
they are sent ``Cache-Control: public, max-age=300``. For a logged-in person the same
address shows their progress: ``private``. ``Vary: Cookie`` (``lms.middleware``) stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control

SHARED_MAX_AGE = 300  # seconds

# ``{% csrf_token %}`` renders nothing for this value (Django's CsrfTokenNode).
NO_CSRF_TOKEN = "NOTPROVIDED"


def shareable(request: HttpRequest) -> bool:
    """An anonymous GET with nothing personal to show (no pending message)."""
    return (request.method in ("GET", "HEAD") and not request.user.is_authenticated
            and not len(get_messages(request)))


def anonymous_context(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """The template context of a shareable page: the header's language form gets no
    token in the HTML (``courses/csrf-from-cookie.js`` adds the cookie's on submit), and
    the visitor gets the CSRF cookie if they have none yet."""
    if shareable(request):
        if settings.CSRF_COOKIE_NAME not in request.COOKIES:
            get_token(request)
        context["csrf_token"] = NO_CSRF_TOKEN
        context["csrf_from_cookie"] = settings.CSRF_COOKIE_NAME
    return context


def cache_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Public for 5 minutes to anonymous visitors, private to logged-in people."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    elif shareable(request) and response.status_code == 200:
        patch_cache_control(response, public=True, max_age=SHARED_MAX_AGE)
    return response


class SharedWhenAnonymous:
    """Mixin of the page types a citizen may read (course, lesson): the same HTML for every
    anonymous visitor, cacheable. Who may read a page at all is decided before ``serve``
    (``courses.access``)."""

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)  # type: ignore[misc]
        return anonymous_context(request, context)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        return cache_headers(request, response)
