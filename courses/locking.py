"""Lessons in order: in a sequential course a step (lesson, exam, cmi5 unit) opens once every
required step before it is done. The rule itself is computed with the course outline
(``selectors.steps_lock``, from the outline's one progress query); this module answers it
for a single page, whatever page a request reaches."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page

from lms.org.models import User

from .models import CoursePage, LessonPage
from .selectors import OutlineItem, course_outline, sequence_applies


def _course_step(page: Page) -> tuple[CoursePage, Page] | None:
    """The course above ``page`` and the outline step that holds it: the page itself, or
    its lesson for a practice quiz under a lesson (it opens with its lesson)."""
    parent = page.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    if isinstance(parent, CoursePage):
        return parent, page
    if isinstance(parent, LessonPage):
        course = parent.get_parent().specific
        if isinstance(course, CoursePage):
            return course, parent
    return None


def step_waiting_for(*, page: Page, user: User | AnonymousUser) -> OutlineItem | None:
    """The step ``user`` must finish before ``page`` opens, or None when it is open (a page
    outside a course, a non-sequential course, an anonymous reader, a superuser, a page
    that is not live, the step itself done or next)."""
    found = _course_step(page)
    if found is None:
        return None
    course, step = found
    if not sequence_applies(course=course, user=user):
        return None
    outline = course_outline(course=course, user=user)
    item = next((i for i in outline.items if i.page.pk == step.pk), None)
    return item.waiting_for if item is not None else None


def step_locked(*, page: Page, user: User | AnonymousUser) -> bool:
    return step_waiting_for(page=page, user=user) is not None
