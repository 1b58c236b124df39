"""Open Badges 3.0 credentials signed with ecdsa-jcs-2019: the W3C specification's test vector
step by step, our own credentials built, signed and checked, tampering and garbage refused.
Pure: no database."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json

import base58
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from certificates.credentials import (
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    VC_CONTEXT,
    _canonical_inputs,
    _hash_data,
    credential_build,
    credential_sign,
    credential_verify,
    issuer_profile,
    multikey_decode,
    multikey_encode,
    revocation_list_build,
)

from . import vc_vectors as spec

UTC = datetime.UTC
ICT = datetime.timezone(datetime.timedelta(hours=7))
ISSUER_ID = "https://hocso.example.gov.vn/credentials/issuers/hocso/"
KEY_ID = ISSUER_ID + "#key-1"
SERIAL = "HS-7K3M-9QXA-2BCD"
HOLDER = "Nguyễn Thị Ánh Tuyết"


def _spec_private_key() -> ec.EllipticCurvePrivateKey:
    """The specification's secret key: multicodec p256-priv (0x1306, varint 0x86 0x26)."""
    raw = base58.b58decode(spec.P256_SECRET_KEY_MULTIBASE[1:])
    assert raw[:2] == b"\x86\x26" and len(raw) == 34
    return ec.derive_private_key(int.from_bytes(raw[2:], "big"), ec.SECP256R1())


@pytest.fixture(scope="module")
def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _built(**changes: object) -> dict:
    arguments: dict = {
        "credential_id": f"https://hocso.example.gov.vn/credentials/{SERIAL}.json",
        "serial": SERIAL,
        "holder_name": HOLDER,
        "achievement_id": "https://hocso.example.gov.vn/credentials/achievements/ky-nang-so/",
        "achievement_name": "Kỹ năng số cơ bản cho cán bộ, công chức",
        "achievement_name_en": "Basic digital skills for civil servants",
        "description": "Hoàn thành khoá học Kỹ năng số cơ bản.",
        "criteria": "Hoàn thành mọi bài học và đạt bài kiểm tra cuối khoá.",
        "issuer": {"id": ISSUER_ID, "name": "Nền tảng HọcSố",
                   "url": "https://hocso.example.gov.vn/"},
        "issued_at": datetime.datetime(2026, 11, 23, 16, 5, 9, 123456, tzinfo=ICT),
        "expires_at": datetime.datetime(2028, 11, 23, 9, 5, 9, tzinfo=UTC),
        "verify_url": f"https://hocso.example.gov.vn/verify/{SERIAL}/",
    }
    arguments.update(changes)
    return credential_build(**arguments)


def _signed(key: ec.EllipticCurvePrivateKey, credential: dict | None = None) -> dict:
    return credential_sign(credential or _built(), private_key=key, verification_method=KEY_ID,
                           created=datetime.datetime(2026, 11, 23, 9, 5, 10, tzinfo=UTC))


# -- the specification's test vector ----------------------------------------------------------

def test_spec_canonical_forms_and_hashes_match_ours():
    proof_config, document = _canonical_inputs(spec.UNSIGNED, spec.PROOF_OPTIONS)
    assert document.decode() == spec.CANONICAL_DOCUMENT
    assert hashlib.sha256(document).hexdigest() == spec.DOCUMENT_HASH_HEX
    assert proof_config.decode() == spec.CANONICAL_PROOF_CONFIG
    assert hashlib.sha256(proof_config).hexdigest() == spec.PROOF_CONFIG_HASH_HEX
    assert _hash_data(proof_config, document).hex() == spec.HASH_DATA_HEX


def test_spec_signed_credential_verifies_with_the_spec_public_key():
    public_key = multikey_decode(spec.P256_PUBLIC_KEY_MULTIBASE)
    assert credential_verify(spec.SIGNED, public_key=public_key) is True


def test_signing_the_spec_credential_reproduces_the_spec_proof_exactly():
    """RFC 6979 signatures are deterministic, and the specification's were made that way."""
    created = datetime.datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC)
    signed = credential_sign(spec.UNSIGNED, private_key=_spec_private_key(),
                             verification_method=spec.PROOF_OPTIONS["verificationMethod"],
                             created=created)
    assert signed == spec.SIGNED
    raw = base58.b58decode(signed["proof"]["proofValue"][1:])
    assert raw.hex() == spec.SIGNATURE_HEX
    assert "proof" not in spec.UNSIGNED  # signing returned a copy


def test_spec_public_key_is_the_spec_secret_key_s_and_round_trips():
    public_key = multikey_decode(spec.P256_PUBLIC_KEY_MULTIBASE)
    assert public_key.public_numbers() == _spec_private_key().public_key().public_numbers()
    assert multikey_encode(public_key) == spec.P256_PUBLIC_KEY_MULTIBASE


def test_spec_credential_with_another_key_fails():
    other = ec.generate_private_key(ec.SECP256R1()).public_key()
    assert credential_verify(spec.SIGNED, public_key=other) is False


# -- building -----------------------------------------------------------------------------------

def test_built_credential_is_an_open_badge_with_the_holder_s_name_only():
    credential = _built(status_url="https://hocso.example.gov.vn/credentials/revocations/")
    assert credential["@context"] == [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {"id": ISSUER_ID, "type": ["Profile"],
                                    "name": "Nền tảng HọcSố", "url": "https://hocso.example.gov.vn/"}
    assert credential["validFrom"] == "2026-11-23T09:05:09Z"  # 16:05:09 in Hà Nội, in UTC
    assert credential["awardedDate"] == "2026-11-23T09:05:09Z"
    assert credential["validUntil"] == "2028-11-23T09:05:09Z"
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert "id" not in subject
    assert subject["identifier"] == [{"type": "IdentityObject", "identityType": "name",
                                      "hashed": False, "identityHash": HOLDER}]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == "Kỹ năng số cơ bản cho cán bộ, công chức"
    assert achievement["inLanguage"] == "vi"
    assert achievement["criteria"] == {
        "narrative": "Hoàn thành mọi bài học và đạt bài kiểm tra cuối khoá."}
    assert "English name: Basic digital skills for civil servants" in achievement["description"]
    assert SERIAL in credential["description"]
    assert f"https://hocso.example.gov.vn/verify/{SERIAL}/" in credential["description"]
    assert credential["credentialStatus"] == {
        "id": "https://hocso.example.gov.vn/credentials/revocations/",
        "type": "1EdTechRevocationList"}


def test_built_credential_without_expiry_or_status():
    credential = _built(expires_at=None)
    assert "validUntil" not in credential
    assert "credentialStatus" not in credential
    assert credential["@context"] == [VC_CONTEXT, OB_CONTEXT]


def test_no_email_or_username_in_a_built_credential():
    issuer = {"id": ISSUER_ID, "name": "Nền tảng HọcSố", "email": "lienhe@hocso.example.gov.vn",
              "verificationMethod": [{"id": KEY_ID}], "@context": ["x"]}
    text = json.dumps(_built(issuer=issuer), ensure_ascii=False)
    for secret in ("tuyet.nguyen@", "ntatuyet", "username", "emailAddress", "001190"):
        assert secret not in text
    # the issuer's public contact stays; its keys and context stay in its own document
    assert "lienhe@hocso.example.gov.vn" in text
    assert "verificationMethod" not in text and '"x"' not in text


def test_building_refuses_naive_times_and_an_empty_name():
    with pytest.raises(ValueError, match="time zone"):
        _built(issued_at=datetime.datetime(2026, 11, 23, 9, 0))
    with pytest.raises(ValueError, match="name"):
        _built(holder_name="  ")
    with pytest.raises(ValueError, match="expire"):
        _built(expires_at=datetime.datetime(2020, 1, 1, tzinfo=UTC))


def test_revocation_list_names_the_revoked_credentials():
    document = revocation_list_build(list_url="https://h.example/rev/", issuer_id=ISSUER_ID,
                                     revoked=[("urn:a", "Cấp nhầm"), ("urn:b", "")])
    assert document == {"id": "https://h.example/rev/", "issuer": ISSUER_ID,
                        "revokedCredentials": [{"id": "urn:a", "revocationReason": "Cấp nhầm"},
                                               {"id": "urn:b"}]}


def test_issuer_profile_is_a_controller_document_for_the_key(key):
    profile = issuer_profile(issuer_id=ISSUER_ID, name="Nền tảng HọcSố",
                             url="https://hocso.example.gov.vn/", key_id=KEY_ID,
                             public_key=key.public_key())
    assert profile["id"] == ISSUER_ID and profile["type"] == ["Profile"]
    assert profile["@context"][:2] == [VC_CONTEXT, OB_CONTEXT]
    (method,) = profile["verificationMethod"]
    assert method["id"] == KEY_ID and method["type"] == "Multikey"
    assert method["controller"] == ISSUER_ID
    assert profile["assertionMethod"] == [KEY_ID]
    # what a verifier does: dereference the proof's key id, decode, verify
    signed = _signed(key)
    found = next(m for m in profile["verificationMethod"]
                 if m["id"] == signed["proof"]["verificationMethod"])
    assert credential_verify(signed, public_key=multikey_decode(found["publicKeyMultibase"]))


# -- signing and verifying our credentials ---------------------------------------------------

def test_sign_then_verify(key):
    credential = _built()
    signed = _signed(key, credential)
    assert "proof" not in credential
    proof = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "ecdsa-jcs-2019"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == KEY_ID
    assert proof["created"] == "2026-11-23T09:05:10Z"
    assert proof["@context"] == signed["@context"]
    assert proof["proofValue"].startswith("z")
    assert len(base58.b58decode(proof["proofValue"][1:])) == 64
    assert credential_verify(signed, public_key=key.public_key()) is True
    # survives a trip through JSON text, in any key order
    text = json.dumps(signed, ensure_ascii=False, indent=2, sort_keys=True)
    assert credential_verify(json.loads(text), public_key=key.public_key()) is True


def test_signing_twice_gives_the_same_proof(key):
    assert _signed(key) == _signed(key)


def test_signing_refuses_a_signed_credential_and_other_curves(key):
    with pytest.raises(ValueError, match="already"):
        _signed(key, _signed(key))
    with pytest.raises(ValueError, match="P-256"):
        _signed(ec.generate_private_key(ec.SECP384R1()))


def _tampered(signed: dict, path: tuple, value: object) -> dict:
    copied = copy.deepcopy(signed)
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copied


@pytest.mark.parametrize(("path", "value"), [
    (("name",), "Kỹ năng số nâng cao"),
    (("credentialSubject", "identifier", 0, "identityHash"), "Nguyễn Thị Ánh Tuyết "),
    (("credentialSubject", "achievement", "name"), "Kỹ năng số"),
    (("validUntil",), "2099-11-23T09:05:09Z"),
    (("validFrom",), "2026-11-22T09:05:09Z"),
    (("issuer", "id"), "https://attacker.example/"),
    (("id",), "urn:uuid:00000000-0000-0000-0000-000000000000"),
    (("proof", "created"), "2026-11-23T09:05:11Z"),
    (("proof", "verificationMethod"), "https://attacker.example/#key-1"),
    (("proof", "proofPurpose"), "authentication"),
    (("proof", "cryptosuite"), "ecdsa-rdfc-2019"),
    (("proof", "@context"), [VC_CONTEXT]),
    (("@context",), [VC_CONTEXT, "https://attacker.example/context.json"]),
])
def test_any_change_breaks_the_proof(key, path, value):
    signed = _signed(key)
    assert credential_verify(_tampered(signed, path, value), public_key=key.public_key()) is False


def test_removing_or_adding_a_field_breaks_the_proof(key):
    signed = _signed(key)
    removed = copy.deepcopy(signed)
    del removed["validUntil"]
    added = copy.deepcopy(signed)
    added["credentialSubject"]["identifier"].append(
        {"type": "IdentityObject", "identityType": "name", "hashed": False,
         "identityHash": "Trần Văn B"})
    for document in (removed, added):
        assert credential_verify(document, public_key=key.public_key()) is False


def test_flipping_the_signature_breaks_the_proof(key):
    signed = _signed(key)
    raw = bytearray(base58.b58decode(signed["proof"]["proofValue"][1:]))
    raw[10] ^= 1
    forged = _tampered(signed, ("proof", "proofValue"), "z" + base58.b58encode(raw).decode())
    assert credential_verify(forged, public_key=key.public_key()) is False


@pytest.mark.parametrize("garbage", [
    None, "", "not a credential", 42, [], {}, {"proof": None}, {"proof": "z123"},
    {"proof": {}}, {"proof": {"proofValue": "z"}}, {"proof": {"proofValue": 5}},
    {"proof": {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-jcs-2019",
               "proofPurpose": "assertionMethod", "verificationMethod": KEY_ID,
               "proofValue": "z0OIl"}},  # not base58
    {"proof": {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-jcs-2019",
               "proofPurpose": "assertionMethod", "verificationMethod": KEY_ID,
               "proofValue": "z" + base58.b58encode(b"\x00" * 64).decode()}},  # r = s = 0
])
def test_garbage_is_false_not_an_exception(key, garbage):
    assert credential_verify(garbage, public_key=key.public_key()) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("change", [
    lambda d: d.__setitem__("score", float("nan")),      # not JSON
    lambda d: d.__setitem__("big", 2**60),              # outside JCS's integer range
    lambda d: d.__setitem__("when", datetime.date.today()),  # not JSON at all
    lambda d: d["proof"].__setitem__("created", "yesterday"),
    lambda d: d["proof"].__setitem__("created", "2026-13-40T99:00:00Z"),
    lambda d: d["proof"].pop("verificationMethod"),
    lambda d: d.pop("@context"),
])
def test_malformed_documents_are_false(key, change):
    signed = _signed(key)
    change(signed)
    assert credential_verify(signed, public_key=key.public_key()) is False


def test_deeply_nested_garbage_is_false(key):
    signed = _signed(key)
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    signed["deep"] = nested
    assert credential_verify(signed, public_key=key.public_key()) is False


def test_verify_with_a_key_of_another_curve_is_false(key):
    other = ec.generate_private_key(ec.SECP384R1()).public_key()
    assert credential_verify(_signed(key), public_key=other) is False
    assert credential_verify(_signed(key), public_key="not a key") is False  # type: ignore[arg-type]


# -- Multikey -----------------------------------------------------------------------------------

def test_multikey_round_trip(key):
    text = multikey_encode(key.public_key())
    assert text.startswith("zDn")  # every P-256 Multikey does
    assert multikey_decode(text).public_numbers() == key.public_key().public_numbers()
    compressed = key.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.CompressedPoint)
    assert base58.b58decode(text[1:]) == b"\x80\x24" + compressed


@pytest.mark.parametrize("text", [
    "", "z", "DnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP", "zzzzz", "z0OIl",
    "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",  # an Ed25519 Multikey
    spec.P256_SECRET_KEY_MULTIBASE,
    "z" + base58.b58encode(b"\x80\x24" + b"\x02" + b"\xff" * 32).decode(),  # not on the curve
])
def test_multikey_decode_refuses_what_is_not_a_p256_key(text):
    with pytest.raises(ValueError):
        multikey_decode(text)
