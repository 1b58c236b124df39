"""The public check: page, JSON, file upload, the signed credential and the issuer."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen.canvas import Canvas

from certificates.credentials import credential_verify, multikey_decode
from certificates.services import certificate_revoke

pytestmark = pytest.mark.django_db


def test_page_shows_what_is_printed_and_nothing_more(client, certificate, learner):
    learner.email = "tuyet.nguyen@hanoi.gov.vn"
    learner.save()
    page = client.get(reverse("certificates:verify", args=[certificate.serial]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="status-valid"' in html
    assert "Nguyễn Thị Ánh Tuyết" in html
    assert certificate.course_title in html
    for private in (learner.username, learner.email, str(learner.xapi_id),
                    certificate.agency_name):
        assert private not in html
    lower = client.get(reverse("certificates:verify", args=[certificate.serial.lower()]))
    assert lower.status_code == 200


def test_unknown_serial(client, db):
    page = client.get(reverse("certificates:verify", args=["HS-0000-0000-0000"]))
    assert page.status_code == 404
    assert "HS-0000-0000-0000" in page.content.decode()
    data = client.get(reverse("certificates:verify_json", args=["HS-0000-0000-0000"]))
    assert data.status_code == 404
    assert data.json()["status"] == "unknown"


def test_json_of_a_valid_certificate(client, certificate):
    response = client.get(reverse("certificates:verify_json", args=[certificate.serial]))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data == {
        "serial": certificate.serial, "status": "valid",
        "holder_name": "Nguyễn Thị Ánh Tuyết", "certificate": "Chứng nhận Kỹ năng số cơ bản",
        "certificate_en": "", "course": "Kỹ năng số cơ bản",
        "issued_on": data["issued_on"], "valid_until": None, "revoked_on": None,
        "revoked_reason": None, "issuer": "Nền tảng HọcSố",
        "verify_url": f"http://127.0.0.1:8000/verify/{certificate.serial}/",
    }


def test_revoked_shows_revoked_with_reason_on_page_and_in_json(client, certificate):
    certificate_revoke(certificate=certificate, actor=None,
                       reason="Kết quả thi bị hủy do vi phạm quy chế")
    page = client.get(reverse("certificates:verify", args=[certificate.serial]),
                      HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'class="status-revoked"' in page
    assert "Kết quả thi bị hủy do vi phạm quy chế" in page
    data = client.get(reverse("certificates:verify_json", args=[certificate.serial])).json()
    assert data["status"] == "revoked"
    assert data["revoked_reason"] == "Kết quả thi bị hủy do vi phạm quy chế"
    assert data["revoked_on"] is not None


def _upload(client, content: bytes, name: str = "giay-chung-nhan.pdf"):
    return client.post(reverse("certificates:check"),
                       {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_upload_of_the_genuine_file(client, certificate):
    response = _upload(client, certificate.pdf.read())
    assert response.status_code == 200
    assert response.context["result"].verdict == "genuine"
    assert response.context["result"].certificate == certificate
    assert certificate.serial in response.content.decode()


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -1])
def test_upload_with_one_byte_changed_is_not_genuine(client, certificate, where):
    data = bytearray(certificate.pdf.read())
    index = int(len(data) * where) if where > 0 else len(data) - 10
    data[index] ^= 0x01
    response = _upload(client, bytes(data))
    assert response.status_code == 200
    assert response.context["result"].verdict in {"altered", "unsigned", "not_pdf"}
    assert response.context["result"].certificate is None
    assert 'role="alert"' in response.content.decode()


def test_upload_of_a_changed_body_says_altered(client, certificate):
    data = certificate.pdf.read()
    index = len(data) // 3  # inside the signed page content
    altered = data[:index] + bytes([data[index] ^ 0x20]) + data[index + 1:]
    assert _upload(client, altered).context["result"].verdict == "altered"


def test_upload_of_other_files(client, db):
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "GIAY CHUNG NHAN")
    canvas.save()
    assert _upload(client, buffer.getvalue()).context["result"].verdict == "unsigned"
    assert _upload(client, b"\x89PNG\r\n" + b"0" * 500).context["result"].verdict == "not_pdf"
    assert _upload(client, b"").status_code == 400  # an empty file is no file


def test_upload_too_large_is_refused_with_a_message(client, db, settings):
    settings.HOCSO_VERIFY_UPLOAD_MAX_BYTES = 1024 * 1024
    response = _upload(client, b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert response.context["file_form"].errors["file"]


def test_serial_lookup_redirects(client, certificate):
    response = client.get(reverse("certificates:check"),
                          {"serial": f" {certificate.serial.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[certificate.serial])
    assert client.get(reverse("certificates:check")).status_code == 200


def test_credential_is_signed_by_the_key_the_issuer_publishes(client, certificate):
    response = client.get(reverse("certificates:credential", args=[certificate.serial]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    credential = response.json()
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    method = credential["proof"]["verificationMethod"]
    issuer_url = credential["issuer"]["id"]
    assert method == f"{issuer_url}#key-1"
    profile = client.get(issuer_url.removeprefix("http://127.0.0.1:8000")).json()
    keys = {entry["id"]: entry for entry in profile["verificationMethod"]}
    public_key = multikey_decode(keys[method]["publicKeyMultibase"])
    assert credential_verify(credential, public_key=public_key)
    credential["credentialSubject"]["identifier"][0]["identityHash"] = "Trần Văn Giả"
    assert not credential_verify(credential, public_key=public_key)


def test_revocation_list_names_revoked_credentials(client, certificate):
    status_url = certificate.credential["credentialStatus"]["id"]
    path = status_url.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).json()["revokedCredentials"] == []
    certificate_revoke(certificate=certificate, actor=None, reason="Cấp nhầm")
    assert client.get(path).json()["revokedCredentials"] == [
        {"id": certificate.credential["id"], "revocationReason": "Cấp nhầm"}]
