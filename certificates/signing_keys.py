"""Which key signs for an issuing authority, and where its public profile lives."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.urls import reverse

from .keys import (
    SigningKey,
    SigningKeyInvalid,
    SigningKeyMissing,
    signing_key_default,
    signing_key_load,
)
from .models import IssuingAuthority


def authority_key(authority: IssuingAuthority) -> SigningKey:
    """The authority's own key if it names one, else the platform's (cached per process)."""
    if authority.key_path:
        password = settings.HOCSO_SIGNING_KEY_PASSWORD or None
        return signing_key_load(
            key_path=Path(authority.key_path),
            cert_path=Path(authority.certificate_path or settings.HOCSO_SIGNING_CERT),
            password=password.encode() if password else None,
        )
    return signing_key_default()


def authority_profile_url(authority: IssuingAuthority) -> str:
    return f"{settings.SITE_URL}{reverse('certificates:issuer', args=[authority.code])}"


def authority_revocations_url(authority: IssuingAuthority) -> str:
    return (f"{settings.SITE_URL}"
            f"{reverse('certificates:revocations', args=[authority.code])}")


def authority_key_id(authority: IssuingAuthority) -> str:
    return f"{authority_profile_url(authority)}#key-1"


def trusted_signing_keys() -> list[SigningKey]:
    """Every key our authorities sign with (for the upload check); keys that cannot be
    loaded are left out."""
    keys: dict[bytes, SigningKey] = {}
    for authority in IssuingAuthority.objects.all():
        try:
            key = authority_key(authority)
        except (SigningKeyMissing, SigningKeyInvalid):
            continue
        keys[key.certificate.fingerprint(hashes.SHA256())] = key
    return list(keys.values())
