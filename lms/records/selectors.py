"""Reads of learning records and progress."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from lms.org.models import User

from .models import Progress, Registration, Statement


def progress_map(*, user: User, activity_ids: Iterable[str]) -> dict[str, Progress]:
    """The learner's progress rows for these activities, keyed by activity IRI."""
    if not user.is_authenticated:
        return {}
    return {
        row.activity_id: row
        for row in Progress.objects.filter(user=user, activity_id__in=list(activity_ids))
    }


def completed_user_ids(*, activity_id: str) -> QuerySet[Progress]:
    """Ids of learners who completed an activity."""
    return Progress.objects.filter(activity_id=activity_id, completed=True).values_list(
        "user_id", flat=True
    )


def statements_for(*, user: User, activity_id: str | None = None) -> QuerySet[Statement]:
    qs = Statement.objects.filter(user=user).order_by("stored")
    if activity_id:
        qs = qs.filter(activity_id=activity_id)
    return qs


def registration_for(*, user: User, activity_id: str) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(user=user, activity_id=activity_id).first()


def registered_activity_ids(*, user: User) -> list[str]:
    """The activities (courses) the learner is registered on, most recent first."""
    return list(
        Registration.objects.filter(user=user).order_by("-created_at").values_list(
            "activity_id", flat=True
        )
    )
