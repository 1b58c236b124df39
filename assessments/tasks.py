"""Celery tasks of the assessments: thin wrappers around services."""

from celery import shared_task

from .services import attempts_close_expired


@shared_task(name="assessments.tasks.close_expired_attempts")
def close_expired_attempts() -> dict[str, int]:
    """Grade the timed attempts whose learners left before time ran out."""
    return {"closed": attempts_close_expired()}
