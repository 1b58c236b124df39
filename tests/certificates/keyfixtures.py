"""A throwaway issuing key and certificate, made once per test session.

Use the fixtures by naming them in a test module (or a conftest)::

    from tests.certificates import keyfixtures

    signing_key = keyfixtures.signing_key
    signing_files = keyfixtures.signing_files

``signing_settings`` also points ``HOCSO_SIGNING_KEY``/``HOCSO_SIGNING_CERT`` at them, for
code that reads the default key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from certificates.keys import SigningKey, dev_key_generate, signing_key_load

COMMON_NAME = "Nền tảng HọcSố (kiểm thử)"
ORGANIZATION = "HọcSố test"


@dataclass(frozen=True)
class KeyFiles:
    key_path: Path
    cert_path: Path


def key_files_make(directory: Path, *, common_name: str = COMMON_NAME) -> KeyFiles:
    """A new key and self-signed certificate in ``directory``."""
    files = KeyFiles(key_path=directory / "signing-key.pem",
                     cert_path=directory / "signing-cert.pem")
    dev_key_generate(key_path=files.key_path, cert_path=files.cert_path,
                     common_name=common_name, organization=ORGANIZATION, days=30)
    return files


@pytest.fixture(scope="session")
def signing_files(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    return key_files_make(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def signing_key(signing_files: KeyFiles) -> SigningKey:
    return signing_key_load(key_path=signing_files.key_path, cert_path=signing_files.cert_path)


@pytest.fixture
def signing_settings(settings, signing_files: KeyFiles, signing_key: SigningKey) -> SigningKey:
    settings.HOCSO_SIGNING_KEY = signing_files.key_path
    settings.HOCSO_SIGNING_CERT = signing_files.cert_path
    settings.HOCSO_SIGNING_KEY_PASSWORD = ""
    return signing_key
