"""Attachments over multipart/mixed, and signed statements (JWS)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import uuid

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from lms.records.credentials import secret_hash
from lms.records.models import Attachment, Client, Statement
from lms.records.xapi.attachments import SIGNATURE, multipart_parse

pytestmark = pytest.mark.django_db

URL = "/xapi/statements"
BOUNDARY = "b0und4ry"


@pytest.fixture
def auth(db):
    Client.objects.create(name="lms", key="lms", secret_hash=secret_hash("pw"),
                          can_read=True, can_write=True)
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"lms:pw").decode(),
            "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def _statement() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {"mbox": "mailto:hoc.vien@example.vn"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.vn/activities/a1"},
    }


def _declare(statement: dict, content: bytes, *, usage: str = "http://example.vn/usage/note",
             content_type: str = "text/plain") -> dict:
    statement.setdefault("attachments", []).append({
        "usageType": usage, "display": {"vi": "Tệp đính kèm"}, "contentType": content_type,
        "length": len(content), "sha2": hashlib.sha256(content).hexdigest(),
    })
    return statement


def _multipart(statements, parts: list[bytes]) -> bytes:
    out = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
           json.dumps(statements).encode(), b"\r\n"]
    for content in parts:
        out += [f"--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}\r\n\r\n".encode(),
                content, b"\r\n"]
    out.append(f"--{BOUNDARY}--".encode())
    return b"".join(out)


def _post(client, auth, body: bytes):
    return client.post(URL, data=body, content_type=f"multipart/mixed; boundary={BOUNDARY}",
                       **auth)


def test_attachment_stored_and_returned_as_multipart(client, auth):
    content = "Biên bản buổi học\r\n--không phải ranh giới".encode()
    statement = _declare(_statement(), content)
    assert _post(client, auth, _multipart([statement], [content])).status_code == 200
    assert bytes(Attachment.objects.get().content) == content
    response = client.get(URL, {"statementId": statement["id"], "attachments": "true"}, **auth)
    assert response["Content-Type"].startswith("multipart/mixed")
    parts = multipart_parse(response.content, response["Content-Type"])
    assert json.loads(parts[0].content)["id"] == statement["id"]
    assert parts[1].content == content
    assert parts[1].headers["x-experience-api-hash"] == hashlib.sha256(content).hexdigest()
    plain = client.get(URL, {"statementId": statement["id"]}, **auth)
    assert plain["Content-Type"] == "application/json"


def test_attachment_errors(client, auth):
    content = b"%PDF-1.7 fake"
    statement = _declare(_statement(), content)
    missing = _post(client, auth, _multipart([statement], []))
    assert missing.status_code == 400
    assert "no part carries" in missing.json()["error"]["message"]
    stray = _post(client, auth, _multipart([_statement()], [content]))
    assert stray.status_code == 400
    as_json = client.post(URL, data=statement, content_type="application/json", **auth)
    assert as_json.status_code == 400
    unclosed = _multipart([statement], [content])[:-2]
    assert _post(client, auth, unclosed).status_code == 400
    assert Statement.objects.count() == 0
    with_url = _statement()
    with_url["attachments"] = [dict(statement["attachments"][0],
                                    fileUrl="http://example.vn/files/bien-ban.pdf")]
    ok = client.post(URL, data=with_url, content_type="application/json", **auth)
    assert ok.status_code == 200


def _key_and_certificate():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "HọcSố test signer")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                   .sign(key, hashes.SHA256()))
    return key, certificate


def _signed(statement: dict, key, *, algorithm: str = "RS256", certificate=None,
            payload: dict | None = None) -> tuple[dict, bytes]:
    headers = {}
    if certificate is not None:
        der = certificate.public_bytes(serialization.Encoding.DER)
        headers["x5c"] = [base64.b64encode(der).decode()]
    signing_key = key if algorithm.startswith("RS") else "a-shared-secret-of-thirty-two-bytes!"
    token = jwt.encode(payload or statement, signing_key, algorithm=algorithm,
                       headers=headers).encode()
    return _declare(dict(statement), token, usage=SIGNATURE,
                    content_type="application/octet-stream"), token


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_signed_statement_accepted(client, auth, algorithm):
    key, certificate = _key_and_certificate()
    statement, token = _signed(_statement(), key, algorithm=algorithm, certificate=certificate)
    assert _post(client, auth, _multipart([statement], [token])).status_code == 200


def test_bad_signatures_refused(client, auth):
    key, certificate = _key_and_certificate()
    _other_key, other_certificate = _key_and_certificate()
    statement = _statement()
    hmac_signed, token = _signed(statement, key, algorithm="HS256")
    assert _post(client, auth, _multipart([hmac_signed], [token])).status_code == 400
    tampered, token = _signed(statement, key, payload={**statement, "verb": {
        "id": "http://adlnet.gov/expapi/verbs/passed"}})
    response = _post(client, auth, _multipart([tampered], [token]))
    assert response.status_code == 400
    assert "not this statement" in response.json()["error"]["message"]
    forged, token = _signed(statement, key, certificate=other_certificate)
    response = _post(client, auth, _multipart([forged], [token]))
    assert response.status_code == 400
    assert "does not verify" in response.json()["error"]["message"]
    garbage = _declare(dict(statement), b"not a jws", usage=SIGNATURE,
                       content_type="application/octet-stream")
    assert _post(client, auth, _multipart([garbage], [b"not a jws"])).status_code == 400
    assert Statement.objects.count() == 0


def test_signature_compares_durations_to_the_hundredth(client, auth):
    key, certificate = _key_and_certificate()
    statement = _statement() | {"result": {"duration": "PT1M0.12S"}}
    signed, token = _signed(statement, key, certificate=certificate)
    signed["result"] = {"duration": "PT1M0.1237S"}
    assert _post(client, auth, _multipart([signed], [token])).status_code == 200
    other = _statement() | {"result": {"duration": "PT1M0.12S"}}
    changed, token = _signed(other, key, certificate=certificate)
    changed["result"] = {"duration": "PT1M0.13S"}
    assert _post(client, auth, _multipart([changed], [token])).status_code == 400


def test_sub_statement_attachment_travels_as_a_part(client, auth):
    content = b"sub-statement evidence"
    sub = _declare({"objectType": "SubStatement", "actor": {"mbox": "mailto:a@example.vn"},
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
                    "object": {"id": "http://example.vn/activities/a2"}}, content)
    statement = _statement() | {"object": sub}
    assert _post(client, auth, _multipart([statement], [content])).status_code == 200
    assert bytes(Attachment.objects.get().content) == content
