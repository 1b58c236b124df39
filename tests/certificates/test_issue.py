import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate, CertificateType
from certificates.services import certificate_issue, certificates_issue_due
from certificates.tasks import issue_due_certificates
from lms.records import services as records
from lms.records import vocab
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _complete(user, course):
    records.statement_record(user=user, statement=records.statement_build(
        user=user, verb_id=vocab.COMPLETED, activity_id=course.activity_id))


def test_issues_once_to_those_who_completed(course, learner, tree):
    other = PersonFactory(agency=tree["sa_pa"]).user  # has not completed
    _complete(learner, course)
    first = issue_due_certificates.delay().get()
    second = issue_due_certificates.delay().get()
    assert first == {"issued": 1, "skipped": 0}
    assert second == {"issued": 0, "skipped": 0}
    certificate = Certificate.objects.get()
    assert certificate.user == learner
    assert not Certificate.objects.filter(user=other).exists()
    assert certificate.holder_name == "Nguyễn Thị Ánh Tuyết"
    assert certificate.agency_name == "Phường Hồng Hà, Thành phố Hà Nội"
    assert certificate.serial.startswith("HS-") and len(certificate.serial) == 17
    text = PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    text = unicodedata.normalize("NFC", text)
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert certificate.serial in text
    assert f"/verify/{certificate.serial}/" in text


def test_database_forbids_a_second_certificate(course, learner):
    _complete(learner, course)
    certificate_type = CertificateType.objects.get()
    assert certificate_issue(user=learner, certificate_type=certificate_type) is not None
    # a second worker racing past the eligibility check gets nothing, not a duplicate
    assert certificate_issue(user=learner, certificate_type=certificate_type) is None
    assert Certificate.objects.count() == 1


def test_batches_finish_all_due(course, tree):
    users = [PersonFactory(agency=tree["ba_dinh"]).user for _ in range(5)]
    for user in users:
        _complete(user, course)
    summary = certificates_issue_due(batch_size=2)
    assert summary.issued == 5
    assert Certificate.objects.count() == 5


def test_inactive_type_issues_nothing(course, learner):
    CertificateType.objects.update(active=False)
    _complete(learner, course)
    assert certificates_issue_due().issued == 0


def test_verify_page_and_unknown_serial(client, course, learner):
    _complete(learner, course)
    certificates_issue_due()
    certificate = Certificate.objects.get()
    page = client.get(reverse("certificates:verify", args=[certificate.serial]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nguyễn Thị Ánh Tuyết" in html
    assert learner.username not in html
    assert str(learner.xapi_id) not in html
    lower = client.get(reverse("certificates:verify", args=[certificate.serial.lower()]))
    assert lower.status_code == 200
    unknown = client.get(reverse("certificates:verify", args=["HS-0000-0000-0000"]))
    assert unknown.status_code == 404
    assert "HS-0000-0000-0000" in unknown.content.decode()


def test_download_is_for_the_holder_only(client, course, learner, tree):
    _complete(learner, course)
    certificates_issue_due()
    certificate = Certificate.objects.get()
    url = reverse("certificates:download", args=[certificate.serial])
    client.force_login(PersonFactory(agency=tree["sa_pa"]).user)
    assert client.get(url).status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    mine = client.get(reverse("certificates:mine"))
    assert certificate.serial in mine.content.decode()
