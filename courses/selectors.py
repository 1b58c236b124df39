"""Reads for the catalogue, course outlines and a learner's own learning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page

from lms.org.models import User
from lms.records import selectors as records

from .models import CatalogPage, CoursePage, LessonPage


@dataclass
class OutlineItem:
    page: Page
    activity_id: str
    rule: str
    done: bool = False
    is_quiz: bool = False


@dataclass
class Outline:
    course: CoursePage
    items: list[OutlineItem] = field(default_factory=list)
    enrolled: bool = False
    completed: bool = False

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return round(100 * self.done_count / len(self.items)) if self.items else 0

    @property
    def next_item(self) -> OutlineItem | None:
        """Where the learner resumes: the first step not yet done."""
        return next((item for item in self.items if not item.done), None)

    @property
    def minutes_left(self) -> int:
        return sum(getattr(item.page, "estimated_minutes", 0) or 0
                   for item in self.items if not item.done)


def course_steps(*, course: CoursePage) -> list[Page]:
    """The live pages a learner goes through, in order (lessons, then the quiz)."""
    return [
        page for page in course.get_children().live().specific()
        if hasattr(page, "course_requirement")
    ]


def course_outline(*, course: CoursePage, user: User | AnonymousUser) -> Outline:
    steps = course_steps(course=course)
    outline = Outline(course=course)
    requirement_ids = [step.course_requirement()[0] for step in steps]
    progress = records.progress_map(user=user, activity_ids=[*requirement_ids,
                                                             course.activity_id])
    outline.enrolled = records.registration_for(user=user,
                                                activity_id=course.activity_id) is not None
    course_row = progress.get(course.activity_id)
    outline.completed = bool(course_row and course_row.completed)
    for step in steps:
        activity_id, rule = step.course_requirement()
        row = progress.get(activity_id)
        done = bool(row and (row.success if rule == "passed" else row.completed))
        outline.items.append(OutlineItem(page=step, activity_id=activity_id, rule=rule,
                                         done=done, is_quiz=rule == "passed"))
    return outline


def catalog_courses(*, catalog: CatalogPage, user: User | AnonymousUser) -> list[Outline]:
    courses = CoursePage.objects.child_of(catalog).live().order_by("path")
    return [course_outline(course=course, user=user) for course in courses]


def lesson_context(*, lesson: LessonPage, user: User | AnonymousUser) -> dict[str, Any]:
    course = lesson.get_parent().specific
    outline = course_outline(course=course, user=user)
    index = next(i for i, item in enumerate(outline.items) if item.page.pk == lesson.pk) \
        if any(item.page.pk == lesson.pk for item in outline.items) else None
    previous_item = outline.items[index - 1] if index else None
    next_item = outline.items[index + 1] if index is not None and index + 1 < len(
        outline.items) else None
    return {
        "course": course,
        "outline": outline,
        "lesson_done": bool(index is not None and outline.items[index].done),
        "previous_item": previous_item,
        "next_item": next_item,
    }


def my_learning(*, user: User) -> list[Outline]:
    """The courses the learner is enrolled on, most recently enrolled first."""
    activity_ids = records.registered_activity_ids(user=user)
    by_activity = {course.activity_id: course for course in CoursePage.objects.live()}
    return [course_outline(course=by_activity[a], user=user)
            for a in activity_ids if a in by_activity]
