"""Keep each course's completion rule in step with its pages as editors change them; refuse
anonymous visitors the pages of courses that are not public (``access``); hold back the
steps of a sequential course that the learner cannot open yet."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from wagtail import hooks
from wagtail.models import Page

from .access import course_access
from .models import CoursePage
from .services import course_requirements_sync
from .views import locked_step_redirect


def _sync_course_of(page: Page) -> None:
    page = page.specific
    if isinstance(page, CoursePage):
        course_requirements_sync(course=page)
        return
    parent = page.get_parent()
    if parent is not None and isinstance(parent.specific, CoursePage):
        course_requirements_sync(course=parent.specific)


@hooks.register("after_publish_page")
@hooks.register("after_unpublish_page")
@hooks.register("after_move_page")
@hooks.register("after_create_page")
def sync_after_change(request: HttpRequest, page: Page) -> None:
    _sync_course_of(page)


@hooks.register("after_delete_page")
def sync_after_delete(request: HttpRequest, page: Page) -> None:
    parent = Page.objects.filter(path=page.path[: -Page.steplen]).first()
    if parent is not None and isinstance(parent.specific, CoursePage):
        course_requirements_sync(course=parent.specific)


# Before every page is served, whatever its type: anonymous visitors read public courses only.
hooks.register("before_serve_page", course_access)


@hooks.register("before_serve_page")
def sequential_lock(page: Page, request: HttpRequest, serve_args: Any,
                    serve_kwargs: Any) -> HttpResponse | None:
    """A step of a sequential course opened by its address before its turn: back to the
    course page (previews are not served through here: editors see every step)."""
    return locked_step_redirect(request, page)
