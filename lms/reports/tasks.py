"""Celery tasks: each calls one service and is safe to run again."""

from dataclasses import asdict

from celery import shared_task
from django.db import OperationalError

from .snapshots import snapshots_take
from .weekly import weekly_reports_send


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
             acks_late=True)
def take_coverage_snapshot() -> dict[str, object]:
    summary = asdict(snapshots_take())
    summary["day"] = summary["day"].isoformat()
    return summary


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
             acks_late=True)
def send_weekly_reports() -> dict[str, object]:
    return asdict(weekly_reports_send())
