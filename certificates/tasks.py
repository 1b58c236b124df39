"""Celery tasks: each calls one service and is safe to run again."""

from dataclasses import asdict

from celery import shared_task
from django.db import OperationalError

from .reminders import expiry_reminders_send
from .services import certificates_issue_due


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
             acks_late=True)
def issue_due_certificates() -> dict[str, int]:
    return asdict(certificates_issue_due())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
             acks_late=True)
def send_expiry_reminders() -> dict[str, int]:
    return asdict(expiry_reminders_send())
