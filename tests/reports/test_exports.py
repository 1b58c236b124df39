"""Exports of the coverage tables: the XLSX opens and holds the dashboard's figures for the
manager's subtree only, the people list filters by status, another subtree is a 404, and
text that looks like a formula stays text."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from lms.org.models import PositionCategory
from lms.org.services import manager_scope_set
from lms.reports.dashboard import dashboard_for
from lms.reports.exports import XLSX_TYPE
from lms.reports.snapshots import snapshots_take
from tests.factories import PersonFactory, UserFactory, agency

pytestmark = pytest.mark.django_db

OUTSIDE = ("Lào Cai", "Sa Pa", "hmong", "02665")


@pytest.fixture
def manager(client, tree):
    """A manager of Hà Nội, logged in."""
    user = UserFactory()
    manager_scope_set(user=user, agency=tree["hanoi"])
    client.force_login(user)
    return user


def _workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _no_outside(rows):
    text = repr(rows)
    for word in OUTSIDE:
        assert word not in text, word


def test_dashboard_xlsx_holds_the_figures_of_the_subtree(client, tree, people, target,
                                                         manager):
    snapshots_take()
    response = client.get(reverse("reports:dashboard_xlsx"), {"target": target.code})
    workbook = _workbook(response)
    sheet = workbook[target.code]
    assert sheet.freeze_panes == "A2"
    rows = _values(sheet)
    board = dashboard_for(target=target, agency=tree["hanoi"])
    expected = [
        [row.agency.code, row.figures.headcount, row.figures.enrolled, row.figures.in_progress,
         row.figures.trained, row.figures.certified, row.rate, row.gap]
        for row in [board.root, *board.children]
    ]
    assert [[r[1], *r[3:]] for r in rows[1:]] == expected
    #               code   headcount enrolled in progress trained certified rate  gap
    assert rows[1][1:] == ["01", "Thành phố Hà Nội", 4, 3, 1, 2, 1, 50.0, 2]
    assert [r[0] for r in rows[1:]] == [None, 1]  # the agency, then its children ranked
    assert sheet.cell(row=2, column=9).number_format == "0.0"
    _no_outside(rows)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert f'{reverse("reports:dashboard_xlsx")}?agency=01&amp;target={target.code}' in page
    assert rows[0][:4] == ["#", "Mã đơn vị", "Cơ quan, đơn vị", "Tổng số"]  # Vietnamese first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _workbook(client.get(reverse("reports:dashboard_xlsx")))
    assert _values(english.active)[0][:4] == ["#", "Agency code", "Agency", "Headcount"]


def test_dashboard_csv_and_a_ward_below(client, tree, people, target, manager):
    snapshots_take()
    rows = _csv(client.get(reverse("reports:dashboard_csv"),
                           {"agency": "00097", "target": target.code}))
    assert rows[1][1:4] == ["00097", "Phường Hồng Hà", "4"]
    assert rows[1][8] == "50.0"
    assert len(rows) == 2  # a ward has no units below
    _no_outside(rows)


def test_people_xlsx_by_status(client, tree, people, target, manager):
    url = reverse("reports:people_xlsx")
    every = _values(_workbook(client.get(url)).active)
    assert sorted(row[0] for row in every[1:]) == ["an", "binh", "chau", "dung"]
    _no_outside(every)
    expected = {"certified": ["an"], "trained": ["binh"], "in_progress": ["chau"],
                "not_started": ["dung"]}
    for status, names in expected.items():
        rows = _values(_workbook(client.get(url, {"status": status})).active)
        assert [row[0] for row in rows[1:]] == names, status
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = _values(_workbook(client.get(url, {"status": "certified"})).active)
    assert rows[0][:5] == ["Full name", "Agency code", "Agency", "Position category", "Status"]
    assert rows[1][1:] == ["00097", "Phường Hồng Hà", "IT / digital-transformation official",
                           "Certified", 1, 1]
    csv_rows = _csv(client.get(reverse("reports:people_csv"), {"status": "trained"}))
    assert [row[0] for row in csv_rows[1:]] == ["binh"]


def test_another_subtree_is_not_exported(client, tree, people, target, manager):
    snapshots_take()
    names = ["dashboard_xlsx", "dashboard_csv", "people_xlsx", "people_csv"]
    for name in names:
        for code in ("02665", "15", "VN", "nowhere"):  # Sa Pa, Lào Cai, above, unknown
            response = client.get(reverse(f"reports:{name}"),
                                  {"agency": code, "target": target.code})
            assert response.status_code == 404, (name, code)
            assert "Sa Pa" not in response.content.decode()
    client.force_login(UserFactory())  # not a manager
    for name in names:
        assert client.get(reverse(f"reports:{name}")).status_code == 403
    client.logout()
    for name in names:
        assert client.get(reverse(f"reports:{name}")).status_code == 302  # to the login


def test_formula_looking_text_is_neutralised(client, tree, people, target, manager):
    ward = agency("=HYPERLINK(\"http://x.example\",\"Bấm\")", parent=tree["hanoi"],
                  code="+0001")
    PersonFactory(agency=ward, full_name="=1+2", position=PositionCategory.CIVIL_SERVANT)
    PersonFactory(agency=tree["hong_ha"], full_name="@SUM(A1:A9)")
    PersonFactory(agency=tree["hong_ha"], full_name="-2+3")
    snapshots_take()

    board = _workbook(client.get(reverse("reports:dashboard_xlsx"))).active
    cells = {cell.value: cell for row in board.iter_rows() for cell in row}
    name = cells["=HYPERLINK(\"http://x.example\",\"Bấm\")"]
    assert name.data_type == "s" and name.quotePrefix
    assert cells["+0001"].data_type == "s"
    for row in board.iter_rows():
        assert all(cell.data_type != "f" for cell in row)

    people_sheet = _workbook(client.get(reverse("reports:people_xlsx"))).active
    cells = {cell.value: cell for row in people_sheet.iter_rows() for cell in row}
    for text in ("=1+2", "@SUM(A1:A9)", "-2+3"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text

    names = [row[0] for row in _csv(client.get(reverse("reports:people_csv")))[1:]]
    assert {"'=1+2", "'@SUM(A1:A9)", "'-2+3"} <= set(names)
    assert not any(name[0] in "=+-@" for name in names)
    board_csv = _csv(client.get(reverse("reports:dashboard_csv")))
    assert ["'+0001", "'=HYPERLINK(\"http://x.example\",\"Bấm\")"] in [r[1:3] for r in board_csv]
