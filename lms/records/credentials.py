"""Who is calling the Learning Record Store: HTTP Basic credentials of outside clients
and of launched content, checked against hashed secrets and remembered briefly."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from .errors import NotAuthenticated
from .models import AccessToken, Client
from .selectors import learner_ids, learners_in_scope
from .xapi.agents import account_name


@dataclass(frozen=True)
class Credential:
    """Who is calling and what they may do. ``agency_path`` limits the learners they may
    write or read about to an agency subtree; ``user_id`` to one learner (launch tokens)."""

    name: str
    can_read: bool
    can_write: bool
    authority: dict[str, Any]
    client_id: int | None = None
    agency_path: str | None = None
    user_id: int | None = None
    activity_id: str | None = None
    registration: uuid.UUID | None = None

    @property
    def launch_token(self) -> bool:
        """Credentials of launched content (cmi5), not of a client."""
        return self.user_id is not None and self.client_id is None

    @property
    def restricted(self) -> bool:
        return self.agency_path is not None or self.user_id is not None

    def allowed_user_ids(self, names: Iterable[str]) -> dict[str, int]:
        """Of these account names (our learners' ``xapi_id``), those this credential may
        act for, mapped to the learner's user id."""
        return learners_in_scope(learner_ids(names), user_id=self.user_id,
                                 agency_path=self.agency_path)

    def agent_allowed(self, agent: dict[str, Any]) -> bool:
        """Whether this credential may write or read about ``agent``."""
        if not self.restricted:
            return True
        name = account_name(agent, home_page=settings.XAPI_ACCOUNT_HOMEPAGE)
        return name is not None and name in self.allowed_user_ids([name])


def secret_hash(secret: str) -> str:
    """Secrets are long random strings, so a plain SHA-256 is a safe and fast store."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_new() -> str:
    return secrets.token_urlsafe(32)


def _authority(name: str) -> dict[str, Any]:
    return {"objectType": "Agent",
            "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": name}}


# Verified credentials, kept briefly per process so a busy client costs no query per
# request. A deactivated client or a rotated secret stops working within this time.
CREDENTIAL_CACHE_SECONDS = 30
_credential_cache: dict[tuple[str, str], tuple[float, Credential]] = {}
_CREDENTIAL_CACHE_SIZE = 1024


def credential_cache_clear() -> None:
    _credential_cache.clear()


def authenticate(header: str | None) -> Credential:
    """The credential of an ``Authorization: Basic …`` header; ``XapiError(401)`` if none."""
    if not header or not header.lower().startswith("basic "):
        raise NotAuthenticated("Authorization: HTTP Basic credentials are required")
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        key, secret = decoded.split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NotAuthenticated("Authorization: malformed Basic credentials") from None
    hashed = secret_hash(secret)
    now = time.monotonic()
    cached = _credential_cache.get((key, hashed))
    if cached is not None and cached[0] > now:
        return cached[1]
    credential, lifetime = _credential_lookup(key, hashed)
    if len(_credential_cache) >= _CREDENTIAL_CACHE_SIZE:
        _credential_cache.clear()
    _credential_cache[(key, hashed)] = (now + lifetime, credential)
    return credential


def _credential_lookup(key: str, hashed: str) -> tuple[Credential, float]:
    client = Client.objects.filter(key=key, is_active=True).select_related("agency").first()
    if client is not None and hmac.compare_digest(client.secret_hash, hashed):
        return Credential(
            name=client.name, can_read=client.can_read, can_write=client.can_write,
            authority=_authority(f"client:{client.key}"), client_id=client.pk,
            agency_path=client.agency.path if client.agency else None,
        ), CREDENTIAL_CACHE_SECONDS
    token = AccessToken.objects.filter(key=key, expires_at__gt=timezone.now()).first()
    if token is not None and hmac.compare_digest(token.secret_hash, hashed):
        remaining = (token.expires_at - timezone.now()).total_seconds()
        return Credential(
            name=f"token:{token.key}", can_read=True, can_write=True,
            authority=_authority(f"token:{token.key}"), user_id=token.user_id,
            activity_id=token.activity_id, registration=token.registration,
        ), min(CREDENTIAL_CACHE_SECONDS, remaining)
    raise NotAuthenticated("Authorization: unknown or inactive credentials")
