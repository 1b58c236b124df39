"""PAdES signatures on certificate PDFs (pyHanko), and their check.

Signing is PAdES baseline B-B: a CMS container made by pyHanko (ECDSA P-256, SHA-256,
signing-certificate-v2 attribute, signing time in the signature dictionary), appended as an
incremental update with an invisible signature field. No timestamp and no revocation data:
the issuing platform is its own authority and its public check page is the live status.

Where the time goes (one page, ~35 KB, measured with ``bench/certificates.py``): pyHanko's
default path spends ~80 % of ~21 ms in asn1crypto re-serialising the signed attributes,
which it dumps several times per signature; :mod:`certificates.keys` gives pyHanko a signer
that freezes them, and the container size is given up front so pyHanko never makes a dummy
signature to estimate it. What is left (~4 ms) is pyHanko's own PDF reading and writing.

Pure module, no Django: messages are English, for callers to translate."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .keys import SigningKey

logger = logging.getLogger(__name__)

FIELD_NAME = "HocSoSignature"
# Room (in hex digits) for the CMS container beyond its certificates: signed attributes,
# algorithm identifiers and an ECDSA signature take ~600 bytes; twice that is kept spare.
_RESERVE_SPARE = 2 * 1280


def _bytes_reserved(key: SigningKey) -> int:
    """Hex digits to reserve for the CMS container, known in advance so that pyHanko does
    not sign a dummy container first to estimate it."""
    certificates = {key.signer.signing_cert.dump(), *(c.dump() for c in key.signer.cert_registry)}
    return 2 * sum(len(der) for der in certificates) + _RESERVE_SPARE


def pdf_sign(pdf: bytes, *, key: SigningKey, signer_name: str, reason: str,
             location: str) -> bytes:
    """``pdf`` with a PAdES baseline B-B signature by ``key`` appended as an incremental
    update (an invisible signature field named ``HocSoSignature``)."""
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name, reason=reason, location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = signers.PdfSigner(meta, signer=key.signer).sign_pdf(
        writer, bytes_reserved=_bytes_reserved(key))
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool                 # the file is a PDF with a signature we could read
    intact: bool = False         # the signed bytes are unchanged (digest and signature match)
    trusted: bool = False        # signed by one of the trusted certificates
    signer: str = ""             # the signing certificate's common name
    signed_at: datetime | None = None  # the time the signer reports (not a timestamp)
    covers_whole_file: bool = False  # nothing was appended after the signature
    problem: str = ""            # English, short, for people; empty when all is well
    # DER subjects of the certificates the signature carries, read even when it no longer
    # matches the file (who the signature claims to be from)
    subjects: frozenset[bytes] = frozenset()

    @property
    def valid(self) -> bool:
        """Signed, unchanged, by a trusted key, with nothing added afterwards."""
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def _as_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _common_name(certificate: asn1_x509.Certificate | None) -> str:
    if certificate is None:
        return ""
    subject = certificate.subject.native
    return str(subject.get("common_name") or certificate.subject.human_friendly)


def pdf_signature_check(
    pdf: bytes, *, trusted: x509.Certificate | list[x509.Certificate] | None = None,
) -> SignatureCheck:
    """What the first signature in ``pdf`` proves, checked by pyHanko's validator against
    ``trusted`` only (no operating-system roots, no network). Never raises: anything that
    is not a readable signed PDF comes back as ``signed=False`` with a problem."""
    if isinstance(trusted, x509.Certificate):
        trusted = [trusted]
    roots = [_as_asn1(certificate) for certificate in trusted or []]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception:  # noqa: BLE001 - any unreadable input is "not a PDF" to people
        return SignatureCheck(signed=False, problem="This is not a readable PDF file.")
    try:
        signatures = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 - e.g. a signature container that is not DER
        logger.info("PDF signature could not be read: %r", error)
        return SignatureCheck(signed=True, problem="The signature is damaged.")
    if not signatures:
        return SignatureCheck(signed=False, problem="This PDF is not signed.")
    subjects = _carried_subjects(signatures[0])
    try:
        status = validate_pdf_signature(
            signatures[0],
            signer_validation_context=ValidationContext(trust_roots=roots,
                                                        allow_fetching=False),
        )
    except Exception as error:  # noqa: BLE001 - a damaged signature is a result, not a crash
        logger.info("PDF signature could not be validated: %r", error)
        return SignatureCheck(signed=True, problem="The signature is damaged.",
                              subjects=subjects)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted_ok = bool(status.intact and status.valid and status.trusted)
    if not status.intact or not status.valid:
        problem = "The document was changed after it was signed."
    elif not trusted_ok:
        problem = "The signature is not from a trusted issuer."
    elif not whole:
        problem = "Something was added to the document after it was signed."
    else:
        problem = ""
    return SignatureCheck(
        signed=True, intact=bool(status.intact and status.valid), trusted=trusted_ok,
        signer=_common_name(status.signing_cert), signed_at=status.signer_reported_dt,
        covers_whole_file=whole, problem=problem, subjects=subjects,
    )


def _carried_subjects(signature: object) -> frozenset[bytes]:
    try:
        return frozenset(choice.chosen["tbs_certificate"]["subject"].dump()
                         for choice in signature.signed_data["certificates"])
    except Exception:  # noqa: BLE001 - a container too damaged to read claims nobody
        return frozenset()
