"""Who may read the pages of a course: the one rule, applied before any page is served
(``wagtail_hooks.course_access``), so a new page type below a course cannot forget it.

Anonymous visitors read public courses (``CoursePage.public``: the citizen-guidance
courses) and everything below them: lessons, cmi5 units, quizzes (whose page then asks
them to log in to take the quiz). Below a course that is not public, an anonymous visitor
is sent to the login page, back here after. Logged-in people read every live page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page

from .selectors import course_containing


def course_access(page: Page, request: HttpRequest, serve_args: Any,
                  serve_kwargs: Any) -> HttpResponse | None:
    """A redirect to the login page when an anonymous visitor opens a page of a course
    that is not public; None (serve the page) otherwise."""
    if request.user.is_authenticated:
        return None
    course = course_containing(page=page)
    if course is None or course.public:
        return None
    return redirect_to_login(request.get_full_path())
