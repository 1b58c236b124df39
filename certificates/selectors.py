"""Reads for certificates: eligibility and renewals (from the progress records and the
learning records, never from assessment internals), lists, verification."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from courses.models import CoursePage
from lms.org.models import User
from lms.records import vocab
from lms.records.models import ActivityRequirement, Progress, RequirementRule, Statement

from .models import Certificate, CertificateStatus, CertificateType, IssuingAuthority

_EXAM_RULES = (RequirementRule.PASSED, RequirementRule.COMPLETED_AND_PASSED)
_SCORE_EPSILON = 1e-9  # 0.8 stored as 0.7999999… still meets "80 %"


def _requirement_q(certificate_type: CertificateType) -> Q:
    """The learner (``user_id`` of a ``Progress`` row of the course) meets every further
    requirement of the type."""
    condition = Q()
    for requirement in certificate_type.requirements.select_related("page"):
        page = requirement.page.specific
        met = Progress.objects.filter(user_id=OuterRef("user_id"),
                                      activity_id=page.activity_id)
        if isinstance(page, CoursePage):
            met = met.filter(completed=True)
        else:
            met = met.filter(success=True)
            if requirement.min_score:
                met = met.filter(score_scaled__gte=requirement.min_score / 100 - _SCORE_EPSILON)
        condition &= Q(Exists(met))
    return condition


def certificate_due_user_ids(*, certificate_type: CertificateType) -> QuerySet:
    """Learners who meet every requirement of the type and never held this certificate."""
    return (
        Progress.objects.filter(activity_id=certificate_type.course.activity_id,
                                completed=True)
        .filter(_requirement_q(certificate_type))
        .exclude(user__certificates__certificate_type=certificate_type)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def renewal_activity_ids(*, certificate_type: CertificateType) -> list[str]:
    """The exams a holder passes again to renew: the course's final exam(s) and any exam
    among the type's requirements."""
    ids = set(ActivityRequirement.objects.filter(
        parent_id=certificate_type.course.activity_id, rule__in=_EXAM_RULES,
    ).values_list("child_id", flat=True))
    for requirement in certificate_type.requirements.select_related("page"):
        page = requirement.page.specific
        if not isinstance(page, CoursePage):
            ids.add(page.activity_id)
    return sorted(ids)


def renewal_opens_at(certificate: Certificate) -> datetime.datetime | None:
    if certificate.expires_at is None:
        return None
    window = datetime.timedelta(days=certificate.certificate_type.renewal_window_days)
    return certificate.expires_at - window


def _renewed() -> Exists:
    """The certificate (the outer row) has a later cycle: it was renewed."""
    return Exists(Certificate.objects.filter(
        user_id=OuterRef("user_id"), certificate_type_id=OuterRef("certificate_type_id"),
        cycle__gt=OuterRef("cycle")))


def certificates_due_for_renewal(*, certificate_type: CertificateType,
                                 now: datetime.datetime | None = None) -> QuerySet[Certificate]:
    """Latest certificates of the type (not revoked) whose renewal window has opened and
    whose holder has passed the exam again since it opened (and since the certificate was
    issued). The pass is dated by the LRS's ``stored`` time, not the client's timestamp."""
    if not certificate_type.validity_months:
        return Certificate.objects.none()
    exams = renewal_activity_ids(certificate_type=certificate_type)
    if not exams:
        return Certificate.objects.none()
    now = now or timezone.now()
    window = datetime.timedelta(days=certificate_type.renewal_window_days)
    since = Greatest(OuterRef("issued_at"), ExpressionWrapper(
        OuterRef("expires_at") - window, output_field=DateTimeField()))
    passed_again = Statement.objects.filter(
        user_id=OuterRef("user_id"), verb_id=vocab.PASSED, activity_id__in=exams,
        voided=False, stored__gt=since,
    )
    return (
        Certificate.objects.filter(certificate_type=certificate_type,
                                   status=CertificateStatus.VALID,
                                   expires_at__lte=now + window)
        .exclude(_renewed())
        .filter(Exists(passed_again))
        .order_by("pk")
    )


def certificates_expiring(*, within_days: int, now: datetime.datetime | None = None,
                          ) -> QuerySet[Certificate]:
    """Valid (not revoked, not yet expired) latest certificates that end within
    ``within_days``, with their holders."""
    now = now or timezone.now()
    return (
        Certificate.objects.filter(status=CertificateStatus.VALID, expires_at__gt=now,
                                   expires_at__lte=now + datetime.timedelta(days=within_days))
        .exclude(_renewed())
        .select_related("user", "certificate_type__course")
        .order_by("expires_at", "pk")
    )


def certificates_valid(*, now: datetime.datetime | None = None) -> QuerySet[Certificate]:
    """Certificates that count at ``now`` (default: this moment): issued by then, not
    expired and not revoked by then. A past moment gives what counted then (coverage
    history)."""
    now = now or timezone.now()
    return Certificate.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        Q(status=CertificateStatus.VALID) | Q(revoked_at__gt=now),
        issued_at__lte=now)


def certificates_revoked(*, authority: IssuingAuthority) -> QuerySet:
    """(serial, reason) of every certificate the authority revoked, oldest first."""
    return (Certificate.objects.filter(certificate_type__authority=authority,
                                       status=CertificateStatus.REVOKED)
            .order_by("revoked_at", "pk").values_list("serial", "revoked_reason"))


def certificate_by_serial(*, serial: str) -> Certificate | None:
    return (Certificate.objects.select_related("certificate_type__authority")
            .filter(serial=serial.strip().upper()).first())


def certificate_by_sha256(*, digest: str) -> Certificate | None:
    return (Certificate.objects.select_related("certificate_type__authority")
            .filter(sha256=digest).first())


def certificates_of(*, user: User) -> QuerySet[Certificate]:
    return (Certificate.objects.filter(user=user)
            .select_related("certificate_type__authority", "certificate_type__course")
            .order_by("-issued_at"))


def certificate_types() -> QuerySet[CertificateType]:
    return CertificateType.objects.select_related("course", "authority").order_by("pk")


@dataclass(frozen=True)
class PublicCertificate:
    """What the public check shows of a certificate: nothing but what is printed on it
    (no user name, e-mail, agency or learning-record id) and its status now."""

    serial: str
    status: str
    status_label: str
    holder_name: str
    certificate: str
    certificate_en: str
    course: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    revoked_on: datetime.date | None
    revoked_reason: str
    issuer: str

    def as_json(self) -> dict[str, object]:
        return {
            "serial": self.serial, "status": self.status, "holder_name": self.holder_name,
            "certificate": self.certificate, "certificate_en": self.certificate_en,
            "course": self.course, "issued_on": self.issued_on.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "revoked_reason": self.revoked_reason or None, "issuer": self.issuer,
        }


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def certificate_public(certificate: Certificate) -> PublicCertificate:
    certificate_type = certificate.certificate_type
    status = certificate.current_status
    return PublicCertificate(
        serial=certificate.serial, status=status,
        status_label=str(CertificateStatus(status).label),
        holder_name=certificate.holder_name, certificate=certificate_type.name,
        certificate_en=certificate_type.name_en, course=certificate.course_title,
        issued_on=timezone.localdate(certificate.issued_at),
        valid_until=_local_date(certificate.expires_at),
        revoked_on=_local_date(certificate.revoked_at),
        revoked_reason=certificate.revoked_reason if status == CertificateStatus.REVOKED
        else "",
        issuer=certificate_type.authority.name,
    )
