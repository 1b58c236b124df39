"""Learning records that make a learner due for a certificate, and time travel for the
certificates already issued (validity is months long; tests move the dates instead)."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from certificates.models import Certificate
from lms.records import services as records
from lms.records import vocab
from lms.records.models import Statement


def complete(user, course) -> None:
    records.statement_record(user=user, statement=records.statement_build(
        user=user, verb_id=vocab.COMPLETED, activity_id=course.activity_id))


def pass_exam(user, quiz, *, score: float = 1.0,
              stored_at: datetime.datetime | None = None) -> Statement:
    """A ``passed`` statement on ``quiz`` with ``score`` (scaled); ``stored_at`` back-dates
    when the LRS received it."""
    statement = records.statement_record(user=user, statement=records.statement_build(
        user=user, verb_id=vocab.PASSED, activity_id=quiz.activity_id,
        result={"success": True, "score": {"scaled": score}}))
    if stored_at is not None:
        Statement.objects.filter(pk=statement.pk).update(stored=stored_at)
    return statement


def age(certificate: Certificate, *, days: int) -> Certificate:
    """Let ``days`` pass: the certificate (issue date, end of validity) and every learning
    record of its holder move that far into the past."""
    shift = datetime.timedelta(days=days)
    Statement.objects.filter(user_id=certificate.user_id).update(stored=F("stored") - shift)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=certificate.issued_at - shift,
        expires_at=certificate.expires_at - shift if certificate.expires_at else None)
    certificate.refresh_from_db()
    return certificate


def days_from_now(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
