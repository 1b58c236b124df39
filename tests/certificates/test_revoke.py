"""Revocation: a reason is required, the act is audited, and the certificate stops
counting in coverage."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates.models import CertificateEvent
from certificates.services import certificate_revoke
from lms.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("quantri", password="pw-quantri-123")


def test_revoke_records_who_why_and_when(certificate, admin_user):
    certificate_revoke(certificate=certificate, actor=admin_user, reason="  Cấp nhầm  người ")
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_reason == "Cấp nhầm người"
    assert certificate.revoked_at is not None
    event = certificate.events.get(action=CertificateEvent.Action.REVOKED)
    assert (event.actor, event.detail) == (admin_user, "Cấp nhầm người")


def test_revoke_needs_a_reason_and_happens_once(certificate):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, actor=None, reason="   ")
    certificate_revoke(certificate=certificate, actor=None, reason="Cấp nhầm")
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, actor=None, reason="Lần nữa")
    assert certificate.events.filter(action=CertificateEvent.Action.REVOKED).count() == 1


def test_admin_action_asks_for_the_reason(client, certificate, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:certificates_certificate_changelist")
    ask = client.post(url, {"action": "revoke", "_selected_action": [certificate.pk]})
    assert ask.status_code == 200
    assert certificate.serial in ask.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == "valid"  # nothing happens before the reason is given
    empty = client.post(url, {"action": "revoke", "_selected_action": [certificate.pk],
                              "confirm": "1", "reason": ""})
    assert empty.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    done = client.post(url, {"action": "revoke", "_selected_action": [certificate.pk],
                             "confirm": "1", "reason": "Kết quả thi bị hủy"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_reason) == ("revoked", "Kết quả thi bị hủy")
    assert certificate.events.get(action="revoked").actor == admin_user


def test_certificates_cannot_be_added_or_deleted_in_the_admin(client, certificate, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:certificates_certificate_add")).status_code == 403
    assert client.get(reverse("admin:certificates_certificate_delete",
                              args=[certificate.pk])).status_code == 403
    change = client.get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))
    assert change.status_code == 200


def test_revoked_and_expired_do_not_count_as_certified(certificate, tree):
    from lms.reports.selectors import coverage_for

    root = tree["hanoi"]
    certificate_type = certificate.certificate_type
    assert coverage_for(root=root, certificate_type=certificate_type).root.certified == 1
    certificate_revoke(certificate=certificate, actor=None, reason="Cấp nhầm")
    assert coverage_for(root=root, certificate_type=certificate_type).root.certified == 0
