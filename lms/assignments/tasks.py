"""Celery tasks: each takes ids, calls one service and is safe to run again."""

from dataclasses import asdict

from celery import shared_task
from django.db import OperationalError

from .models import Assignment
from .reminders import learner_reminders_send, manager_digests_send
from .services import assignments_sync as sync


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
             acks_late=True)
def assignments_sync(assignment_id: int | None = None,
                     person_ids: list[int] | None = None) -> dict[str, int]:
    """Enrol the people of one rule (or of every active rule) not yet on its course;
    only ``person_ids`` when given (e.g. after a roster import)."""
    assignment = None
    if assignment_id is not None:
        assignment = Assignment.objects.filter(pk=assignment_id).first()
        if assignment is None:  # deleted meanwhile: nothing to do
            return asdict(sync(person_ids=[]))
    return asdict(sync(assignment=assignment, person_ids=person_ids))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
             acks_late=True)
def send_assignment_reminders() -> dict[str, int]:
    return asdict(learner_reminders_send())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
             acks_late=True)
def send_overdue_digests() -> dict[str, object]:
    return asdict(manager_digests_send())
