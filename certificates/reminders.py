"""Expiry reminders: an e-mail when a certificate's renewal window opens and another two
weeks before it ends. Each reminder is recorded in the certificate's audit trail before it
is sent, under a unique constraint, so a re-run (or a second worker) sends nothing twice."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.mail import render_bilingual

from .models import Certificate, CertificateEvent, CertificateType
from .selectors import certificates_expiring
from .services import verify_url

logger = logging.getLogger(__name__)

FINAL_REMINDER_DAYS = 14


@dataclass
class ReminderSummary:
    sent: int = 0
    no_address: int = 0


def _reminder_kinds(certificate_type: CertificateType) -> list[tuple[str, int]]:
    """(kind, days before the end) from the earliest to the most urgent."""
    kinds = [("window", certificate_type.renewal_window_days),
             ("final", FINAL_REMINDER_DAYS)]
    return sorted(kinds, key=lambda kind: -kind[1])


def _send(certificate: Certificate, *, days_left: int) -> None:
    context = {"certificate": certificate, "days_left": days_left,
               "verify_url": verify_url(certificate.serial),
               "course_url": certificate.certificate_type.course.full_url or ""}
    subject, body = render_bilingual(  # Vietnamese, then English
        "certificates/email/expiry_reminder.txt", context,
        subject_template="certificates/email/expiry_reminder_subject.txt")
    send_mail(subject, body, None, [certificate.user.email])


def expiry_reminders_send(*, now: datetime.datetime | None = None) -> ReminderSummary:
    """Send every expiry reminder that is due and not sent yet (one e-mail per certificate
    per run: when two are due at once, only the more urgent goes out and both count)."""
    now = now or timezone.now()
    summary = ReminderSummary()
    for certificate_type in CertificateType.objects.filter(validity_months__isnull=False):
        kinds = _reminder_kinds(certificate_type)
        widest = max(days for _, days in kinds)
        for certificate in certificates_expiring(within_days=widest, now=now).filter(
                certificate_type=certificate_type).prefetch_related("events"):
            days_left = (certificate.expires_at - now).days
            sent = {event.detail for event in certificate.events.all()
                    if event.action == CertificateEvent.Action.REMINDED}
            due = [kind for kind, days in kinds if days_left < days and kind not in sent]
            if not due:
                continue
            if not certificate.user.email:
                summary.no_address += 1
                continue
            try:
                with transaction.atomic():
                    for kind in due:
                        CertificateEvent.objects.create(
                            certificate=certificate, action=CertificateEvent.Action.REMINDED,
                            detail=kind, at=now)
                    _send(certificate, days_left=days_left)
            except IntegrityError:  # another run recorded it first
                continue
            summary.sent += 1
    logger.info("expiry reminders sent: %s, holders without e-mail: %s", summary.sent,
                summary.no_address)
    return summary
