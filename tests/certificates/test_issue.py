import hashlib
import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate, CertificateEvent, CertificateType
from certificates.services import certificate_issue, certificates_issue_due
from certificates.tasks import issue_due_certificates
from tests.factories import PersonFactory

from .helpers import complete

pytestmark = pytest.mark.django_db


def test_issues_once_to_those_who_completed(course, learner, tree):
    other = PersonFactory(agency=tree["sa_pa"]).user  # has not completed
    complete(learner, course)
    first = issue_due_certificates.delay().get()
    second = issue_due_certificates.delay().get()
    assert first == {"issued": 1, "renewed": 0, "skipped": 0}
    assert second == {"issued": 0, "renewed": 0, "skipped": 0}
    certificate = Certificate.objects.get()
    assert certificate.user == learner
    assert not Certificate.objects.filter(user=other).exists()
    assert certificate.holder_name == "Nguyễn Thị Ánh Tuyết"
    assert certificate.agency_name == "Phường Hồng Hà, Thành phố Hà Nội"
    assert certificate.serial.startswith("HS-") and len(certificate.serial) == 17
    assert certificate.cycle == 1
    assert certificate.expires_at is None  # the type has no validity period
    stored = certificate.pdf.read()
    assert hashlib.sha256(stored).hexdigest() == certificate.sha256
    text = PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    text = unicodedata.normalize("NFC", text)
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert certificate.serial in text
    assert f"/verify/{certificate.serial}/" in text
    assert "Nguyễn Văn An" in text  # the authority's signer
    event = certificate.events.get()
    assert (event.action, event.actor) == (CertificateEvent.Action.ISSUED, None)
    assert certificate.credential["credentialSubject"]["identifier"][0]["identityHash"] == \
        "Nguyễn Thị Ánh Tuyết"


def test_database_forbids_a_second_certificate(course, learner, settings):
    complete(learner, course)
    certificate_type = CertificateType.objects.get()
    assert certificate_issue(user=learner, certificate_type=certificate_type) is not None
    # a second worker racing past the eligibility check gets nothing, not a duplicate
    assert certificate_issue(user=learner, certificate_type=certificate_type) is None
    assert Certificate.objects.count() == 1
    stored = list((settings.MEDIA_ROOT / "certificates").rglob("*.pdf"))
    assert [path.name for path in stored] == [f"{Certificate.objects.get().serial}.pdf"]


def test_batches_finish_all_due(course, tree):
    users = [PersonFactory(agency=tree["ba_dinh"]).user for _ in range(5)]
    for user in users:
        complete(user, course)
    summary = certificates_issue_due(batch_size=2)
    assert summary.issued == 5
    assert Certificate.objects.count() == 5


def test_a_failure_mid_batch_loses_nothing(course, tree, monkeypatch):
    """A worker that dies after some certificates keeps those; the next run issues the
    rest, and nobody gets two."""
    import certificates.services as services

    users = [PersonFactory(agency=tree["ba_dinh"]).user for _ in range(4)]
    for user in users:
        complete(user, course)
    real_sign, calls = services.pdf_sign, []

    def dying_sign(pdf, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit("worker killed")
        return real_sign(pdf, **kwargs)

    monkeypatch.setattr(services, "pdf_sign", dying_sign)
    with pytest.raises(SystemExit):
        certificates_issue_due(batch_size=10)
    assert Certificate.objects.count() == 2
    monkeypatch.setattr(services, "pdf_sign", real_sign)
    assert certificates_issue_due().issued == 2
    assert sorted(Certificate.objects.values_list("user_id", flat=True)) == \
        sorted(user.pk for user in users)


def test_inactive_type_issues_nothing(course, learner):
    CertificateType.objects.update(active=False)
    complete(learner, course)
    assert certificates_issue_due().issued == 0


def test_download_is_for_the_holder_only(client, course, learner, tree):
    complete(learner, course)
    certificates_issue_due()
    certificate = Certificate.objects.get()
    url = reverse("certificates:download", args=[certificate.serial])
    client.force_login(PersonFactory(agency=tree["sa_pa"]).user)
    assert client.get(url).status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == certificate.sha256
    mine = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.serial in mine
    assert reverse("certificates:credential", args=[certificate.serial]) in mine


def test_my_certificates_empty_state_says_what_to_do(client, learner):
    client.force_login(learner)
    page = client.get(reverse("certificates:mine"), HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert "<ul class=\"cards\">" not in page.content.decode()


def test_stored_pdf_is_signed_by_the_authority(course, learner, settings):
    """The file a learner downloads validates in pyHanko's validator against the
    authority's certificate, covers the whole file, and names the signer."""
    from certificates.signing import pdf_signature_check
    from certificates.signing_keys import authority_key

    complete(learner, course)
    certificates_issue_due()
    certificate = Certificate.objects.get()
    key = authority_key(certificate.certificate_type.authority)
    check = pdf_signature_check(certificate.pdf.read(), trusted=key.certificate)
    assert (check.signed, check.intact, check.trusted, check.covers_whole_file) == \
        (True, True, True, True)
    assert check.signer == "HọcSố test signer"


def test_older_certificates_get_their_credential(course, learner):
    complete(learner, course)
    certificates_issue_due()
    Certificate.objects.update(credential=None)  # as issued before credentials existed
    sha256 = Certificate.objects.get().sha256
    certificates_issue_due()
    certificate = Certificate.objects.get()
    assert certificate.credential["id"].endswith(f"/credentials/{certificate.serial}.json")
    assert certificate.sha256 == sha256  # the PDF is left as it was
