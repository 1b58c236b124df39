"""Keep each course's completion rule in step with its pages as editors change them; refuse
anonymous visitors the pages of courses that are not public (``access``)."""

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from .access import course_access
from .models import CoursePage
from .services import course_requirements_sync


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
