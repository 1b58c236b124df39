"""Statement attachments over ``multipart/mixed`` and signed statements (JWS).

A request part carries its attachment's SHA-256 in ``X-Experience-API-Hash``; every
attachment a statement declares without a ``fileUrl`` must arrive as a part, and every
part must be declared. A signature attachment holds a JWS (RS256/384/512) whose payload is
the statement without its ``attachments``; when its header carries an X.509 certificate
(``x5c``) the signature is checked against that certificate's key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jwt
import orjson
from cryptography import x509

from ..storage import statement_comparable
from .http import XapiError

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
_SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512")
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def multipart_parse(body: bytes, content_type: str) -> list[Part]:
    """The parts of a ``multipart/mixed`` body (RFC 2046), strictly."""
    match = _BOUNDARY.search(content_type)
    if not match:
        raise XapiError(400, "Content-Type: multipart/mixed needs a boundary")
    delimiter = b"--" + match.group(1).encode()
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise XapiError(400, "body: malformed multipart/mixed (boundary not found or "
                             "not closed)")
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise XapiError(400, "body: malformed multipart/mixed part (CRLF expected)")
        head, separator, content = chunk[2:-2].partition(b"\r\n\r\n")
        if not separator:
            # A part with no headers starts with its blank line.
            if chunk[2:].startswith(b"\r\n"):
                head, content = b"", chunk[4:-2]
            else:
                raise XapiError(400, "body: malformed multipart/mixed part headers")
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon:
                raise XapiError(400, f"body: malformed part header {line!r}")
            headers[name.strip().lower()] = value.strip()
        parts.append(Part(headers=headers, content=content))
    return parts


def _declared(statements: Iterable[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    found = []
    for index, statement in enumerate(statements):
        for attachment in statement.get("attachments") or []:
            found.append((index, attachment))
        obj = statement.get("object") or {}
        if obj.get("objectType") == "SubStatement":
            for attachment in obj.get("attachments") or []:
                found.append((index, {**attachment, "_nested": True}))
    return found


def attachments_collect(statements: list[dict[str, Any]], parts: list[Part]
                        ) -> dict[str, tuple[str, bytes]]:
    """Match the attachment parts with the attachments the statements declare and check
    the signatures. Returns sha2 → (content type, content)."""
    received: dict[str, Part] = {}
    for part in parts:
        sha2 = part.headers.get("x-experience-api-hash")
        if not sha2:
            raise XapiError(400, "X-Experience-API-Hash: every attachment part needs it")
        if part.headers.get("content-transfer-encoding", "").lower() != "binary":
            raise XapiError(400, "Content-Transfer-Encoding: attachment parts must be "
                                 "binary")
        if hashlib.sha256(part.content).hexdigest() != sha2.lower():
            raise XapiError(400, f"X-Experience-API-Hash: {sha2} is not the SHA-256 of "
                                 f"the part's content")
        received[sha2.lower()] = part
    declared = _declared(statements)
    wanted = {a["sha2"].lower() for _i, a in declared if "fileUrl" not in a}
    for index, attachment in declared:
        sha2 = str(attachment.get("sha2", "")).lower()
        if "fileUrl" not in attachment and sha2 not in received:
            raise XapiError(400, f"statements[{index}].attachments: no part carries the "
                                 f"attachment {sha2}")
    unknown = set(received) - {str(a.get("sha2", "")).lower() for _i, a in declared}
    if unknown:
        raise XapiError(400, f"body: part {sorted(unknown)[0]} matches no declared "
                             f"attachment")
    for index, attachment in declared:
        if attachment.get("usageType") == SIGNATURE and not attachment.get("_nested"):
            part = received.get(str(attachment.get("sha2", "")).lower())
            if part is not None:
                signature_check(statements[index], attachment, part.content, index=index)
    return {sha2: (part.content_type or "application/octet-stream", part.content)
            for sha2, part in received.items() if sha2 in wanted}


def _public_key(header: dict[str, Any], index: int) -> Any:
    chain = header.get("x5c")
    if not chain:
        return None
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
    except (ValueError, TypeError, IndexError) as exc:
        raise XapiError(400, f"statements[{index}].attachments: x5c certificate "
                             f"unreadable ({exc})") from None
    return certificate.public_key()


def signature_check(statement: dict[str, Any], attachment: dict[str, Any], token: bytes,
                    *, index: int) -> None:
    """Refuse (400) a signature that is not a JWS over this statement with RS256/384/512."""
    where = f"statements[{index}].attachments"
    if attachment.get("contentType") != "application/octet-stream":
        raise XapiError(400, f"{where}: a signature must have contentType "
                             f"application/octet-stream")
    try:
        text = token.decode("ascii").strip()
        header = jwt.get_unverified_header(text)
    except (UnicodeDecodeError, jwt.PyJWTError) as exc:
        raise XapiError(400, f"{where}: the signature is not a JWS ({exc})") from None
    algorithm = header.get("alg")
    if algorithm not in _SIGNING_ALGORITHMS:
        raise XapiError(400, f"{where}: signature algorithm {algorithm!r} is not RS256, "
                             f"RS384 or RS512")
    key = _public_key(header, index)
    try:
        if key is None:
            decoded = jwt.api_jws.decode_complete(text, options={"verify_signature": False})
        else:
            decoded = jwt.api_jws.decode_complete(text, key=key, algorithms=[algorithm])
        payload = orjson.loads(decoded["payload"])
    except jwt.InvalidSignatureError:
        raise XapiError(400, f"{where}: the signature does not verify against its "
                             f"x5c certificate") from None
    except (jwt.PyJWTError, orjson.JSONDecodeError, json.JSONDecodeError) as exc:
        raise XapiError(400, f"{where}: the signed payload is not JSON ({exc})") from None
    if not isinstance(payload, dict):
        raise XapiError(400, f"{where}: the signed payload is not a statement")
    ignore = frozenset({"attachments", "stored", "authority"} | (
        set() if "id" in payload else {"id"}))
    if statement_comparable(payload, ignore=ignore) != statement_comparable(
            statement, ignore=ignore):
        raise XapiError(400, f"{where}: the signed payload is not this statement")


def multipart_build(statements_json: bytes, attachments: list[tuple[str, str, bytes]]
                    ) -> tuple[bytes, str]:
    """A ``multipart/mixed`` response: the JSON first, then each (sha2, type, content)."""
    boundary = "hocso-" + hashlib.sha256(statements_json).hexdigest()[:24]
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
           statements_json, b"\r\n"]
    for sha2, content_type, content in attachments:
        out += [f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
                .encode(), content, b"\r\n"]
    out.append(f"--{boundary}--".encode())
    return b"".join(out), f'multipart/mixed; boundary="{boundary}"'
