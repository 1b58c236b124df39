"""The reach on the dashboard, in the XLSX/CSV exports and in the API: the same figures as
the selector, the manager's subtree only (404 outside), the empty state, and a follow-up
phone number nowhere."""

import csv
import io

import pytest
import yaml
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.org.services import manager_scope_set
from lms.reports.reach import reach_for
from lms.reports.snapshots import snapshots_take
from lms.tables import XLSX_TYPE
from tests.factories import UserFactory

from .reach_factories import END, PHONE, START, reach_tree_build, team, visit

pytestmark = pytest.mark.django_db
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


@pytest.fixture
def reach_tree(db):
    return reach_tree_build()


def _english(client):
    client.cookies["django_language"] = "en"  # the labels checked are the English ones


def _manager(agency):
    user = UserFactory()
    manager_scope_set(user=user, agency=agency)
    return user


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _xlsx(response) -> dict[str, list[list]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def _csv_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and text.count("\ufeff") == 1
    return text[1:]


def test_dashboard_section_shows_the_figures(client, reach_tree):
    client.force_login(_manager(reach_tree.rp1))
    response = client.get(reverse("reports:dashboard"), {"agency": "RP1", **PERIOD})
    assert response.status_code == 200
    reach = response.context["reach"]
    assert reach == reach_for(root=reach_tree.rp1, start=START, end=END)
    assert (reach.totals.visits, reach.totals.citizens) == (4, 14)
    html = response.content.decode()
    assert html.count('id="reach"') == 1
    assert '<td class="num">14</td>' not in html  # totals are in the card, not a row
    assert "<strong>14</strong>" in html and "<strong>4</strong>" in html
    for code in ("RC11", "RC12"):  # the units below link to their own dashboard
        assert f'{reverse("reports:dashboard")}?agency={code}#reach' in html
    assert "RC22" not in html  # no team, no visit
    assert "<td>2026-02</td><td class=\"num\">0</td>" in html  # a month without visits
    assert f'{reverse("reports:reach_xlsx")}?agency=RP1&amp;from=2026-01-01' in html
    assert PHONE not in html


def test_dashboard_section_beside_the_coverage_figures(client, tree, people, target):
    snapshots_take()
    visit(team(tree["hong_ha"]), END, ["vneid"], 9)
    client.force_login(_manager(tree["hanoi"]))
    html = client.get(reverse("reports:dashboard"), {"agency": "01", **PERIOD}) \
        .content.decode()
    assert html.count('id="reach"') == 1
    assert "<strong>9</strong>" in html
    assert html.index('id="reach"') < html.index('id="behind"')


def test_dashboard_empty_state(client, reach_tree):
    _english(client)
    client.force_login(_manager(reach_tree.rp2))
    html = client.get(reverse("reports:dashboard"), {"agency": "RC22"}).content.decode()
    assert 'id="reach"' in html
    assert "Commune HR managers create teams under Community teams" in html
    assert "reach.xlsx" not in html


def test_a_commune_manager_sees_only_their_commune(client, reach_tree):
    manager = _manager(reach_tree.rc11)
    client.force_login(manager)
    response = client.get(reverse("reports:dashboard"), PERIOD)
    assert response.context["reach"].root == reach_tree.rc11
    assert response.context["reach"].totals.visits == 3
    for name in ("reports:dashboard", "reports:reach_xlsx", "reports:reach_csv"):
        for code in ("RC12", "RP1", "RVN"):
            response = client.get(reverse(name), {"agency": code, **PERIOD})
            assert response.status_code == 404, (name, code)
    api = _api(manager)
    for code in ("RC12", "RP1", "RVN"):
        response = api.get(reverse("api:reach"), {"agency": code})
        assert response.status_code == 404
        assert "detail" in response.json()
    assert api.get(reverse("api:reach"), PERIOD).json()["totals"]["visits"] == 3


def test_no_scope_no_reach(client, reach_tree):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("reports:reach_csv")).status_code == 403
    assert _api(user).get(reverse("api:reach")).status_code == 403
    assert APIClient().get(reverse("api:reach")).status_code == 401


def test_xlsx_holds_the_figures(client, reach_tree):
    _english(client)
    client.force_login(_manager(reach_tree.rvn))
    sheets = _xlsx(client.get(reverse("reports:reach_xlsx"), {"agency": "RVN", **PERIOD}))
    assert list(sheets) == ["Totals", "By service", "By month", "Units below"]
    # code, name, from, to, visits, citizens, teams with a visit, active teams, communes
    totals = [row[1] for row in sheets["Totals"][1:]]
    assert totals[:2] == ["RVN", "Việt Nam"]
    assert [day.date() for day in totals[2:4]] == [START, END]
    assert totals[4:] == [4, 14, 3, 3, 2]
    assert "counts in each" in sheets["By service"][0][2]
    assert [row[0::2] for row in sheets["By service"][1:]] == [
        ["vneid", 2], ["public_service", 1], ["payment", 1], ["safety", 1], ["other", 0]]
    assert sheets["By month"][1:] == [["2026-01", 1, 3], ["2026-02", 0, 0],
                                      ["2026-03", 3, 11], ["2026-04", 0, 0]]
    assert sheets["Units below"][1:] == [["RP1", "Tỉnh Một", 4, 14, 3, 2],
                                         ["RP2", "Tỉnh Hai", 0, 0, 0, 1]]
    assert PHONE not in repr(sheets)


def test_csv_holds_the_figures(client, reach_tree):
    _english(client)
    client.force_login(_manager(reach_tree.rp1))
    text = _csv_text(client.get(reverse("reports:reach_csv"), {"agency": "RP1", **PERIOD}))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Totals"]
    assert [row[1] for row in rows[2:11]] == ["RP1", "Tỉnh Một", "2026-01-01", "2026-04-30",
                                              "4", "14", "3", "2", "2"]
    assert ["2026-02", "0", "0"] in rows and ["2026-03", "3", "11"] in rows
    assert [row for row in rows if row[:1] == ["vneid"]][0][2:] == ["2", "5"]
    assert rows[-2:] == [["RC11", "Xã RC11", "3", "10", "2", "1"],
                         ["RC12", "Xã RC12", "1", "4", "1", "1"]]
    assert PHONE not in text


def test_bad_dates_are_a_400(client, reach_tree):
    manager = _manager(reach_tree.rvn)
    client.force_login(manager)
    api = _api(manager)
    for params in ({"from": "2026-13-01"}, {"to": "yesterday"},
                   {"from": "2026-04-01", "to": "2026-03-01"}):
        response = api.get(reverse("api:reach"), params)
        assert response.status_code == 400, params
        assert list(response.json()) == ["detail"]
        assert client.get(reverse("reports:reach_csv"), params).status_code == 400
        # the page falls back to the default period
        assert client.get(reverse("reports:dashboard"), params).status_code == 200


def test_api_returns_the_selector_figures(reach_tree):
    data = _api(_manager(reach_tree.rvn)).get(reverse("api:reach"),
                                              {"agency": "RP1", **PERIOD}).json()
    assert (data["code"], data["start"], data["end"]) == ("RP1", "2026-01-01", "2026-04-30")
    assert data["totals"] == {"visits": 4, "citizens": 14, "teams_active": 3, "teams": 2,
                              "communes_reached": 2}
    assert [(row["code"], row["visits"], row["citizens"]) for row in data["by_service"]] == [
        ("vneid", 2, 5), ("public_service", 1, 4), ("payment", 1, 3), ("safety", 1, 5),
        ("other", 0, 0)]
    assert data["by_month"] == [
        {"month": "2026-01", "visits": 1, "citizens": 3},
        {"month": "2026-02", "visits": 0, "citizens": 0},
        {"month": "2026-03", "visits": 3, "citizens": 11},
        {"month": "2026-04", "visits": 0, "citizens": 0}]
    assert data["children"] == [
        {"code": "RC11", "name": "Xã RC11", "visits": 3, "citizens": 10, "teams_active": 2,
         "teams": 1, "has_children": False},
        {"code": "RC12", "name": "Xã RC12", "visits": 1, "citizens": 4, "teams_active": 1,
         "teams": 1, "has_children": False}]
    assert PHONE not in repr(data)


def test_api_schema_describes_reach(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    operation = schema["paths"]["/api/v1/reach/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"agency", "from", "to"}
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert "once at every level" in operation["description"]
