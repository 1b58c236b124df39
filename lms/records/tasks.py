"""Celery tasks: each calls one service and is safe to run again."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.db import OperationalError

from .forwarding import forward_pending, forwarding_enabled


class RemoteUnavailable(Exception):
    """The external LRS could not take the statements; they stay pending."""


@shared_task(bind=True, autoretry_for=(RemoteUnavailable, OperationalError),
             retry_backoff=10, retry_backoff_max=600, retry_jitter=True, max_retries=8,
             acks_late=True)
def forward_statements(self: Any) -> dict[str, Any]:
    """Send the pending statements to the external LRS. While the remote is down, retry
    with exponential backoff (10 s, 20 s, … up to 10 min); after that the sweep job keeps
    trying every minute. Run inline (the embedded default), it does not wait and retry in
    the caller's request: the sweep job tries again."""
    result = forward_pending()
    if result.error and not self.request.is_eager:
        raise RemoteUnavailable(result.error)
    return asdict(result)


@shared_task(acks_late=True)
def forward_sweep() -> dict[str, Any]:
    """The periodic job: send whatever is still pending (items whose task was lost, or
    that failed while the remote was down). Does nothing when forwarding is off."""
    if not forwarding_enabled():
        return {"enabled": False}
    return asdict(forward_pending(max_batches=50))
