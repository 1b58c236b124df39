"""Reads of learning records and progress."""

from __future__ import annotations

from collections.abc import Iterable

from lms.org.models import User

from .models import Progress, Registration, RequirementRule


def progress_map(*, user: User, activity_ids: Iterable[str]) -> dict[str, Progress]:
    """The learner's progress rows for these activities, keyed by activity IRI."""
    if not user.is_authenticated:
        return {}
    return {
        row.activity_id: row
        for row in Progress.objects.filter(user=user, activity_id__in=list(activity_ids))
    }


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


def requirement_met(row: Progress | None, rule: str) -> bool:
    """Whether a progress row meets a requirement rule (completed, or passed)."""
    if row is None:
        return False
    return bool(row.success) if rule == RequirementRule.PASSED else row.completed
