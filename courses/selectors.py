"""Reads for the catalogue, course outlines and a learner's own learning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page

from lms.org.models import User
from lms.records import selectors as records
from lms.records.models import RequirementRule

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
    steps = [(step, *step.course_requirement()) for step in course_steps(course=course)]
    outline = Outline(course=course)
    progress = records.progress_map(
        user=user, activity_ids=[course.activity_id, *(activity_id for _, activity_id, _ in steps)])
    outline.enrolled = records.registration_for(user=user,
                                                activity_id=course.activity_id) is not None
    outline.completed = records.requirement_met(progress.get(course.activity_id),
                                                RequirementRule.COMPLETED)
    for step, activity_id, rule in steps:
        outline.items.append(OutlineItem(
            page=step, activity_id=activity_id, rule=rule,
            done=records.requirement_met(progress.get(activity_id), rule),
            is_quiz=rule == RequirementRule.PASSED,
        ))
    return outline


def catalog_courses(*, catalog: CatalogPage, user: User | AnonymousUser) -> list[Outline]:
    courses = CoursePage.objects.child_of(catalog).live().order_by("path")
    return [course_outline(course=course, user=user) for course in courses]


def lesson_context(*, lesson: LessonPage, user: User | AnonymousUser) -> dict[str, Any]:
    course = lesson.get_parent().specific
    outline = course_outline(course=course, user=user)
    items = outline.items
    index = next((i for i, item in enumerate(items) if item.page.pk == lesson.pk), None)
    if index is None:  # a lesson not live, seen in preview
        return {"course": course, "outline": outline, "lesson_done": False,
                "previous_item": None, "next_item": None}
    return {
        "course": course,
        "outline": outline,
        "lesson_done": items[index].done,
        "previous_item": items[index - 1] if index > 0 else None,
        "next_item": items[index + 1] if index + 1 < len(items) else None,
    }


def my_learning(*, user: User) -> list[Outline]:
    """The courses the learner is enrolled on, most recently enrolled first."""
    activity_ids = records.registered_activity_ids(user=user)
    by_activity = {course.activity_id: course for course in CoursePage.objects.live()}
    return [course_outline(course=by_activity[a], user=user)
            for a in activity_ids if a in by_activity]
