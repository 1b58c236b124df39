"""Issue certificates from the progress records (render, sign, store), renew and revoke
them. Every change is recorded in the certificate's audit trail."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.org.models import Agency, AgencyKind, User

from .credentials import credential_build, credential_sign
from .keys import SigningKey
from .models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificateType,
    IssuingAuthority,
)
from .pdf import CertificateData, render_certificate_pdf
from .selectors import certificate_due_user_ids, certificates_due_for_renewal
from .signing import pdf_sign
from .signing_keys import (
    authority_key,
    authority_key_id,
    authority_profile_url,
    authority_revocations_url,
)

logger = logging.getLogger(__name__)

_SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_LOCAL_UNIT_KINDS = {AgencyKind.COMMUNE, AgencyKind.WARD, AgencyKind.SPECIAL_ZONE,
                     AgencyKind.UNIT}


@dataclass
class IssueSummary:
    issued: int = 0
    renewed: int = 0
    skipped: int = 0


def serial_new() -> str:
    """A random, unguessable serial such as ``HS-7K3M-9QXA-2BCD`` (60 random bits)."""
    chars = "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(12))
    return f"HS-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def verify_url(serial: str) -> str:
    return f"{settings.SITE_URL}{reverse('certificates:verify', args=[serial])}"


def credential_url(serial: str) -> str:
    return f"{settings.SITE_URL}{reverse('certificates:credential', args=[serial])}"


def _agency_label(user: User) -> str:
    return _agency_labels([user]).get(user.pk, "")


def _agency_labels(users: list[User]) -> dict[int, str]:
    """The agency printed on each learner's certificate: a commune or ward with its
    province ("Phường Hồng Hà, Thành phố Hà Nội"), other agencies by their name alone. The
    parents of a whole batch are read in one query."""
    agencies = {user.pk: user.person.agency for user in users
                if getattr(user, "person", None) is not None}
    parent_paths = {agency.path[:-Agency.steplen] for agency in agencies.values()
                    if agency.kind in _LOCAL_UNIT_KINDS and agency.depth > 1}
    parents = {agency.path: agency.name
               for agency in Agency.objects.filter(path__in=parent_paths).only("path", "name")}
    labels = {}
    for user_id, agency in agencies.items():
        parent = parents.get(agency.path[:-Agency.steplen]) \
            if agency.kind in _LOCAL_UNIT_KINDS else None
        labels[user_id] = f"{agency.name}, {parent}" if parent else agency.name
    return labels


def _signer_title(authority: IssuingAuthority) -> str:
    titles = [t for t in (authority.signer_title, authority.signer_title_en) if t.strip()]
    return " / ".join(titles)


def _signed_pdf(certificate: Certificate, authority: IssuingAuthority, key: SigningKey) -> bytes:
    certificate_type = certificate.certificate_type
    pdf = render_certificate_pdf(CertificateData(
        serial=certificate.serial, holder_name=certificate.holder_name,
        agency_name=certificate.agency_name, course_title=certificate.course_title,
        issued_on=timezone.localdate(certificate.issued_at),
        verify_url=verify_url(certificate.serial), issuer_name=authority.name,
        heading=certificate_type.heading, heading_en=certificate_type.heading_en,
        statement=certificate_type.statement, statement_en=certificate_type.statement_en,
        signer_name=authority.signer_name, signer_title=_signer_title(authority),
        valid_until=(timezone.localdate(certificate.expires_at)
                     if certificate.expires_at else None),
    ))
    return pdf_sign(pdf, key=key, signer_name=authority.signer_name or authority.name,
                    reason=f"Giấy chứng nhận {certificate.serial}",
                    location=authority.location)


def _signed_credential(certificate: Certificate, authority: IssuingAuthority,
                       key: SigningKey) -> dict:
    certificate_type = certificate.certificate_type
    profile_url = authority_profile_url(authority)
    credential = credential_build(
        credential_id=credential_url(certificate.serial), serial=certificate.serial,
        holder_name=certificate.holder_name,
        achievement_id=f"{settings.SITE_URL}/credentials/achievements/{certificate_type.code}",
        achievement_name=certificate_type.name,
        achievement_name_en=certificate_type.name_en or certificate_type.name,
        description=f"{certificate_type.statement} {certificate.course_title}",
        criteria=f"{certificate_type.statement} {certificate.course_title}",
        issuer={"id": profile_url, "type": ["Profile"], "name": authority.name,
                "url": settings.SITE_URL},
        issued_at=certificate.issued_at, expires_at=certificate.expires_at,
        verify_url=verify_url(certificate.serial),
        status_url=authority_revocations_url(authority),
    )
    return credential_sign(credential, private_key=key.private_key,
                           verification_method=authority_key_id(authority),
                           created=certificate.issued_at)


def certificate_issue(*, user: User, certificate_type: CertificateType, cycle: int = 1,
                      key: SigningKey | None = None, agency_name: str | None = None,
                      ) -> Certificate | None:
    """Issue one certificate: render, sign (PDF and credential), store. Returns None if
    the learner already holds the certificate of this ``cycle`` (the database forbids a
    second one, whoever tries at the same time). The work that can fail (rendering,
    signing) happens before anything is written, so a failure leaves nothing behind; the
    PDF file is stored first and the row then written in one INSERT (a file left by a
    worker killed in between is never referenced, and a duplicate's file is deleted)."""
    authority = certificate_type.authority
    key = key or authority_key(authority)
    issued_at = timezone.now()
    certificate = Certificate(
        serial=serial_new(), user=user, certificate_type=certificate_type, cycle=cycle,
        holder_name=user.display_name,
        agency_name=_agency_label(user) if agency_name is None else agency_name,
        course_title=certificate_type.course.title, issued_at=issued_at,
        expires_at=certificate_type.expiry_for(issued_at),
    )
    pdf = _signed_pdf(certificate, authority, key)
    certificate.sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.credential = _signed_credential(certificate, authority, key)
    storage = certificate.pdf.storage
    certificate.pdf.name = storage.save(
        certificate.pdf.field.generate_filename(certificate, f"{certificate.serial}.pdf"),
        ContentFile(pdf))
    try:
        with transaction.atomic():
            certificate.save(force_insert=True)
            CertificateEvent.objects.create(
                certificate=certificate, action=CertificateEvent.Action.ISSUED,
                detail=f"cycle {cycle}", at=issued_at)
    except IntegrityError:
        storage.delete(certificate.pdf.name)
        if Certificate.objects.filter(user=user, certificate_type=certificate_type,
                                      cycle=cycle).exists():
            return None
        raise
    return certificate


def certificates_issue_due(*, batch_size: int = 200) -> IssueSummary:
    """Issue every certificate that has become due, first issues then renewals. Each
    certificate commits on its own, so a worker killed mid-batch loses nothing and the next
    run carries on; a re-run, or two workers at once, never issue a certificate twice."""
    summary = IssueSummary()
    for certificate_type in CertificateType.objects.filter(active=True).select_related(
        "course", "authority"
    ):
        key = authority_key(certificate_type.authority)
        while True:
            user_ids = list(certificate_due_user_ids(certificate_type=certificate_type)
                            [:batch_size])
            if not user_ids:
                break
            users = list(User.objects.filter(pk__in=user_ids).select_related("person__agency"))
            labels = _agency_labels(users)
            progressed = 0
            for user in users:
                if certificate_issue(user=user, certificate_type=certificate_type, key=key,
                                     agency_name=labels.get(user.pk, "")):
                    summary.issued += 1
                    progressed += 1
                else:
                    summary.skipped += 1
            if progressed == 0:
                break
        for previous in certificates_due_for_renewal(
                certificate_type=certificate_type).select_related("user__person__agency"):
            renewed = certificate_issue(user=previous.user, certificate_type=certificate_type,
                                        cycle=previous.cycle + 1, key=key)
            if renewed:
                summary.renewed += 1
            else:
                summary.skipped += 1
    added = certificate_credentials_fill()
    logger.info("certificates issued: %s, renewed: %s, skipped: %s; credentials added to "
                "older certificates: %s", summary.issued, summary.renewed, summary.skipped,
                added)
    return summary


def certificate_credentials_fill(*, batch_size: int = 500) -> int:
    """Sign the Open Badges credential of certificates issued before credentials existed
    (their PDF stays as it was: its holder may have shared it already)."""
    pending = list(Certificate.objects.filter(credential__isnull=True)
                   .select_related("certificate_type__authority")[:batch_size])
    for certificate in pending:
        authority = certificate.certificate_type.authority
        certificate.credential = _signed_credential(certificate, authority,
                                                    authority_key(authority))
        certificate.save(update_fields=["credential"])
    return len(pending)


def certificate_revoke(*, certificate: Certificate, actor: User | None, reason: str) -> None:
    """Revoke a certificate for ``reason`` (required, shown on the public check page),
    recording who did it. Revoking a revoked certificate is refused."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(_("Give the reason for the revocation: it is shown to anyone "
                                "who checks the certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.REVOKED:
            raise ValidationError(_("Certificate %(serial)s is already revoked.")
                                  % {"serial": locked.serial})
        now = timezone.now()
        Certificate.objects.filter(pk=locked.pk).update(
            status=CertificateStatus.REVOKED, revoked_at=now, revoked_reason=reason[:255])
        CertificateEvent.objects.create(certificate=locked,
                                        action=CertificateEvent.Action.REVOKED,
                                        detail=reason[:255], actor=actor, at=now)
    certificate.refresh_from_db()
