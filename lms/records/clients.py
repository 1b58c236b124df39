"""Credentials of outside xAPI clients (an H5P player, an offline app, another LMS).

A client authenticates with HTTP Basic: its ``key`` is the user name, its secret the
password. Only a hash of the secret is stored; the secret itself is returned once, when it
is made, and cannot be shown again (a lost secret is replaced with ``client_rotate_secret``).
"""

from __future__ import annotations

import secrets

from django.db import transaction

from lms.org.models import Agency

from .credentials import credential_cache_clear, secret_hash, secret_new
from .models import Client

KEY_PREFIX = "hs-"
KEY_LENGTH = 10
# Lower-case letters and digits a reader cannot confuse (no 0/o, 1/l/i).
_KEY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def client_key_new() -> str:
    """A readable random key, e.g. ``hs-k7q2mx9ra4``."""
    return KEY_PREFIX + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(KEY_LENGTH))


def client_save_new(*, client: Client, key: str | None = None,
                    secret: str | None = None) -> str:
    """Give an unsaved client its key (``key`` or a new random one) and a hashed secret
    (``secret`` or a new random one), save it, and return the secret: the only time it
    is available."""
    if client.pk is not None:
        raise ValueError("client_save_new: the client is saved already")
    secret = secret or secret_new()
    client.secret_hash = secret_hash(secret)
    client.key = key or _key_unused()
    client.save()
    return secret


def _key_unused() -> str:
    # 31**10 keys: a clash is next to impossible, and the unique index stops a racing one.
    while True:
        key = client_key_new()
        if not Client.objects.filter(key=key).exists():
            return key


@transaction.atomic
def client_create(*, name: str, agency: Agency | None = None, can_read: bool = True,
                  can_write: bool = False, key: str | None = None,
                  secret: str | None = None) -> tuple[Client, str]:
    """Create a client; returns it and its secret (shown once, stored only hashed).
    ``key`` and ``secret`` are chosen at random unless given (tests, benchmarks and the
    conformance run give fixed ones)."""
    client = Client(name=name, agency=agency, can_read=can_read, can_write=can_write)
    return client, client_save_new(client=client, key=key, secret=secret)


def client_rotate_secret(*, client: Client, secret: str | None = None) -> str:
    """Replace the client's secret (the old one stops working) and return the new one."""
    secret = secret or secret_new()
    client.secret_hash = secret_hash(secret)
    client.save(update_fields=["secret_hash"])
    _forget_verified()
    return secret


def client_set_active(*, client: Client, active: bool) -> None:
    """Switch a client's credentials off (or on again); its statements are kept."""
    client.is_active = active
    client.save(update_fields=["is_active"])
    _forget_verified()


def client_update(*, client: Client, name: str, agency: Agency | None, can_read: bool,
                  can_write: bool, is_active: bool = True) -> None:
    """Change what a client may do and for whom (its key and secret stay)."""
    client.name, client.agency = name, agency
    client.can_read, client.can_write, client.is_active = can_read, can_write, is_active
    client.save(update_fields=["name", "agency", "can_read", "can_write", "is_active"])
    _forget_verified()


def _forget_verified() -> None:
    """This process stops accepting the old credentials at once (and again once the change
    is committed, in case a request remembered them meanwhile); other processes within
    ``credentials.CREDENTIAL_CACHE_SECONDS``."""
    credential_cache_clear()
    transaction.on_commit(credential_cache_clear)
