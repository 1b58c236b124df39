"""Forwarding to an external LRS, against a real HTTP server on a local port (fake_lrs):
nothing lost while the remote is down, each statement stored there once."""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from lms.celery import app as celery_app
from lms.records import forwarding, services, vocab
from lms.records.forwarding import (
    REJECTED_PREFIX,
    forward_enqueue,
    forward_pending,
    forward_retry,
    forward_status,
)
from lms.records.models import Attachment, ForwardItem, Statement
from lms.records.tasks import RemoteUnavailable, forward_statements, forward_sweep
from tests.factories import UserFactory
from tests.racing import run_together

from .fake_lrs import FakeLRS, free_port

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("DATABASE_URL", "").startswith(
        ("postgres", "postgresql")),
    reason="needs PostgreSQL: SQLite has no row locks, so two senders cannot overlap",
)


def _configure(settings, url: str) -> None:
    settings.XAPI_FORWARD_URL = url
    settings.XAPI_FORWARD_USERNAME = "fwd"
    settings.XAPI_FORWARD_PASSWORD = "fwd-secret"
    settings.XAPI_FORWARD_VERSION = "1.0.3"
    settings.XAPI_FORWARD_BATCH = 100
    settings.XAPI_FORWARD_TIMEOUT = 0.5


@pytest.fixture
def remote(settings):
    with FakeLRS() as lrs:
        _configure(settings, lrs.url)
        yield lrs


def _statements(settings, count: int) -> list[Statement]:
    """Stored statements, made with forwarding off (whether or not the storing path
    queues them), so each test queues exactly what it means to."""
    url, settings.XAPI_FORWARD_URL = settings.XAPI_FORWARD_URL, ""
    user = UserFactory()
    stored = [
        services.statement_record(user=user, statement=services.statement_build(
            user=user, verb_id=vocab.ATTEMPTED,
            activity_id=vocab.activity_iri("lesson", f"fwd-{index}")))
        for index in range(count)
    ]
    settings.XAPI_FORWARD_URL = url
    return stored


def _queued(settings, count: int) -> list[str]:
    """``count`` statements queued for forwarding (their task not run); their ids."""
    stored = _statements(settings, count)
    forward_enqueue([s.pk for s in stored])
    return [str(s.pk) for s in stored]


def _items() -> dict[str, ForwardItem]:
    return {str(item.statement_id): item for item in ForwardItem.objects.all()}


# --- queueing -----------------------------------------------------------------------

def test_enqueue_adds_items_and_sends_them_once_committed(
        settings, remote, django_capture_on_commit_callbacks):
    stored = _statements(settings, 3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        forward_enqueue([s.pk for s in stored])
    assert {str(s.pk) for s in stored} == set(_items())
    assert all(item.sent_at is None and item.attempts == 0 for item in _items().values())
    assert remote.received == []  # nothing goes before the transaction commits
    assert len(callbacks) == 1

    callbacks[0]()  # the commit: the task runs (inline, as in the embedded default)
    assert sorted(remote.posted_ids()) == sorted(str(s.pk) for s in stored)
    assert len(remote.received) == 1  # one batch
    request = remote.received[0]
    assert (request.version, request.content_type) == ("1.0.3", "application/json")
    for statement in stored:  # exactly as stored, with the LRS's own stored and authority
        assert remote.stored[str(statement.pk)] == statement.payload
        assert "stored" in remote.stored[str(statement.pk)]
    assert all(forward_status(item) == "sent" and item.attempts == 1
               for item in _items().values())


def test_nothing_is_queued_when_forwarding_is_off(settings, django_capture_on_commit_callbacks):
    settings.XAPI_FORWARD_URL = ""
    stored = _statements(settings, 2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        forward_enqueue([s.pk for s in stored])
    assert callbacks == []
    assert not ForwardItem.objects.exists()
    assert forward_pending() == forwarding.ForwardResult()
    assert forward_sweep.apply().get() == {"enabled": False}


def test_a_rolled_back_store_forwards_nothing(settings, remote,
                                              django_capture_on_commit_callbacks):
    stored = _statements(settings, 2)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        forward_enqueue([s.pk for s in stored])
        raise RuntimeError("the store failed after queueing")
    assert callbacks == []
    assert not ForwardItem.objects.exists()
    assert remote.received == []


def test_queueing_the_same_statement_twice_keeps_one_item(settings, remote):
    stored = _statements(settings, 1)
    forward_enqueue([stored[0].pk])
    forward_enqueue([stored[0].pk])
    assert ForwardItem.objects.count() == 1


def test_statement_record_queues_and_forwards_new_statements_only(
        settings, remote, django_capture_on_commit_callbacks):
    user = UserFactory()
    statement = services.statement_build(user=user, verb_id=vocab.ATTEMPTED,
                                         activity_id=vocab.activity_iri("lesson", "via"))
    with django_capture_on_commit_callbacks(execute=True):
        stored = services.statement_record(user=user, statement=statement)
    with django_capture_on_commit_callbacks(execute=True) as again:
        services.statement_record(user=user, statement=statement)  # idempotent repeat
    assert again == []
    assert ForwardItem.objects.get().statement_id == stored.pk
    assert remote.posted_ids() == [str(stored.pk)]


# --- the remote down, slow, or refusing ---------------------------------------------

def test_remote_down_loses_nothing_and_sends_each_once_when_back(settings):
    port = free_port()  # nothing listens there: connections are refused
    _configure(settings, f"http://127.0.0.1:{port}/xapi")
    ids = _queued(settings, 5)
    for attempt in (1, 2):
        result = forward_pending()
        assert (result.sent, result.failed) == (0, 5)
        assert "ConnectionError" in result.error
        for item in _items().values():
            assert (item.sent_at, item.attempts) == (None, attempt)
            assert "ConnectionError" in item.last_error

    with FakeLRS(port) as remote:  # the remote is back, on the same address
        result = forward_pending()
        assert (result.sent, result.failed, result.error) == (5, 0, "")
        assert forward_pending() == forwarding.ForwardResult()  # nothing left to send
    assert sorted(remote.posted_ids()) == sorted(ids)  # on the wire once each
    assert set(remote.stored) == set(ids)
    for item in _items().values():
        assert item.sent_at is not None and item.attempts == 3 and item.last_error == ""


@pytest.mark.parametrize("status", [503, 500, 429, 401])
def test_errors_of_the_remote_keep_items_pending(settings, remote, status):
    ids = _queued(settings, 3)
    remote.status = status
    result = forward_pending()
    assert (result.sent, result.failed, result.rejected) == (0, 3, 0)
    assert f"HTTP {status}" in result.error
    assert all(i.sent_at is None and i.attempts == 1 and f"HTTP {status}" in i.last_error
               for i in _items().values())
    remote.status = None
    assert forward_pending().sent == 3
    assert remote.accepted_ids() == ids
    assert set(remote.stored) == set(ids)


def test_lost_response_is_resent_and_taken_as_a_no_op(settings, remote):
    """The remote stores the batch but the answer never arrives (a timeout): the item stays
    pending; the resend carries the same ids and content, so the remote takes it as a
    no-op and the item is marked sent. Stored there once."""
    ids = _queued(settings, 4)
    remote.lose = 1
    result = forward_pending()
    assert result.failed == 4 and "Timeout" in result.error
    assert set(remote.stored) == set(ids)  # the remote did store them
    assert all(item.sent_at is None for item in _items().values())

    result = forward_pending()
    assert (result.sent, result.failed) == (4, 0)
    assert [r.status for r in remote.received] == [200, 200]
    assert remote.posted_ids() == ids + ids  # sent twice on the wire...
    assert len(remote.stored) == 4  # ...stored once, unchanged
    assert all(item.sent_at and item.attempts == 2 for item in _items().values())


def test_conflict_is_set_apart_visibly_and_never_retried_alone(settings, remote):
    ids = _queued(settings, 5)
    conflicting = ids[3]
    remote.stored[conflicting] = {"id": conflicting, "other": "content"}
    result = forward_pending()
    assert (result.sent, result.rejected, result.failed, result.error) == (4, 1, 0, "")
    items = _items()
    assert forward_status(items[conflicting]) == "rejected"
    assert items[conflicting].last_error.startswith(REJECTED_PREFIX + "HTTP 409")
    assert all(forward_status(items[i]) == "sent" for i in ids if i != conflicting)
    assert set(remote.accepted_ids()) == set(ids) - {conflicting}
    assert len(remote.accepted_ids()) == 4  # the batch was split, nothing accepted twice

    requests_so_far = len(remote.received)
    assert forward_pending() == forwarding.ForwardResult()  # not sent again by itself
    assert forward_sweep.apply().get()["rejected"] == 0
    assert len(remote.received) == requests_so_far

    # The operator clears the remote's copy, then retries from the admin.
    del remote.stored[conflicting]
    assert forward_retry(item_ids=[items[conflicting].pk, items[ids[0]].pk]) == 1
    assert forward_pending().sent == 1
    item = ForwardItem.objects.get(pk=items[conflicting].pk)
    assert forward_status(item) == "sent" and item.last_error == ""
    assert remote.accepted_ids().count(conflicting) == 1
    assert remote.accepted_ids().count(ids[0]) == 1  # the sent one was not resent


def test_batches_are_of_the_configured_size(settings, remote):
    ids = _queued(settings, 7)
    settings.XAPI_FORWARD_BATCH = 3
    assert forward_pending().sent == 7
    assert [len(r.ids) for r in remote.received] == [3, 3, 1]
    assert remote.posted_ids() == ids  # in the order they were stored


def test_attachments_go_as_multipart_with_their_content(settings, remote):
    content, inner = b"%PDF-1.4 certificate", b"inner part"
    sha2, inner_sha2 = (hashlib.sha256(content).hexdigest(),
                        hashlib.sha256(inner).hexdigest())
    Attachment.objects.create(sha2=sha2, content_type="application/pdf", content=content)
    Attachment.objects.create(sha2=inner_sha2, content_type="text/plain", content=inner)
    Attachment.objects.create(sha2="f" * 64, content_type="text/plain", content=b"other")
    statement_id = uuid.uuid4()
    payload = {
        "id": str(statement_id),
        "actor": {"objectType": "Agent", "mbox": "mailto:tester@example.vn"},
        "verb": {"id": vocab.COMPLETED},
        "object": {"objectType": "SubStatement",
                   "actor": {"objectType": "Agent", "mbox": "mailto:tester@example.vn"},
                   "verb": {"id": vocab.ATTEMPTED},
                   "object": {"objectType": "Activity", "id": "http://example.vn/a"},
                   "attachments": [{"usageType": "http://example.vn/note",
                                    "display": {"vi": "Ghi chú"}, "contentType": "text/plain",
                                    "length": len(inner), "sha2": inner_sha2}]},
        "attachments": [{"usageType": "http://example.vn/cert", "display": {"vi": "Chứng nhận"},
                         "contentType": "application/pdf", "length": len(content),
                         "sha2": sha2}],
        "stored": "2026-01-01T00:00:00Z", "timestamp": "2026-01-01T00:00:00Z",
        "version": "1.0.3",
    }
    Statement.objects.create(id=statement_id, verb_id=vocab.COMPLETED, actor_key="x",
                             timestamp=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                             payload=payload)
    forward_enqueue([statement_id])
    assert forward_pending().sent == 1
    request = remote.received[0]
    assert request.content_type.startswith("multipart/mixed")
    assert request.attachments == {sha2: content, inner_sha2: inner}  # not the unrelated one
    assert remote.stored[str(statement_id)] == payload


# --- tasks and the sweep job ----------------------------------------------------------

def test_task_raises_for_a_retry_when_run_by_a_worker(settings):
    _configure(settings, f"http://127.0.0.1:{free_port()}/xapi")
    _queued(settings, 1)
    assert RemoteUnavailable in forward_statements.autoretry_for
    assert forward_statements.retry_backoff and forward_statements.max_retries
    with pytest.raises(RemoteUnavailable, match="ConnectionError"):
        forward_statements()  # as a worker runs it: the failure asks Celery for a retry
    # Inline (the embedded default) it neither raises into the caller nor retries there.
    assert forward_statements.apply().get()["failed"] == 1
    assert ForwardItem.objects.get().attempts == 2


def test_scheduling_from_a_busy_process_is_coalesced(settings, remote, monkeypatch):
    calls = []
    monkeypatch.setattr(forward_statements, "apply_async",
                        lambda **kwargs: calls.append(kwargs))
    monkeypatch.setattr(forwarding, "_next_schedule", 0.0)
    celery_app.conf.task_always_eager = False  # as with a broker (conftest restores it)
    for _ in range(3):
        forwarding.forward_schedule()
    assert calls == [{"countdown": forwarding.SCHEDULE_DELAY}]

    def broker_down(**kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(forward_statements, "apply_async", broker_down)
    monkeypatch.setattr(forwarding, "_next_schedule", 0.0)
    forwarding.forward_schedule()  # logged, not raised: the sweep job sends later
    assert forwarding._next_schedule == 0.0


def test_sweep_sends_items_whose_task_was_lost(settings, remote,
                                               django_capture_on_commit_callbacks):
    stored = _statements(settings, 3)
    with django_capture_on_commit_callbacks(execute=False):  # the task never runs
        forward_enqueue([s.pk for s in stored])
    assert remote.received == []
    assert forward_sweep.apply().get() == {"sent": 3, "rejected": 0, "failed": 0, "error": ""}
    assert set(remote.stored) == {str(s.pk) for s in stored}


def test_sweep_job_is_scheduled_every_minute():
    job = PeriodicTask.objects.get(name="records.forward_sweep")
    assert job.task == "lms.records.tasks.forward_sweep"
    assert job.task in celery_app.tasks
    assert (job.crontab.minute, job.crontab.hour, job.enabled) == ("*", "*", True)
    assert job.expire_seconds == 50


# --- two senders at once --------------------------------------------------------------

def test_a_second_run_does_not_send_what_the_first_sent(settings, remote):
    ids = _queued(settings, 6)
    settings.XAPI_FORWARD_BATCH = 4
    first, second = forward_pending(), forward_pending()
    assert (first.sent, second.sent) == (6, 0)
    assert sorted(remote.posted_ids()) == sorted(ids)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_senders_never_send_the_same_item(settings, remote):
    stored = _statements(settings, 40)
    ids = [str(s.pk) for s in stored]
    # The outbox rows as the storing path leaves them, without the task it schedules (out
    # of a transaction it would run at once, inline, and leave nothing to race for).
    ForwardItem.objects.bulk_create([ForwardItem(statement_id=s.pk) for s in stored])
    remote.delay = 0.2  # each batch holds its row locks a while
    results, errors = run_together(lambda: forward_pending(batch=5), threads=3, timeout=60)
    assert errors == []
    assert sum(r.sent for r in results) == 40
    assert sorted(remote.posted_ids()) == sorted(ids)  # no id on the wire twice
    assert sum(1 for r in results if r.sent) > 1  # the senders did work side by side
    assert not ForwardItem.objects.filter(sent_at__isnull=True).exists()
    assert ForwardItem.objects.filter(sent_at__lte=timezone.now()).count() == 40


def test_statements_posted_by_a_client_are_forwarded_once_with_its_authority(
        settings, remote, client, django_capture_on_commit_callbacks):
    from lms.records.clients import client_create

    app, secret = client_create(name="H5P", can_write=True)
    token = base64.b64encode(f"{app.key}:{secret}".encode()).decode()
    headers = {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    batch = [{"id": str(uuid.uuid4()),
              "actor": {"objectType": "Agent", "mbox": f"mailto:hv{index}@example.vn"},
              "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
              "object": {"id": f"http://example.vn/h5p/{index}"}} for index in range(3)]
    for _ in range(2):  # the second POST repeats the same ids: a no-op, nothing queued
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/xapi/statements", data=batch,
                                   content_type="application/json", **headers)
        assert response.status_code == 200
    ids = [s["id"] for s in batch]
    assert ForwardItem.objects.count() == 3
    assert sorted(remote.posted_ids()) == sorted(ids)
    for statement_id in ids:
        forwarded = remote.stored[statement_id]
        assert forwarded["authority"]["account"]["name"] == f"client:{app.key}"
        assert forwarded == Statement.objects.get(pk=statement_id).payload
