"""The admin pages: import a file into a bank and read the report, export a bank."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from assessments.models import QuestionBank
from lms.org.models import User

from . import formats_samples as samples
from .conftest import admin_in_english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _user(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-1",
                                    is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin",
                                                     content_type__app_label="wagtailadmin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(
            codename=codename, content_type__app_label="assessments"))
    admin_in_english(user)
    return user


@pytest.fixture
def bank():
    return QuestionBank.objects.create(name="Kỹ năng số cơ bản")


@pytest.fixture
def author(client):
    user = _user("tac-gia", "add_question", "change_question", "view_question",
                 "view_questionbank", "change_questionbank")
    client.force_login(user)
    return user


def test_import_shows_counts_and_each_problem_with_its_line(client, author, bank):
    url = reverse("assessments_bank_import")
    page = client.get(url, {"bank": bank.pk})
    assert page.status_code == 200
    assert page.context["form"].initial == {"bank": str(bank.pk)}
    data = samples.quiz(samples.SINGLE, samples.ESSAY, samples.NUMERICAL, samples.DESCRIPTION)
    response = client.post(url, {"bank": bank.pk,
                                 "file": SimpleUploadedFile("ngan-hang.xml", data)})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.updated) == (2, 0)
    assert bank.questions.count() == 2
    html = response.content.decode()
    essay_line = next(n for n, line in enumerate(data.decode().splitlines(), start=1)
                      if '"essay"' in line)
    assert f"<td>{essay_line}</td>" in html
    assert "“Bài luận”" in html and "“Giới thiệu”" in html and "units" in html
    assert "2 questions created" in html or "2 câu hỏi" in html


def test_malformed_file_reported_nothing_created(client, author, bank):
    response = client.post(reverse("assessments_bank_import"), {
        "bank": bank.pk, "file": SimpleUploadedFile("hong.gift", "::A:: câu {=a ~b\n".encode())})
    assert response.status_code == 200
    assert response.context["report"].created == 0
    assert "never closed" in response.content.decode()
    assert not bank.questions.exists()


def test_other_file_types_refused_by_the_form(client, author, bank):
    response = client.post(reverse("assessments_bank_import"), {
        "bank": bank.pk, "file": SimpleUploadedFile("cau-hoi.docx", b"PK\x03\x04")})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert "report" not in response.context


def test_export_downloads_moodle_xml(client, author, bank):
    client.post(reverse("assessments_bank_import"), {
        "bank": bank.pk, "file": SimpleUploadedFile("a.xml", samples.ALL_KINDS)})
    response = client.get(reverse("assessments_bank_export", args=[bank.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert 'filename="hocso-ky-nang-so-co-ban-' in response["Content-Disposition"]
    root = etree.fromstring(response.content)
    assert len(root.findall("question")) == 1 + 7


def test_listing_shows_import_and_export_buttons(client, author, bank):
    response = client.get(reverse("wagtailsnippets_assessments_questionbank:list"))
    html = response.content.decode()
    assert reverse("assessments_bank_import") + f"?bank={bank.pk}" in html
    assert reverse("assessments_bank_export", args=[bank.pk]) in html


def test_only_authors_may_import(client, bank):
    client.force_login(_user("chi-xem", "view_question", "change_question"))
    url = reverse("assessments_bank_import")
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, {"bank": bank.pk,
                                 "file": SimpleUploadedFile("a.xml", samples.ALL_KINDS)})
    assert response.status_code in (302, 403)
    assert not bank.questions.exists()
    html = client.get(reverse("wagtailsnippets_assessments_questionbank:list")).content.decode()
    assert reverse("assessments_bank_import") not in html
    client.force_login(_user("khong-quyen"))
    assert client.get(reverse("assessments_bank_export", args=[bank.pk])).status_code in (302,
                                                                                          403)
