"""Short-lived credentials for launched content (cmi5 ``auth-token``).

An ``AccessToken`` authenticates as HTTP Basic ``key:secret`` and may read and write the
statements and documents of one learner only (``credentials.authenticate``). Only a hash of
the secret is stored: the secret is returned once, by ``access_token_issue``.
"""

from __future__ import annotations

import base64
import datetime
import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from lms.org.models import User

from .credentials import credential_cache_clear, secret_hash, secret_new
from .models import AccessToken

KEY_PREFIX = "tk-"


def access_token_issue(*, user: User, activity_id: str, registration: uuid.UUID | None,
                       ttl: datetime.timedelta) -> tuple[AccessToken, str]:
    """A new token for ``user`` valid for ``ttl``. Returns the row and the secret (which
    is not stored and cannot be had again)."""
    secret = secret_new()
    token = AccessToken.objects.create(
        key=KEY_PREFIX + secrets.token_hex(16), secret_hash=secret_hash(secret), user=user,
        activity_id=activity_id, registration=registration,
        expires_at=timezone.now() + max(ttl, datetime.timedelta(0)),
    )
    return token, secret


def access_token_expire(*, token: AccessToken) -> None:
    """The token stops working now (in this process at once, in others within the
    credential cache's lifetime)."""
    now = timezone.now()
    if token.expires_at > now:
        token.expires_at = now
        token.save(update_fields=["expires_at"])
    credential_cache_clear()
    transaction.on_commit(credential_cache_clear)


def access_tokens_expire(*, key: str) -> None:
    """The token with this key stops working now (launched content ended its session)."""
    token = AccessToken.objects.filter(key=key).first()
    if token is not None:
        access_token_expire(token=token)


def basic_auth_token(key: str, secret: str) -> str:
    """The value after ``Basic`` in an Authorization header (cmi5 ``auth-token``)."""
    return base64.b64encode(f"{key}:{secret}".encode()).decode()
