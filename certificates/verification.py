"""The public "is this file genuine?" check of an uploaded certificate PDF.

A file is genuine when it is, byte for byte, a PDF we issued: its SHA-256 is that of a
stored certificate. Anything else is told apart by its signature, so that the answer says
what is wrong: signed by us but changed since, signed by someone else, not signed at all,
not a PDF."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from enum import StrEnum

from pyhanko.pdf_utils.reader import PdfFileReader

from .models import Certificate
from .selectors import certificate_by_sha256
from .signing import pdf_signature_check
from .signing_keys import trusted_signing_keys


class FileVerdict(StrEnum):
    GENUINE = "genuine"          # byte for byte a certificate we issued
    ALTERED = "altered"          # signed in our name, but the file or signature was changed
    FOREIGN = "foreign"          # signed, but not by any of our issuing authorities
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
    if check.trusted or ours & _signature_subjects(data):
        # a valid signature of ours on bytes we never issued (something appended), or a
        # signature in our name that no longer matches the file or its certificate
        return FileCheck(FileVerdict.ALTERED, sha256=digest)
    return FileCheck(FileVerdict.FOREIGN, sha256=digest)


def _signature_subjects(data: bytes) -> set[bytes]:
    """DER subjects of the certificates carried by the first signature's CMS container,
    readable even when the signature no longer matches the file or its certificate."""
    try:
        signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
        return {choice.chosen["tbs_certificate"]["subject"].dump()
                for choice in signature.signed_data["certificates"]}
    except Exception:  # noqa: BLE001 - damaged beyond reading: not ours to claim
        return set()
