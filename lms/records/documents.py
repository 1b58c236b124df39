"""The documents of the xAPI document resources (state, activity profile, agent profile):
stored, merged and deleted with the specification's concurrency rules.

Every write runs in a transaction holding the document's row lock (``select_for_update``),
so a POST merge never loses a concurrent one; two simultaneous first writes of the same
document meet on the unique constraint, and the loser retries against the winner's row.
The functions raise the ``DocumentError`` subclasses below; the HTTP layer maps them to
status codes.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import Document
from .xapi.agents import ifi_key

JSON = "application/json"


class DocumentError(ValueError):
    """A document write or delete refused; the message says why."""


class PreconditionFailed(DocumentError):
    """If-Match / If-None-Match does not hold (HTTP 412)."""


class DocumentConflict(DocumentError):
    """A PUT without a precondition header would overwrite an existing document (409)."""


class PreconditionMissing(DocumentError):
    """A PUT that must carry If-Match or If-None-Match carries neither (400)."""


class InvalidDocument(DocumentError):
    """A POST merge where either document is not a JSON object, or the content is not
    what its Content-Type says (400)."""


@dataclass(frozen=True)
class DocumentKey:
    """Where a document lives. ``doc_id`` empty means every document of that context
    (id lists and the state resource's multiple delete)."""

    kind: str
    activity_id: str = ""
    agent_key: str = ""
    registration: str = ""
    doc_id: str = ""

    @classmethod
    def of(cls, *, kind: str, doc_id: str = "", activity_id: str = "",
           agent: dict[str, Any] | None = None, registration: str = "") -> DocumentKey:
        return cls(kind=kind, activity_id=activity_id,
                   agent_key=ifi_key(agent) if agent else "",
                   registration=str(uuid.UUID(registration)) if registration else "",
                   doc_id=doc_id)

    def lookup(self) -> dict[str, str]:
        return {"kind": self.kind, "activity_id": self.activity_id,
                "agent_key": self.agent_key, "registration": self.registration,
                "doc_id": self.doc_id}


@dataclass(frozen=True)
class Preconditions:
    """The request's If-Match and If-None-Match headers, as sent (None when absent)."""

    if_match: str | None = None
    if_none_match: str | None = None

    @property
    def given(self) -> bool:
        return self.if_match is not None or self.if_none_match is not None


def document_etag(content: bytes) -> str:
    """The SHA-1 of the content in lowercase hex (the response header adds the quotes)."""
    return hashlib.sha1(content).hexdigest()


def media_type(content_type: str) -> str:
    """``application/json; charset=utf-8`` → ``application/json``."""
    return content_type.split(";")[0].strip().lower()


def _etag_listed(header: str, etag: str, *, weak: bool) -> bool:
    """Whether an If-Match (strong comparison) or If-None-Match (weak comparison) header
    names ``etag``; ``*`` names any existing document."""
    if header.strip() == "*":
        return True
    for item in header.split(","):
        tag = item.strip()
        if tag.startswith("W/"):
            if not weak:
                continue
            tag = tag[2:]
        if tag.strip('"') == etag:
            return True
    return False


def _check(existing: Document | None, preconditions: Preconditions) -> None:
    if preconditions.if_match is not None and (
            existing is None
            or not _etag_listed(preconditions.if_match, existing.etag, weak=False)):
        raise PreconditionFailed("If-Match: the document has changed or does not exist "
                                 "(precondition failed)")
    if preconditions.if_none_match is not None and existing is not None and _etag_listed(
            preconditions.if_none_match, existing.etag, weak=True):
        raise PreconditionFailed("If-None-Match: the document exists already "
                                 "(precondition failed)")


def _json_or_none(content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


def _check_json(content: bytes, content_type: str) -> None:
    """Content that says it is JSON must be JSON."""
    if media_type(content_type) == JSON:
        try:
            orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise InvalidDocument(f"body: Content-Type is application/json but the content "
                               f"is not valid JSON ({exc})") from None


def _locked(key: DocumentKey) -> Document | None:
    """The document, its row locked until the end of the transaction."""
    return Document.objects.select_for_update().filter(**key.lookup()).first()


Decide = Callable[[Document | None], tuple[bytes, str]]


def _write(key: DocumentKey, decide: Decide) -> Document:
    """Store what ``decide(existing document or None)`` returns, under the row lock."""
    with transaction.atomic():
        for attempt in (1, 2):
            existing = _locked(key)
            content, content_type = decide(existing)
            fields = {"content": content, "content_type": content_type,
                      "etag": document_etag(content), "updated": timezone.now()}
            if existing is not None:
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.save(update_fields=list(fields))
                return existing
            try:
                with transaction.atomic():
                    return Document.objects.create(**key.lookup(), **fields)
            except IntegrityError:
                # Another request created the document since our read (its INSERT
                # committed first): decide again on its row.
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def document_replace(*, key: DocumentKey, content: bytes, content_type: str,
                     preconditions: Preconditions = Preconditions(),
                     blind_create: bool = True, blind_replace: bool = True) -> Document:
    """PUT: store ``content`` as the whole document. Without a precondition header,
    ``blind_create`` says whether a new document may be created and ``blind_replace``
    whether an existing one may be overwritten (else ``PreconditionMissing`` /
    ``DocumentConflict``)."""
    _check_json(content, content_type)

    def decide(existing: Document | None) -> tuple[bytes, str]:
        if preconditions.given:
            _check(existing, preconditions)
        elif existing is not None and not blind_replace:
            raise DocumentConflict(
                "If-Match: the document exists; GET it to check its current state, then "
                f'PUT again with the header If-Match: "{existing.etag}"')
        elif existing is None and not blind_create:
            raise PreconditionMissing("If-Match / If-None-Match: a PUT to this resource "
                                      "needs one of these headers (If-None-Match: * to "
                                      "create a new document)")
        return content, content_type

    return _write(key, decide)


def document_merge(*, key: DocumentKey, content: bytes, content_type: str,
                   preconditions: Preconditions = Preconditions()) -> Document:
    """POST: merge a JSON object into the stored JSON object (top-level properties of the
    new one replace the old ones), or store the content as a new document."""
    _check_json(content, content_type)

    def decide(existing: Document | None) -> tuple[bytes, str]:
        _check(existing, preconditions)
        if existing is None:
            return content, content_type
        if media_type(content_type) != JSON or media_type(existing.content_type) != JSON:
            raise InvalidDocument("Content-Type: a POST to an existing document merges JSON "
                               "objects; both the stored and the posted document must be "
                               "application/json")
        old, new = _json_or_none(bytes(existing.content)), orjson.loads(content)
        if not isinstance(old, dict) or not isinstance(new, dict):
            raise InvalidDocument("body: a POST to an existing document merges JSON objects; "
                               "both documents must be JSON objects")
        return orjson.dumps({**old, **new}), existing.content_type

    return _write(key, decide)


def document_delete(*, key: DocumentKey, preconditions: Preconditions = Preconditions()
                    ) -> bool:
    """DELETE one document; False when there was none (not an error)."""
    with transaction.atomic():
        existing = _locked(key)
        _check(existing, preconditions)
        if existing is None:
            return False
        existing.delete()
        return True


def _context(key: DocumentKey) -> QuerySet[Document]:
    """Every document of a context; without a registration, those of all registrations."""
    qs = Document.objects.filter(kind=key.kind, activity_id=key.activity_id,
                                 agent_key=key.agent_key)
    if key.registration:
        qs = qs.filter(registration=key.registration)
    return qs


def documents_delete(*, key: DocumentKey) -> int:
    """DELETE without an id (state resource): every document of the context."""
    deleted, _ = _context(key).delete()
    return deleted


def document_ids(*, key: DocumentKey, since: datetime.datetime | None = None
                 ) -> tuple[list[str], datetime.datetime | None]:
    """The ids of a context's documents updated after ``since`` (exclusive), and when the
    most recent of them was updated (None when there are none)."""
    qs = _context(key)
    if since is not None:
        qs = qs.filter(updated__gt=since)
    ids = sorted(set(qs.values_list("doc_id", flat=True)))
    latest = qs.aggregate(latest=Max("updated"))["latest"] if ids else None
    return ids, latest


def document_find(*, key: DocumentKey) -> Document | None:
    return Document.objects.filter(**key.lookup()).first()


def document_put(*, kind: str, doc_id: str, content: bytes, content_type: str,
                 activity_id: str = "", agent: dict[str, Any] | None = None,
                 registration: str = "") -> Document:
    """Store (replace) one document on the platform's own behalf (no preconditions),
    e.g. the cmi5 ``LMS.LaunchData`` state."""
    key = DocumentKey.of(kind=kind, doc_id=doc_id, activity_id=activity_id, agent=agent,
                         registration=registration)
    return document_replace(key=key, content=content, content_type=content_type)


def document_get(*, kind: str, doc_id: str, activity_id: str = "",
                 agent: dict[str, Any] | None = None, registration: str = ""
                 ) -> Document | None:
    return document_find(key=DocumentKey.of(kind=kind, doc_id=doc_id,
                                            activity_id=activity_id, agent=agent,
                                            registration=registration))
