"""Roster imports (lms.org.rosters): preview, apply, scope, complete lists, bad files."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from lms.org.models import Person, RosterImport, RosterImportStatus, User
from lms.org.rosters import RosterApplyError, roster_apply, roster_discard, roster_preview
from lms.org.services import manager_scope_set
from lms.records.models import Progress

from ..factories import PersonFactory, UserFactory
from ..rosters import EN_HEADER, csv_bytes, upload, xlsx_bytes

ROWS = [
    ["Nguyễn Văn An", "HN001", "00097", "civil_servant", "an@example.vn", "0912345678"],
    ["Trần Thị Bình", "HN002", "00004", "Lãnh đạo", "binh@example.vn", ""],
    ["Lê Văn Cường", "HN003", "01", "it_official", "", ""],
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def manager(tree):
    """An HR manager of Hà Nội."""
    user = UserFactory(username="hr-hanoi")
    manager_scope_set(user=user, agency=tree["hanoi"])
    return user


def preview(manager, data: bytes, name: str = "ds.csv", **kwargs) -> RosterImport:
    return roster_preview(user=manager, upload=upload(data, name), **kwargs)


def apply(manager, data: bytes, **kwargs):
    record = preview(manager, data, **kwargs)
    assert record.status == RosterImportStatus.PREVIEWED, record.message
    return roster_apply(roster_import=record, user=manager)


def people() -> dict[str, tuple]:
    return {p.staff_id: (p.full_name, p.agency.code, p.position, p.user.email, p.phone,
                         p.left_on)
            for p in Person.objects.select_related("agency", "user")}


@pytest.mark.parametrize("build", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_preview_changes_nobody_then_apply_creates(manager, build):
    data = build(ROWS)  # built once: an XLSX holds its creation time, so sizes may differ
    record = preview(manager, data, name="ds.xlsx")
    assert record.status == RosterImportStatus.PREVIEWED
    assert (record.rows, record.created, record.errors) == (3, 3, 0)
    assert [s["staff_id"] for s in record.sample["created"]] == ["HN001", "HN002", "HN003"]
    assert Person.objects.count() == 0 and User.objects.count() == 1
    assert record.file.name.startswith("rosters/") and record.size == len(data)
    assert len(record.sha256) == 64

    result = roster_apply(roster_import=record, user=manager)
    assert result.applied_now
    assert people() == {
        "HN001": ("Nguyễn Văn An", "00097", "civil_servant", "an@example.vn", "0912345678",
                  None),
        "HN002": ("Trần Thị Bình", "00004", "leader", "binh@example.vn", "", None),
        "HN003": ("Lê Văn Cường", "01", "it_official", "", "", None),
    }
    user = User.objects.get(username="HN001")
    assert not user.has_usable_password() and user.person.staff_id == "HN001"
    assert user.is_active and not user.is_staff and user.date_joined is not None
    assert user.person.updated_at is not None and user.last_login is None
    assert User.objects.values("xapi_id").distinct().count() == User.objects.count()
    assert sorted(result.newcomer_ids) == sorted(Person.objects.values_list("pk", flat=True))
    record.refresh_from_db()
    assert (record.status, record.applied_by, record.created) == (
        RosterImportStatus.APPLIED, manager, 3)
    assert record.applied_at is not None


def test_update_reports_changed_fields_and_keeps_unchanged(manager):
    apply(manager, csv_bytes(ROWS))
    rows = [["Nguyễn Văn Ân", "HN001", "00097", "leader", "an2@example.vn", ""], ROWS[1],
            ["Lê Văn Cường", "HN003", "01", "it_official", "", "0900000000"]]
    record = preview(manager, csv_bytes(rows))
    assert (record.created, record.updated, record.unchanged, record.moved) == (0, 2, 1, 0)
    assert {s["staff_id"]: s["fields"] for s in record.sample["updated"]} == {
        "HN001": ["full_name", "position", "email"], "HN003": ["phone"]}
    assert people()["HN001"][:4] == ("Nguyễn Văn An", "00097", "civil_servant", "an@example.vn")
    result = roster_apply(roster_import=record, user=manager)
    assert people()["HN001"] == ("Nguyễn Văn Ân", "00097", "leader", "an2@example.vn",
                                 "0912345678", None)  # an empty phone keeps the one known
    assert people()["HN003"][4] == "0900000000"
    assert len(result.updated_ids) == 2 and result.newcomer_ids == []


def test_apply_twice_applies_once(manager):
    record = preview(manager, csv_bytes(ROWS))
    first = roster_apply(roster_import=record, user=manager)
    second = roster_apply(roster_import=record, user=manager)
    assert first.applied_now and not second.applied_now
    assert second.newcomer_ids == []
    assert Person.objects.count() == 3
    record.refresh_from_db()
    assert record.created == 3


def test_a_manager_cannot_touch_people_outside_the_subtree(manager, tree):
    outsider = PersonFactory(agency=tree["sa_pa"], full_name="Người Lào Cai", staff_id="LC001")
    rows = [
        ROWS[0],
        ["Đổi Tên Người Khác", "LC001", "00097", "leader", "x@example.vn"],  # line 3
        ["Sang Lào Cai", "HN777", "02665", "leader", ""],                     # line 4
        ["Không Có", "HN778", "99999", "leader", ""],                         # line 5
    ]
    record = preview(manager, csv_bytes([r[:5] for r in rows], header=EN_HEADER[:5]))
    assert [(e["line"], e["staff_id"], e["reason"]) for e in record.row_errors] == [
        (3, "LC001", "staff ID LC001 belongs to a person of an agency you do not manage"),
        (4, "HN777", "agency 02665 is outside the agencies you manage"),
        (5, "HN778", "unknown agency code 99999"),
    ]
    roster_apply(roster_import=record, user=manager)
    outsider.refresh_from_db()
    assert (outsider.full_name, outsider.agency_id, outsider.position) == (
        "Người Lào Cai", tree["sa_pa"].pk, "civil_servant")
    assert set(people()) == {"HN001", "LC001"}


def test_complete_list_for_an_agency_outside_the_scope_is_refused(manager, tree):
    with pytest.raises(PermissionDenied):
        preview(manager, csv_bytes(ROWS), complete_for=tree["sa_pa"])


def test_a_learner_cannot_import(tree):
    learner = PersonFactory(agency=tree["hong_ha"]).user
    with pytest.raises(PermissionDenied):
        preview(learner, csv_bytes(ROWS))


def test_superuser_imports_anywhere(tree):
    admin = UserFactory(username="root", is_superuser=True)
    rows = [*ROWS, ["Ở Sa Pa", "LC002", "02665", "leader", ""]]
    record = preview(admin, csv_bytes([r[:5] for r in rows], header=EN_HEADER[:5]))
    assert (record.scope.code, record.created, record.errors) == ("VN", 4, 0)


def test_login_name_taken_by_another_account(manager, tree):
    UserFactory(username="HN002")  # an account with no profile
    PersonFactory(agency=tree["sa_pa"], user=UserFactory(username="HN003"))  # outside
    result = apply(manager, csv_bytes(ROWS))
    record = result.roster_import
    assert [(e["line"], e["reason"]) for e in record.row_errors] == [
        (3, "the login name HN002 is already taken by another account"),
        (4, "the login name HN003 is already taken by another account")]
    assert set(people()) == {"HN001", None}


def test_people_made_before_with_their_staff_id_as_login_are_adopted(manager, tree):
    legacy = PersonFactory(agency=tree["hong_ha"], user=UserFactory(username="HN001"),
                           full_name="Nguyễn Văn An")
    result = apply(manager, csv_bytes(ROWS[:1]))
    legacy.refresh_from_db()
    assert legacy.staff_id == "HN001" and legacy.phone == "0912345678"
    assert result.updated_ids == [legacy.pk] and Person.objects.count() == 1


def test_row_errors_reported_while_good_rows_import(manager):
    rows = [ROWS[0], ["", "HN010", "00097", "leader", ""],
            ["Sai Thư", "HN011", "00097", "leader", "an@@example"], ROWS[1],
            ["Trùng", "HN001", "00097", "leader", ""]]
    result = apply(manager, csv_bytes([r[:5] for r in rows], header=EN_HEADER[:5]))
    assert set(people()) == {"HN001", "HN002"}
    assert [(e["line"], e["staff_id"]) for e in result.roster_import.row_errors] == [
        (3, "HN010"), (4, "HN011"), (6, "HN001")]
    assert result.roster_import.errors == 3


def test_complete_list_marks_left_never_deletes_and_rejoins(manager, tree):
    apply(manager, csv_bytes(ROWS))
    never_imported = PersonFactory(agency=tree["ba_dinh"])
    elsewhere = PersonFactory(agency=tree["sa_pa"], staff_id="LC001")
    record = preview(manager, csv_bytes(ROWS[:1]), complete_for=tree["hanoi"])
    assert (record.unchanged, record.marked_left) == (1, 3)
    assert {s["staff_id"] for s in record.sample["marked_left"]} == {"HN002", "HN003", ""}
    assert Person.objects.filter(left_on__isnull=False).count() == 0  # preview
    result = roster_apply(roster_import=record, user=manager)
    today = timezone.localdate()
    assert Person.objects.count() == 5
    assert dict(Person.objects.values_list("pk", "left_on")) == {
        **{pk: today for pk in result.marked_left_ids},
        Person.objects.get(staff_id="HN001").pk: None, elsewhere.pk: None}
    assert never_imported.pk in result.marked_left_ids

    again = apply(manager, csv_bytes(ROWS[1:2]))
    assert again.roster_import.rejoined == 1
    assert again.rejoined_ids == [Person.objects.get(staff_id="HN002").pk]
    assert again.newcomer_ids == again.rejoined_ids
    assert Person.objects.get(staff_id="HN002").left_on is None


def test_complete_list_of_a_commune_keeps_the_rest_of_the_province(manager, tree):
    apply(manager, csv_bytes(ROWS))
    result = apply(manager, csv_bytes(ROWS[1:2]), complete_for=tree["hong_ha"])
    assert result.marked_left_ids == [Person.objects.get(staff_id="HN001").pk]


def test_moved_person_keeps_user_and_progress(manager, tree):
    apply(manager, csv_bytes(ROWS[:1]))
    person = Person.objects.get(staff_id="HN001")
    Progress.objects.create(user=person.user, activity_id="https://hocso.vn/c/1",
                            completed=True)
    moved = [["Nguyễn Văn An", "HN001", "00004", "civil_servant", "an@example.vn"]]
    record = preview(manager, csv_bytes(moved, header=EN_HEADER[:5]))
    assert record.moved == 1
    assert record.sample["moved"][0]["from_agency"] == "00097"
    result = roster_apply(roster_import=record, user=manager)
    person.refresh_from_db()
    assert person.agency == tree["ba_dinh"] and result.moved_ids == [person.pk]
    assert Progress.objects.filter(user=person.user, completed=True).count() == 1
    assert result.newcomer_ids == [person.pk]


@pytest.mark.parametrize("data, words", [
    (csv_bytes(ROWS, header=["Tên", "Mã", "Đơn vị", "Chức vụ", "Mail", "SĐT"]),
     "Missing columns"),
    (csv_bytes([["Đào Lê Hà", "HN002", "00004", "leader", "b@example.vn", ""]],
               header=EN_HEADER, encoding="cp1258"), "not in UTF-8"),
    (os.urandom(10 * 1024 * 1024), "neither a CSV nor"),
    (b"", "empty"),
], ids=["columns", "encoding", "garbage", "empty"])
def test_bad_files_change_nothing(manager, tree, data, words):
    existing = PersonFactory(agency=tree["hong_ha"], staff_id="HN001")
    record = preview(manager, data, complete_for=tree["hanoi"])
    assert record.status == RosterImportStatus.FAILED
    assert words in record.message
    assert not record.file and record.created == 0
    with pytest.raises(RosterApplyError):
        roster_apply(roster_import=record, user=manager)
    assert list(Person.objects.values_list("pk", "left_on")) == [(existing.pk, None)]


def test_formula_and_too_big(manager, settings):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(EN_HEADER)
    workbook.active.append(["=1+1", "HN1", "00097", "leader", ""])
    out = io.BytesIO()
    workbook.save(out)
    assert "Cell A2 holds a formula" in preview(manager, out.getvalue(), "f.xlsx").message
    settings.HOCSO_ROSTER_MAX_BYTES = 50
    record = preview(manager, csv_bytes(ROWS))
    assert record.status == RosterImportStatus.FAILED and "at most" in record.message
    assert record.sha256 == ""  # refused on its size, never read
    assert Person.objects.count() == 0


def test_file_changed_after_preview_is_refused(manager):
    record = preview(manager, csv_bytes(ROWS))
    path = record.file.path
    with open(path, "ab") as stored:
        stored.write(b"Ke Gian,HN999,00097,leader,\r\n")
    with pytest.raises(RosterApplyError):
        roster_apply(roster_import=record, user=manager)
    record.refresh_from_db()
    assert record.status == RosterImportStatus.FAILED and Person.objects.count() == 0


def test_discarded_import_cannot_be_applied(manager, django_capture_on_commit_callbacks):
    record = preview(manager, csv_bytes(ROWS))
    name = record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        roster_discard(roster_import=record, user=manager)
    assert not record.file.storage.exists(name)
    with pytest.raises(RosterApplyError):
        roster_apply(roster_import=record, user=manager)
    assert Person.objects.count() == 0


def test_apply_checks_the_database_as_it_is_then(manager, tree):
    record = preview(manager, csv_bytes(ROWS[:1]))
    PersonFactory(agency=tree["sa_pa"], staff_id="HN001")  # taken meanwhile, outside
    result = roster_apply(roster_import=record, user=manager)
    assert result.created_ids == [] and result.roster_import.errors == 1
    assert result.roster_import.created == 0


def test_left_on_is_a_date(manager):
    apply(manager, csv_bytes(ROWS))
    person = Person.objects.get(staff_id="HN002")
    person.left_on = datetime.date(2026, 1, 1)
    person.save()
    record = preview(manager, csv_bytes(ROWS))
    assert (record.rejoined, record.unchanged) == (1, 2)


def test_a_clash_with_a_simultaneous_import_changes_nothing(manager, monkeypatch):
    from django.db import IntegrityError

    from lms.org import rosters

    record = preview(manager, csv_bytes(ROWS))

    def clash(plan):
        Person.objects.update(full_name="changed")  # rolled back with the rest
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(rosters, "_write", clash)
    with pytest.raises(RosterApplyError, match="at the same moment"):
        roster_apply(roster_import=record, user=manager)
    record.refresh_from_db()
    assert record.status == RosterImportStatus.PREVIEWED  # can be applied again
    monkeypatch.undo()
    assert roster_apply(roster_import=record, user=manager).applied_now
    assert Person.objects.count() == 3
