"""Reads for certificates: eligibility (from the progress records), lists, verification."""

from __future__ import annotations

from django.db.models import QuerySet

from lms.org.models import User
from lms.records.models import Progress

from .models import Certificate, CertificateType


def certificate_due_user_ids(*, certificate_type: CertificateType) -> QuerySet:
    """Learners who completed the type's course and do not hold this certificate yet."""
    return (
        Progress.objects.filter(activity_id=certificate_type.course.activity_id,
                                completed=True)
        .exclude(user__certificates__certificate_type=certificate_type)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def certificate_by_serial(*, serial: str) -> Certificate | None:
    return (Certificate.objects.select_related("certificate_type")
            .filter(serial=serial.strip().upper()).first())


def certificates_of(*, user: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).select_related("certificate_type").order_by(
        "-issued_at"
    )


def certificate_types() -> QuerySet[CertificateType]:
    return CertificateType.objects.select_related("course").order_by("pk")
