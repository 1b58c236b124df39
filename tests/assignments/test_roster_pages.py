"""The HR roster pages: upload, preview, apply, discard, errors CSV, history, templates."""

from __future__ import annotations

import io

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook

from lms.org.models import Person, RosterImport, RosterImportStatus
from lms.org.roster import roster_parse
from lms.org.services import manager_scope_set

from ..factories import PersonFactory, UserFactory
from ..rosters import csv_bytes, upload

ROWS = [
    ["Nguyễn Văn An", "HN001", "00097", "civil_servant", "an@example.vn", ""],
    ["Trần Thị Bình", "HN002", "00004", "leader", "binh@example.vn", ""],
    ["Ở Lào Cai", "LC001", "02665", "leader", "", ""],
    ["Sai Thư", "@SUM(1)", "00004", "leader", "=cmd@", ""],
]


@pytest.fixture
def manager(tree):
    user = UserFactory(username="hr-hanoi")
    manager_scope_set(user=user, agency=tree["hanoi"])
    return user


@pytest.fixture
def hr(client, manager):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    return client


def post_file(client, data: bytes, name: str = "ds.csv", **extra):
    return client.post(reverse("roster:upload"), {"file": upload(data, name), **extra},
                       HTTP_ACCEPT_LANGUAGE="en")


def test_learners_get_403_and_visitors_the_login(client, tree):
    for name, args in [("roster:upload", []), ("roster:history", []),
                       ("roster:template", ["csv"])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(PersonFactory(agency=tree["hong_ha"]).user)
    response = client.get(reverse("roster:upload"))
    assert response.status_code == 403
    assert response.templates[0].name == "assignments/roster_no_scope.html"
    assert client.post(reverse("roster:upload"), {"file": upload(csv_bytes(ROWS))}
                       ).status_code == 403
    assert RosterImport.objects.count() == 0


def test_upload_preview_apply(hr, tree):
    page = hr.get(reverse("roster:upload"))
    assert page.status_code == 200
    options = [a.code for a in page.context["form"].fields["complete_for"].queryset]
    assert options == ["01", "00097", "00004"]  # the subtree only

    response = post_file(hr, csv_bytes(ROWS))
    record = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:detail", args=[record.pk])
    preview = hr.get(response["Location"])
    assert preview.templates[0].name == "assignments/roster_preview.html"
    text = preview.content.decode()
    assert "Phường Hồng Hà" in text and "Nguyễn Văn An" in text
    assert [e["line"] for e in preview.context["errors"]] == [4, 5]
    assert Person.objects.count() == 0

    errors = hr.get(reverse("roster:errors_csv", args=[record.pk]))
    body = b"".join(errors.streaming_content).decode("utf-8-sig").splitlines()
    assert body[1].startswith("4,LC001,")
    assert body[2].startswith("5,'@SUM(1),malformed e-mail")

    assert hr.get(reverse("roster:apply", args=[record.pk])).status_code == 405
    response = hr.post(reverse("roster:apply", args=[record.pk]))
    assert response.status_code == 302
    assert sorted(Person.objects.values_list("staff_id", flat=True)) == ["HN001", "HN002"]
    result = hr.get(response["Location"])
    assert result.templates[0].name == "assignments/roster_result.html"
    hr.post(reverse("roster:apply", args=[record.pk]))  # a second click
    assert Person.objects.count() == 2
    history = hr.get(reverse("roster:history"))
    assert list(history.context["page"].object_list) == [RosterImport.objects.get()]


def test_complete_list_outside_the_form_choices_is_refused(hr, tree):
    response = post_file(hr, csv_bytes(ROWS[:1]), complete_for=tree["sa_pa"].pk)
    assert response.status_code == 400
    assert RosterImport.objects.count() == 0


def test_a_bad_file_shows_the_reason_on_the_form(hr):
    response = post_file(hr, "Họ tên;Mã\r\nAn;1\r\n".encode("utf-16"))
    assert response.status_code == 400
    assert "Missing columns" in response.context["refused"]
    assert "nobody was changed" in response.content.decode()
    assert RosterImport.objects.get().status == RosterImportStatus.FAILED


def test_discard(hr):
    post_file(hr, csv_bytes(ROWS[:1]))
    record = RosterImport.objects.get()
    response = hr.post(reverse("roster:discard", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RosterImportStatus.DISCARDED
    hr.post(reverse("roster:apply", args=[record.pk]))
    assert Person.objects.count() == 0


def test_another_managers_import_is_not_found(client, hr, tree, manager):
    post_file(hr, csv_bytes(ROWS[:1]))
    record = RosterImport.objects.get()
    other = UserFactory(username="hr-laocai")
    manager_scope_set(user=other, agency=tree["laocai"])
    client.force_login(other)
    for name in ("roster:detail", "roster:errors_csv"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 404
    assert client.post(reverse("roster:apply", args=[record.pk])).status_code == 404
    assert list(client.get(reverse("roster:history")).context["page"].object_list) == []
    assert Person.objects.count() == 0
    # a manager of one commune does not see the province's imports either
    commune = UserFactory(username="hr-hongha")
    manager_scope_set(user=commune, agency=tree["hong_ha"])
    client.force_login(commune)
    assert client.get(reverse("roster:detail", args=[record.pk])).status_code == 404
    # the province's manager sees an import made for one of its communes
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("roster:detail", args=[record.pk])).status_code == 200


@pytest.mark.parametrize("language", ["vi", "en"])
def test_templates_are_read_back(hr, language):
    hr.cookies["django_language"] = language
    for kind in ("csv", "xlsx"):
        response = hr.get(reverse("roster:template", args=[kind]))
        assert response.status_code == 200
        data = response.content
        if kind == "xlsx":
            sheet = load_workbook(io.BytesIO(data)).worksheets[0]
            assert sheet["B2"].number_format == "@"
            sheet.append(["Nguyễn Văn An", "HN001", "00097", "leader", ""])
            out = io.BytesIO()
            sheet.parent.save(out)
            data = out.getvalue()
        else:
            data += "Nguyễn Văn An,HN001,00097,leader,,\r\n".encode()
        parsed = roster_parse(data=data)
        assert [r.staff_id for r in parsed.rows] == ["HN001"], kind


def test_stored_staff_lists_are_never_served():
    match = resolve("/media/rosters/2026/12/abc.csv")
    assert match.func.__name__ == "_not_served"
