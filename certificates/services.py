"""Issue certificates from the progress records, render and store their PDFs."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.org.models import AgencyKind, User

from .models import Certificate, CertificateType
from .pdf import CertificateData, render_certificate_pdf
from .selectors import certificate_due_user_ids

logger = logging.getLogger(__name__)

_SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_LOCAL_UNIT_KINDS = {AgencyKind.COMMUNE, AgencyKind.WARD, AgencyKind.SPECIAL_ZONE,
                     AgencyKind.UNIT}


@dataclass
class IssueSummary:
    issued: int = 0
    skipped: int = 0


def serial_new() -> str:
    """A random, unguessable serial such as ``HS-7K3M-9QXA-2BCD`` (60 random bits)."""
    chars = "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(12))
    return f"HS-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def verify_url(serial: str) -> str:
    return f"{settings.SITE_URL}/verify/{serial}/"


def _agency_label(user: User) -> str:
    person = getattr(user, "person", None)
    if person is None:
        return ""
    agency = person.agency
    if agency.kind in _LOCAL_UNIT_KINDS:
        parent = agency.get_parent()
        if parent is not None:
            return f"{agency.name}, {parent.name}"
    return agency.name


def certificate_issue(*, user: User, certificate_type: CertificateType) -> Certificate | None:
    """Issue one certificate with its PDF, or return None if the learner holds one of this
    type already (the database forbids a second one, whoever tries at the same time)."""
    course = certificate_type.course
    issued_at = timezone.now()
    serial = serial_new()
    certificate = Certificate(
        serial=serial, user=user, certificate_type=certificate_type,
        holder_name=user.display_name, agency_name=_agency_label(user),
        course_title=course.title, issued_at=issued_at,
    )
    pdf = render_certificate_pdf(CertificateData(
        serial=serial, holder_name=certificate.holder_name,
        agency_name=certificate.agency_name, course_title=certificate.course_title,
        issued_on=timezone.localdate(issued_at), verify_url=verify_url(serial),
        issuer_name=certificate_type.issuer_name,
    ))
    try:
        with transaction.atomic():
            certificate.save()
            certificate.pdf.save(f"{serial}.pdf", ContentFile(pdf), save=True)
    except IntegrityError:
        if Certificate.objects.filter(user=user, certificate_type=certificate_type).exists():
            return None
        raise
    return certificate


def certificates_issue_due(*, batch_size: int = 200) -> IssueSummary:
    """Issue every certificate that has become due. Each certificate commits on its own, so
    a worker killed mid-batch loses nothing and the next run carries on; a re-run, or two
    workers at once, never issue a certificate twice."""
    summary = IssueSummary()
    for certificate_type in CertificateType.objects.filter(active=True).select_related(
        "course"
    ):
        while True:
            user_ids = list(certificate_due_user_ids(certificate_type=certificate_type)
                            [:batch_size])
            if not user_ids:
                break
            users = User.objects.filter(pk__in=user_ids).select_related("person__agency")
            progressed = 0
            for user in users:
                if certificate_issue(user=user, certificate_type=certificate_type):
                    summary.issued += 1
                    progressed += 1
                else:
                    summary.skipped += 1
            if progressed == 0:
                break
    logger.info("certificates issued: %s, skipped: %s", summary.issued, summary.skipped)
    return summary
