"""Open Badges 3.0 credentials for issued certificates, signed with ecdsa-jcs-2019.

A certificate is also given out as an ``OpenBadgeCredential`` (1EdTech Open Badges 3.0, a W3C
Verifiable Credential 2.0) so that a learner can keep it in a wallet and anyone can check it
without our site: the issuing authority's P-256 key, the same one that signs the PDF, adds a
Data Integrity proof with the ``ecdsa-jcs-2019`` cryptosuite (W3C "Data Integrity ECDSA
Cryptosuites v1.0"). JCS (RFC 8785, the ``rfc8785`` library) is used rather than RDF dataset
canonicalisation so that signing needs no JSON-LD processor and no context fetching.

Pure module: no Django, no database. Error messages are English for callers to translate.

The signature is deterministic (RFC 6979): no random nonce can leak the key through a weak
random source, the same credential signed twice gives the same bytes, and the specification's
test vector is reproduced byte for byte (``tests/certificates/test_credentials.py``).
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import re
from typing import Any

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines the 1EdTech status and schema types (1EdTechRevocationList …); the OB 3.0 context
# does not, so a credential naming one of them must list this context too.
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
# W3C Controlled Identifiers v1.0: verificationMethod, assertionMethod, Multikey, controller.
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "ecdsa-jcs-2019"
PROOF_PURPOSE = "assertionMethod"
REVOCATION_LIST_TYPE = "1EdTechRevocationList"

# Multicodec "p256-pub" (0x1200) as an unsigned varint, then the 33-byte compressed point.
_P256_PUB_PREFIX = b"\x80\x24"
_P256_COMPRESSED_LEN = 33
_P256_ORDER_BYTES = 32

# The profile fields an embedded issuer keeps: the rest (keys, @context) belongs to the
# issuer's own document, where its terms are defined.
_ISSUER_FIELDS = ("id", "name", "url", "description", "email", "phone", "image", "official")

# XML Schema 1.1 dateTime, the form the specification asks of ``created``.
_XSD_DATETIME = re.compile(
    r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"
)


# -- building -------------------------------------------------------------------------------

def credential_build(
    *,
    credential_id: str,
    serial: str,
    holder_name: str,
    achievement_id: str,
    achievement_name: str,
    achievement_name_en: str,
    description: str,
    criteria: str,
    issuer: dict,
    issued_at: datetime.datetime,
    expires_at: datetime.datetime | None,
    verify_url: str,
    status_url: str | None = None,
    lang: str = "vi",
) -> dict:
    """The unsigned ``OpenBadgeCredential`` for one certificate.

    The holder is named by an ``IdentityObject`` of type ``name``, in plain text (``hashed``
    false), and by nothing else: no e-mail, username or ID number. Hashing would not hide
    it: the salt travels in the credential and Vietnamese full names come from a small set,
    so a salted SHA-256 is undone by trying names; meanwhile the printed certificate and the
    public check page show the name anyway, and a wallet could no longer say whose it is.

    ``achievement_name``, ``description`` and ``criteria`` are in ``lang``. Open Badges keeps
    ``name`` a plain string (a JSON-LD language map fails its JSON schema) and ``related``
    links a whole other achievement by id, so the English name goes into the achievement's
    description. The serial and the public check page (``verify_url``) go into the
    credential's own description, which wallets show. ``status_url``, when given, is a
    1EdTech Revocation List (see ``revocation_list_build``)."""
    if not holder_name.strip():
        raise ValueError("The holder's name is empty.")
    if not issuer.get("id") or not issuer.get("name"):
        raise ValueError("The issuer needs an id and a name.")
    valid_from = _xsd_datetime(issued_at)

    achievement_description = description.strip()
    if achievement_name_en.strip() and lang != "en":
        achievement_description = (
            f"{achievement_description}\n\nEnglish name: {achievement_name_en.strip()}".strip()
        )
    summary = (
        f"{achievement_name} — awarded to {holder_name}. Serial {serial}. Check at {verify_url}"
        if lang == "en" else
        f"{achievement_name} — cấp cho {holder_name}. Số hiệu {serial}. Kiểm tra tại {verify_url}"
    )

    contexts = [VC_CONTEXT, OB_CONTEXT]
    credential: dict[str, Any] = {
        "@context": contexts,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement_name,
        "description": summary,
        "issuer": _issuer_embedded(issuer),
        "validFrom": valid_from,
        "awardedDate": valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": holder_name.strip(),
            }],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": criteria},
                "inLanguage": lang,
            },
        },
    }
    if expires_at is not None:
        valid_until = _xsd_datetime(expires_at)
        if expires_at <= issued_at:
            raise ValueError("The certificate would expire before it is issued.")
        credential["validUntil"] = valid_until
    if status_url:
        contexts.append(OB_EXTENSIONS_CONTEXT)
        credential["credentialStatus"] = {"id": status_url, "type": REVOCATION_LIST_TYPE}
    return credential


def revocation_list_build(*, list_url: str, issuer_id: str,
                          revoked: list[tuple[str, str]]) -> dict:
    """The document to serve at ``status_url``: 1EdTech Revocation List Status Method 1.0,
    which Open Badges 3.0 names for ``credentialStatus``. ``revoked`` holds
    (credential id, reason) pairs; a verifier looks for its credential's id in the list."""
    return {
        "id": list_url,
        "issuer": issuer_id,
        "revokedCredentials": [
            {"id": credential_id, "revocationReason": reason} if reason else {"id": credential_id}
            for credential_id, reason in revoked
        ],
    }


def issuer_profile(*, issuer_id: str, name: str, url: str, key_id: str,
                   public_key: ec.EllipticCurvePublicKey) -> dict:
    """The issuer's Open Badges ``Profile``, served at ``issuer_id``, which is also its
    controller document: a verifier who dereferences a proof's ``verificationMethod`` (the
    key id, ``<issuer_id>#key-1``) finds the public key here, and finds it listed under
    ``assertionMethod``, which is what makes it valid for signing credentials."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT, CID_CONTEXT],
        "id": issuer_id,
        "type": ["Profile"],
        "name": name,
        "url": url,
        "verificationMethod": [{
            "id": key_id,
            "type": "Multikey",
            "controller": issuer_id,
            "publicKeyMultibase": multikey_encode(public_key),
        }],
        "assertionMethod": [key_id],
    }


# -- signing and verifying ------------------------------------------------------------------

def credential_sign(credential: dict, *, private_key: ec.EllipticCurvePrivateKey,
                    verification_method: str, created: datetime.datetime) -> dict:
    """A copy of ``credential`` with an ``ecdsa-jcs-2019`` proof ("Create Proof" of the
    specification): the proof options take the document's ``@context``; the JCS forms of
    the proof configuration and of the document are hashed with SHA-256 and the two hashes,
    configuration first, are signed with ECDSA P-256 / SHA-256; ``proofValue`` is the raw
    r||s signature in base58btc multibase."""
    _require_p256(private_key.curve)
    if "proof" in credential:
        raise ValueError("The credential already has a proof.")
    unsecured = copy.deepcopy(credential)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": _xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    if "@context" in unsecured:
        proof["@context"] = copy.deepcopy(unsecured["@context"])
    hash_data = _hash_data(*_canonical_inputs(unsecured, proof))
    der = private_key.sign(hash_data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(_P256_ORDER_BYTES, "big") + s.to_bytes(_P256_ORDER_BYTES, "big")
    proof["proofValue"] = "z" + base58.b58encode(raw).decode("ascii")
    unsecured["proof"] = proof
    return unsecured


def credential_verify(credential: dict, *, public_key: ec.EllipticCurvePublicKey) -> bool:
    """Whether ``credential`` carries a valid ``ecdsa-jcs-2019`` proof by ``public_key``
    ("Verify Proof" of the specification). False, never an exception, for anything else:
    tampering, a malformed or missing proof, another cryptosuite, input that is not JSON.

    This checks the signature only. The caller resolves ``proof.verificationMethod`` to the
    key (and should check it is the issuer's), and reads ``validFrom``/``validUntil`` and
    the revocation status itself."""
    try:
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            return False
        _require_p256(public_key.curve)
        if not isinstance(credential, dict) or not isinstance(credential.get("proof"), dict):
            return False
        unsecured = {key: value for key, value in credential.items() if key != "proof"}
        options = {key: value for key, value in credential["proof"].items()
                   if key != "proofValue"}
        proof_bytes = _proof_value_decode(credential["proof"].get("proofValue"))
        if proof_bytes is None or not _proof_options_valid(options):
            return False
        if "@context" in options:
            if not _context_starts_with(unsecured.get("@context"), options["@context"]):
                return False
            unsecured["@context"] = options["@context"]
        hash_data = _hash_data(*_canonical_inputs(unsecured, options))
        signature = encode_dss_signature(
            int.from_bytes(proof_bytes[:_P256_ORDER_BYTES], "big"),
            int.from_bytes(proof_bytes[_P256_ORDER_BYTES:], "big"),
        )
        public_key.verify(signature, hash_data, ec.ECDSA(hashes.SHA256()))
        return True
    except (InvalidSignature, ValueError, TypeError, RecursionError):
        # ValueError includes rfc8785.CanonicalizationError (non-JSON values, NaN, big ints).
        return False


# -- Multikey ---------------------------------------------------------------------------------

def multikey_encode(public_key: ec.EllipticCurvePublicKey) -> str:
    """The key as a Multikey ``publicKeyMultibase`` (W3C Controlled Identifiers): base58btc
    ``z`` + varint of multicodec ``p256-pub`` (0x1200) + the compressed point."""
    _require_p256(public_key.curve)
    point = public_key.public_bytes(serialization.Encoding.X962,
                                    serialization.PublicFormat.CompressedPoint)
    return "z" + base58.b58encode(_P256_PUB_PREFIX + point).decode("ascii")


def multikey_decode(text: str) -> ec.EllipticCurvePublicKey:
    """The P-256 public key in a Multikey ``publicKeyMultibase``; ValueError if it is not
    one (another multibase, another key type, or not a point on the curve)."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("Not a base58btc multibase value (it must start with 'z').")
    try:
        raw = base58.b58decode(text[1:])
    except ValueError as error:
        raise ValueError("Not valid base58btc.") from error
    if not raw.startswith(_P256_PUB_PREFIX) or len(raw) != 2 + _P256_COMPRESSED_LEN:
        raise ValueError("Not a compressed P-256 public key (multicodec 0x1200).")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])


# -- the specification's steps ----------------------------------------------------------------

def _canonical_inputs(unsecured: dict, proof_options: dict) -> tuple[bytes, bytes]:
    """(canonical proof configuration, canonical document): "Proof Configuration" and
    "Transformation" of ecdsa-jcs-2019, both JCS."""
    return rfc8785.dumps(proof_options), rfc8785.dumps(unsecured)


def _hash_data(canonical_proof_config: bytes, canonical_document: bytes) -> bytes:
    """"Hashing": SHA-256 of the proof configuration, then SHA-256 of the document."""
    return (hashlib.sha256(canonical_proof_config).digest()
            + hashlib.sha256(canonical_document).digest())


def _proof_options_valid(options: dict) -> bool:
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != CRYPTOSUITE:
        return False
    if options.get("proofPurpose") != PROOF_PURPOSE:
        return False
    if not isinstance(options.get("verificationMethod"), str):
        return False
    created = options.get("created")
    return created is None or _is_xsd_datetime(created)


def _proof_value_decode(value: object) -> bytes | None:
    if not isinstance(value, str) or not value.startswith("z"):
        return None
    try:
        raw = base58.b58decode(value[1:])
    except ValueError:
        return None
    return raw if len(raw) == 2 * _P256_ORDER_BYTES else None


def _context_starts_with(document_context: object, proof_context: object) -> bool:
    """The document's @context begins with the proof's @context values, in order."""
    document_list = document_context if isinstance(document_context, list) else [document_context]
    proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
    return document_context is not None and document_list[:len(proof_list)] == proof_list


# -- small helpers --------------------------------------------------------------------------

def _issuer_embedded(issuer: dict) -> dict:
    embedded = {key: issuer[key] for key in _ISSUER_FIELDS if key in issuer}
    return {"id": embedded.pop("id"), "type": ["Profile"], **embedded}


def _xsd_datetime(moment: datetime.datetime) -> str:
    """UTC, whole seconds, ``Z``: the usual VC form. A naive time is refused because its
    zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A time with a time zone is needed.")
    utc = moment.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
    return utc.isoformat() + "Z"


def _is_xsd_datetime(value: object) -> bool:
    if not isinstance(value, str) or not _XSD_DATETIME.fullmatch(value):
        return False
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _require_p256(curve: ec.EllipticCurve) -> None:
    if not isinstance(curve, ec.SECP256R1):
        raise ValueError("ecdsa-jcs-2019 here uses P-256 keys only.")
