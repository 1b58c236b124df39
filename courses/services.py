"""Enrolment, lesson completion and the completion rule of each course."""

from __future__ import annotations

from django.db import transaction

from lms.org.models import User
from lms.records import services as records
from lms.records import vocab
from lms.records.models import Registration
from lms.records.selectors import progress_map

from .models import CoursePage, LessonPage
from .selectors import course_steps, step_requirements


def course_enrol(*, user: User, course: CoursePage) -> tuple[Registration, bool]:
    """Enrol ``user`` on ``course`` (once). Returns the registration and whether it is new."""
    return records.registration_ensure(
        user=user, activity_id=course.activity_id, activity_type=vocab.COURSE,
        activity_name={"vi": course.title},
    )


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> bool:
    """Mark a lesson complete for ``user``, enrolling them first if need be. Returns False
    if it was complete already (nothing is recorded twice)."""
    course = lesson.get_parent().specific
    registration, _new = course_enrol(user=user, course=course)
    row = progress_map(user=user, activity_ids=[lesson.activity_id]).get(lesson.activity_id)
    if row is not None and row.completed:
        return False
    records.statement_record(
        statement=records.statement_build(
            user=user, verb_id=vocab.COMPLETED, activity_id=lesson.activity_id,
            activity_type=vocab.LESSON, activity_name={"vi": lesson.title},
            result={"completion": True}, registration=registration.registration,
            parent_ids=[course.activity_id],
        ),
        user=user,
    )
    return True


def course_requirements_sync(*, course: CoursePage) -> None:
    """Declare in the learning records what completes the course: every live lesson
    completed, its quiz passed, and each AU of its cmi5 units per the AU's moveOn. Called
    whenever the course's pages change."""
    records.requirements_set(
        parent_id=course.activity_id,
        requirements=[requirement for step in course_steps(course=course)
                      for requirement in step_requirements(step)],
    )


def course_requirements_sync_all() -> int:
    courses = list(CoursePage.objects.all())
    for course in courses:
        course_requirements_sync(course=course)
    return len(courses)
