"""Expiry reminders by e-mail: when renewal opens and two weeks before the end, each once."""

import pytest
from django.core import mail

from certificates.models import Certificate, CertificateEvent, CertificateType
from certificates.reminders import expiry_reminders_send
from certificates.services import certificate_revoke, certificates_issue_due
from certificates.tasks import send_expiry_reminders
from tests.factories import PersonFactory

from .helpers import age, complete, pass_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(course, learner) -> Certificate:
    CertificateType.objects.update(validity_months=12, renewal_window_days=60)
    learner.email = "tuyet@example.vn"
    learner.save()
    complete(learner, course)
    certificates_issue_due()
    return Certificate.objects.get()


def test_nothing_while_far_from_expiry(certificate):
    assert expiry_reminders_send().sent == 0
    assert mail.outbox == []


def test_window_reminder_once_then_final_once(certificate):
    age(certificate, days=365 - 50)  # 50 days left: the 60-day renewal window is open
    assert send_expiry_reminders.delay().get() == {"sent": 1, "no_address": 0}
    assert send_expiry_reminders.delay().get() == {"sent": 0, "no_address": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tuyet@example.vn"]
    assert certificate.serial in message.subject
    assert "Nguyễn Thị Ánh Tuyết" in message.body
    assert "gia hạn" in message.body and "renew" in message.body  # both languages
    assert f"/verify/{certificate.serial}/" in message.body
    age(certificate, days=40)  # 10 days left
    assert expiry_reminders_send().sent == 1
    assert expiry_reminders_send().sent == 0
    assert len(mail.outbox) == 2
    kinds = set(certificate.events.filter(action=CertificateEvent.Action.REMINDED)
                .values_list("detail", flat=True))
    assert kinds == {"window", "final"}


def test_late_discovery_sends_one_message_not_two(certificate):
    age(certificate, days=365 - 5)  # both reminders due at once
    assert expiry_reminders_send().sent == 1
    assert len(mail.outbox) == 1
    assert expiry_reminders_send().sent == 0


def test_no_reminder_after_renewal_revocation_or_expiry(certificate, course, quiz, learner,
                                                         tree):
    quiz.allow_retake_after_pass = True
    quiz.save_revision().publish()
    age(certificate, days=365 - 30)
    pass_exam(learner, quiz)
    assert certificates_issue_due().renewed == 1  # the renewed one is far from expiry
    other = PersonFactory(agency=tree["ba_dinh"]).user
    other.email = "khac@example.vn"
    other.save()
    complete(other, course)
    certificates_issue_due()
    revoked = age(Certificate.objects.get(user=other), days=365 - 30)
    certificate_revoke(certificate=revoked, actor=None, reason="Cấp nhầm")
    assert expiry_reminders_send().sent == 0
    assert mail.outbox == []


def test_holder_without_address_is_counted_not_failed(certificate, learner):
    learner.email = ""
    learner.save()
    age(certificate, days=365 - 30)
    assert expiry_reminders_send().no_address == 1
    assert mail.outbox == []
