"""Admin views of the LRS tables: statements and documents read-only, the forwarding
outbox with its status and a "retry now" action."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.records import services, vocab
from lms.records.documents import document_put
from lms.records.forwarding import REJECTED_PREFIX
from lms.records.models import Document, ForwardItem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _forward_items(settings) -> dict[str, ForwardItem]:
    settings.XAPI_FORWARD_URL = ""
    user = UserFactory()
    statements = [services.statement_record(user=user, statement=services.statement_build(
        user=user, verb_id=vocab.ATTEMPTED, activity_id=vocab.activity_iri("lesson", name)))
        for name in ("sent", "waiting", "rejected")]
    now = timezone.now()
    return {
        "sent": ForwardItem.objects.create(statement=statements[0], sent_at=now, attempts=1),
        "waiting": ForwardItem.objects.create(statement=statements[1], attempts=2,
                                              last_error="HTTP 503 from remote"),
        "rejected": ForwardItem.objects.create(
            statement=statements[2], sent_at=now, attempts=1,
            last_error=REJECTED_PREFIX + "HTTP 409 from remote: held with other content"),
    }


def test_forward_items_list_with_status_and_filter(web, settings):
    items = _forward_items(settings)
    url = reverse("admin:records_forwarditem_changelist")
    page = web.get(url).content.decode()
    for item in items.values():
        assert str(item.statement_id) in page
    assert "HTTP 503 from remote" in page
    rejected = web.get(url, {"status": "rejected"}).content.decode()
    assert str(items["rejected"].statement_id) in rejected
    assert str(items["sent"].statement_id) not in rejected
    assert str(items["waiting"].statement_id) not in rejected
    waiting = web.get(url, {"status": "pending"}).content.decode()
    assert str(items["waiting"].statement_id) in waiting
    assert str(items["rejected"].statement_id) not in waiting
    assert web.get(reverse("admin:records_forwarditem_add")).status_code == 403


def test_retry_now_puts_rejected_items_back_and_leaves_sent_ones(web, settings,
                                                                 django_capture_on_commit_callbacks):
    items = _forward_items(settings)
    settings.XAPI_FORWARD_URL = ""  # the scheduled run finds forwarding off: sends nothing
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = web.post(reverse("admin:records_forwarditem_changelist"), {
            "action": "retry_now",
            "_selected_action": [item.pk for item in items.values()]}, follow=True)
    assert "2 bản ghi đang được gửi tới LRS bên ngoài." in response.content.decode()
    assert len(callbacks) == 1
    for name, item in items.items():
        item.refresh_from_db()
        assert (item.sent_at is None) == (name != "sent")


def test_documents_list_is_read_only_and_shows_sizes(web):
    document_put(kind=Document.STATE, doc_id="bookmark", content=b'{"page": 3}',
                 content_type="application/json", activity_id="http://example.vn/a",
                 agent={"objectType": "Agent", "mbox": "mailto:a@example.vn"})
    document = Document.objects.get()
    page = web.get(reverse("admin:records_document_changelist")).content.decode()
    assert "bookmark" in page and "<td class=\"field-size\">11</td>" in page
    assert web.get(reverse("admin:records_document_add")).status_code == 403
    detail = web.get(reverse("admin:records_document_change", args=[document.pk]))
    assert detail.status_code == 200 and 'name="doc_id"' not in detail.content.decode()


def test_statements_list_is_read_only(web, settings):
    _forward_items(settings)
    assert web.get(reverse("admin:records_statement_changelist")).status_code == 200
    assert web.get(reverse("admin:records_statement_add")).status_code == 403
