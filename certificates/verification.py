"""The public "is this file genuine?" check of an uploaded certificate PDF.

A file is genuine when it is, byte for byte, a PDF we issued: its SHA-256 is that of a
stored certificate. Anything else is told apart by its signature, so that the answer says
what is wrong: signed by us but changed since, signed by someone else, not signed at all,
not a PDF."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from .models import Certificate
from .selectors import certificate_by_sha256
from .signing import pdf_signature_check
from .signing_keys import trusted_signing_keys


class FileVerdict(StrEnum):
    GENUINE = "genuine"          # byte for byte a certificate we issued
    ALTERED = "altered"          # signed in our name, but the file or signature was changed
    FOREIGN = "foreign"          # intact signature, but by none of our issuing authorities
    UNSIGNED = "unsigned"        # a PDF without a signature
    NOT_PDF = "not_pdf"          # not a PDF file at all


@dataclass(frozen=True)
class FileCheck:
    verdict: FileVerdict
    certificate: Certificate | None = None
    sha256: str = ""


def certificate_file_check(*, data: bytes) -> FileCheck:
    """Check an uploaded file against the certificates we issued. Never raises on any
    input; the caller limits the size."""
    digest = hashlib.sha256(data).hexdigest()
    certificate = certificate_by_sha256(digest=digest)
    if certificate is not None:
        return FileCheck(FileVerdict.GENUINE, certificate, digest)
    if data.lstrip()[:5] != b"%PDF-":
        return FileCheck(FileVerdict.NOT_PDF, sha256=digest)
    keys = trusted_signing_keys()
    check = pdf_signature_check(data, trusted=[key.certificate for key in keys] or None)
    if not check.signed:
        return FileCheck(FileVerdict.UNSIGNED, sha256=digest)
    ours = {key.certificate.subject.public_bytes() for key in keys}
    if check.trusted or ours & check.subjects or not check.intact:
        # a valid signature of ours on bytes we never issued (something appended), a
        # signature in our name that no longer matches the file, or a signature damaged
        # beyond telling whose it is: in each case the file was changed after signing
        return FileCheck(FileVerdict.ALTERED, sha256=digest)
    return FileCheck(FileVerdict.FOREIGN, sha256=digest)

