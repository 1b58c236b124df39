"""What may be cached of the pages a citizen reads without an account.

The community teams' offline app keeps /public/ and the public courses' pages in its
service worker, and a shared cache may keep them too: for an anonymous visitor these
pages are the same for everybody (no personal data; their only forms, the language and
low-data switches, need no CSRF token: ``lms.urls``, ``lms.lowdata``), so
they are sent ``Cache-Control: public, max-age=300``. For a logged-in person the same
address shows their progress: ``private``. ``Vary: Cookie`` (``lms.middleware``) stays.
"""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

SHARED_MAX_AGE = 300  # seconds


def shareable(request: HttpRequest) -> bool:
    """An anonymous GET with nothing personal to show (no pending message)."""
    return (request.method in ("GET", "HEAD") and not request.user.is_authenticated
            and not len(get_messages(request)))


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

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        return cache_headers(request, response)
