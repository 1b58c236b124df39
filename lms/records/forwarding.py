"""Copies of stored statements to an external LRS, when forwarding is configured.

``forward_enqueue`` is called by the storing code inside the transaction that stores new
statements: it adds one ``ForwardItem`` per statement (the outbox) and, once the transaction
commits, schedules the ``forward_statements`` task. The task and a sweep job that runs every
minute call ``forward_pending``, which POSTs pending items in batches to the remote
``statements`` resource and marks them sent.

Nothing is lost: an item stays pending until the remote has answered 2xx for it; a refused
connection, a timeout, a 5xx or a 429 only counts an attempt and keeps the error. Nothing is
stored twice: the statements are sent exactly as stored, with their ids, so a resend after
a lost response is a no-op for the remote LRS; and a batch is locked (``SELECT … FOR
UPDATE SKIP LOCKED``) while it is being sent, so two workers never send the same item at
once. A statement the remote refuses for its content (409: it holds that id with other
content; 400; 413) is marked *rejected* and not retried on its own: it shows in the admin,
where an operator can send it again with "retry now".
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Attachment, ForwardItem, Statement

logger = logging.getLogger(__name__)

REJECTED_PREFIX = "rejected: "
# Statuses of the remote that refuse the statements themselves: sending them again as they
# are cannot succeed, so they are set apart instead of retried.
_REFUSED = frozenset({400, 409, 413})
_ERROR_TEXT_LIMIT = 500
# Scheduling from a web process: at most one task per this many seconds (it runs that much
# later and sends everything committed until then); inline (eager) tasks run every time.
SCHEDULE_DELAY = 1.0
_next_schedule = 0.0


def forwarding_enabled() -> bool:
    return bool(settings.XAPI_FORWARD_URL)


def forward_enqueue(statement_ids: Sequence[UUID]) -> None:
    """Queue newly stored statements for forwarding; called inside the storing
    transaction. Does nothing unless forwarding is configured."""
    if not statement_ids or not forwarding_enabled():
        return
    ForwardItem.objects.bulk_create(
        [ForwardItem(statement_id=statement_id) for statement_id in statement_ids],
        ignore_conflicts=True,
    )
    transaction.on_commit(forward_schedule, robust=True)


def forward_schedule() -> None:
    """Start the sending task now (or, from a busy process, within ``SCHEDULE_DELAY``).
    If the broker cannot be reached the items wait for the sweep job: nothing is lost."""
    global _next_schedule
    from .tasks import forward_statements

    if forward_statements.app.conf.task_always_eager:
        forward_statements.delay()
        return
    now = time.monotonic()
    if now < _next_schedule:
        return  # a task is due within SCHEDULE_DELAY; it will find these items
    _next_schedule = now + SCHEDULE_DELAY
    try:
        forward_statements.apply_async(countdown=SCHEDULE_DELAY)
    except Exception:  # the broker is down: the sweep job sends the items later
        _next_schedule = 0.0
        logger.exception("forwarding: could not schedule the sending task")


@dataclass
class ForwardResult:
    """What one ``forward_pending`` run did. ``error`` is set when the remote could not
    take a batch (items kept pending): the caller should try again later."""

    sent: int = 0
    rejected: int = 0
    failed: int = 0
    error: str = ""


@dataclass(frozen=True)
class _Outcome:
    ok: bool
    refused: bool = False  # the remote refused these statements for their content
    message: str = ""


def forward_pending(*, batch: int | None = None, max_batches: int = 20) -> ForwardResult:
    """Send pending items, ``batch`` statements per request (``XAPI_FORWARD_BATCH`` by
    default), until none is left, ``max_batches`` were sent, or the remote fails."""
    result = ForwardResult()
    if not forwarding_enabled():
        return result
    size = batch or settings.XAPI_FORWARD_BATCH
    with _session() as session:
        for _ in range(max_batches):
            taken = _forward_batch(session, size=size, result=result)
            if taken < size or result.error:
                break
    return result


def _forward_batch(session: requests.Session, *, size: int, result: ForwardResult) -> int:
    """Lock up to ``size`` pending items (skipping those another worker holds), send them
    and record what became of them, in one transaction. Returns how many were taken."""
    with transaction.atomic():
        items = list(
            ForwardItem.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("pk")
            .values_list("pk", "statement_id")[:size]
        )
        taken = len(items)
        if not taken:
            return 0
        payloads = dict(Statement.objects.filter(
            pk__in=[statement_id for _pk, statement_id in items]
        ).values_list("id", "payload"))
        # A statement deleted meanwhile takes its item with it (cascade): nothing to send.
        items = [item for item in items if item[1] in payloads]
        now = timezone.now()
        for group, outcome in _deliver(session, items, payloads) if items else ():
            pks = [pk for pk, _statement_id in group]
            rows = ForwardItem.objects.filter(pk__in=pks)
            if outcome.ok:
                rows.update(sent_at=now, attempts=F("attempts") + 1, last_error="")
                result.sent += len(pks)
            elif outcome.refused:
                rows.update(sent_at=now, attempts=F("attempts") + 1,
                            last_error=REJECTED_PREFIX + outcome.message)
                result.rejected += len(pks)
                logger.warning("forwarding: %d statement(s) rejected by the remote LRS: %s",
                               len(pks), outcome.message)
            else:
                rows.update(attempts=F("attempts") + 1, last_error=outcome.message)
                result.failed += len(pks)
                result.error = outcome.message
    return taken


def _deliver(session: requests.Session, items: list[tuple[int, UUID]],
             payloads: dict[UUID, Any]) -> list[tuple[list[tuple[int, UUID]], _Outcome]]:
    """POST the items' statements; if the remote refuses a batch for its content, halve
    it until the refused statements stand alone. Returns each group with its outcome."""
    outcome = _post(session, [payloads[statement_id] for _pk, statement_id in items])
    if not outcome.refused or len(items) == 1:
        return [(items, outcome)]
    middle = len(items) // 2
    outcomes = _deliver(session, items[:middle], payloads)
    failure = next((o for _g, o in outcomes if not o.ok and not o.refused), None)
    if failure is not None:  # the remote went away meanwhile: the rest waits too
        return [*outcomes, (items[middle:], failure)]
    return [*outcomes, *_deliver(session, items[middle:], payloads)]


@contextmanager
def _session() -> Iterator[requests.Session]:
    session = requests.Session()
    if settings.XAPI_FORWARD_USERNAME or settings.XAPI_FORWARD_PASSWORD:
        session.auth = (settings.XAPI_FORWARD_USERNAME, settings.XAPI_FORWARD_PASSWORD)
    session.headers["X-Experience-API-Version"] = settings.XAPI_FORWARD_VERSION
    try:
        yield session
    finally:
        session.close()


def _post(session: requests.Session, statements: list[Any]) -> _Outcome:
    url = settings.XAPI_FORWARD_URL.rstrip("/") + "/statements"
    body, content_type = _body(statements)
    try:
        response = session.post(url, data=body, headers={"Content-Type": content_type},
                                timeout=settings.XAPI_FORWARD_TIMEOUT)
    except requests.RequestException as exc:
        return _Outcome(ok=False, message=_clip(f"{type(exc).__name__}: {exc}"))
    if 200 <= response.status_code < 300:
        return _Outcome(ok=True)
    message = _clip(f"HTTP {response.status_code} from {url}: {response.text}")
    return _Outcome(ok=False, refused=response.status_code in _REFUSED, message=message)


def _body(statements: list[Any]) -> tuple[bytes, str]:
    """The request body: the statements as JSON, or ``multipart/mixed`` with the raw
    content of the attachments we hold for them (the remote needs it for every attachment
    that has no ``fileUrl``)."""
    content = orjson.dumps(statements)
    hashes = {attachment.get("sha2") for statement in statements
              for attachment in _attachments_of(statement)}
    hashes.discard(None)
    parts = list(Attachment.objects.filter(sha2__in=hashes).order_by("sha2")) if hashes else []
    if not parts:
        return content, "application/json"
    boundary = secrets.token_hex(16)
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), content]
    for part in parts:
        chunks.append(
            f"\r\n--{boundary}\r\nContent-Type: {part.content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {part.sha2}"
            "\r\n\r\n".encode()
        )
        chunks.append(bytes(part.content))
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'


def _attachments_of(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """The statement's attachments and its sub-statement's."""
    found = list(statement.get("attachments") or ())
    sub = statement.get("object")
    if isinstance(sub, dict) and sub.get("objectType") == "SubStatement":
        found.extend(sub.get("attachments") or ())
    return found


def _clip(text: str) -> str:
    return text if len(text) <= _ERROR_TEXT_LIMIT else text[:_ERROR_TEXT_LIMIT] + "…"


def forward_status(item: ForwardItem) -> str:
    """``pending``, ``sent`` or ``rejected`` (refused by the remote, not retried)."""
    if item.sent_at is None:
        return "pending"
    return "rejected" if item.last_error.startswith(REJECTED_PREFIX) else "sent"


@transaction.atomic
def forward_retry(*, item_ids: Sequence[int]) -> int:
    """Send these items again now: rejected ones become pending again (once the remote
    or the configuration was fixed), pending ones go at once. Sent ones stay as they are.
    Returns how many items are now waiting to be sent."""
    items = ForwardItem.objects.filter(pk__in=item_ids)
    items.filter(sent_at__isnull=False, last_error__startswith=REJECTED_PREFIX).update(
        sent_at=None)
    waiting = items.filter(sent_at__isnull=True).count()
    if waiting:
        transaction.on_commit(forward_schedule, robust=True)
    return waiting
