"""The documents of the xAPI document resources (state, activity profile, agent profile):
stored, merged and deleted with the specification's concurrency rules."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone

from .models import Document
from .xapi.agents import ifi_key


def document_etag(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()


def document_put(*, kind: str, doc_id: str, content: bytes, content_type: str,
                 activity_id: str = "", agent: dict[str, Any] | None = None,
                 registration: str = "") -> Document:
    """Store (replace) one document."""
    document, _created = Document.objects.update_or_create(
        kind=kind, activity_id=activity_id, agent_key=ifi_key(agent) if agent else "",
        registration=registration, doc_id=doc_id,
        defaults={"content": content, "content_type": content_type,
                  "etag": document_etag(content), "updated": timezone.now()},
    )
    return document


def document_get(*, kind: str, doc_id: str, activity_id: str = "",
                 agent: dict[str, Any] | None = None, registration: str = ""
                 ) -> Document | None:
    return Document.objects.filter(
        kind=kind, activity_id=activity_id, agent_key=ifi_key(agent) if agent else "",
        registration=registration, doc_id=doc_id,
    ).first()
