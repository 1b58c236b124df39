"""The coverage API: the dashboard's figures as JSON, token-authenticated, scoped to the
token holder's subtree; the people list; the OpenAPI schema; the token command."""

import datetime
import io

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lms.org.models import Person, User
from lms.org.services import manager_scope_set
from lms.reports.dashboard import dashboard_for
from lms.reports.models import CoverageSnapshot, Target
from lms.reports.snapshots import snapshots_take
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OUTSIDE_HANOI = ("Lào Cai", "Sa Pa", "hmong", "15", "02665")


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def hanoi_api(tree):
    """A client with the token of Hà Nội's HR manager."""
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["hanoi"])
    return _client(manager)


def _row(row) -> dict:
    figures = row.figures
    return {"code": row.agency.code, "name": row.agency.name,
            "figures": {"headcount": figures.headcount, "enrolled": figures.enrolled,
                        "in_progress": figures.in_progress, "trained": figures.trained,
                        "certified": figures.certified},
            "rate": None if row.rate is None else round(row.rate, 2), "gap": row.gap,
            "has_children": row.has_children}


def test_coverage_equals_the_dashboard(tree, people, target):
    snapshots_take()
    today = timezone.localdate()
    for weeks in range(1, 4):  # a history: the nation gained over three weeks
        for row in CoverageSnapshot.objects.filter(day=today, agency=tree["nation"]):
            row.pk, row.day = None, today - datetime.timedelta(weeks=weeks)
            row.trained = 1 if weeks == 1 else 0  # 0 %, 0 %, 40 %, then today's 60 %
            row.save()
    admin = UserFactory(is_superuser=True)
    client = _client(admin)
    for agency in ("nation", "local", "hanoi"):
        response = client.get(reverse("api:coverage"), {"agency": tree[agency].code,
                                                        "target": target.code})
        assert response.status_code == 200, response.content
        board = dashboard_for(target=target, agency=tree[agency])
        data = response.json()
        assert data["target"] == {"code": "kns-2027", "name": target.name, "rate": 100,
                                  "deadline": "2027-12-31", "measure": "trained"}
        assert data["day"] == today.isoformat()
        assert data["agency"] == _row(board.root)
        assert data["children"] == [_row(child) for child in board.children]
        assert data["history"] == [{"day": day.isoformat(), "rate": rate}
                                   for day, rate in board.history]
        forecast = board.forecast
        assert data["forecast"] == {
            "reached": forecast.reached, "pace_per_30_days": forecast.pace_per_30_days,
            "reach_on": forecast.reach_on and forecast.reach_on.isoformat(),
            "on_time": forecast.on_time}
    data = client.get(reverse("api:coverage"), {"agency": "DP"}).json()
    assert (data["agency"]["figures"]["headcount"], data["agency"]["rate"]) == (5, 60.0)
    assert [child["code"] for child in data["children"]] == ["15", "01"]  # ranked
    assert data["agency"]["gap"] == 2
    nation = client.get(reverse("api:coverage"), {"agency": "VN"}).json()
    assert [point["rate"] for point in nation["history"]] == [0.0, 0.0, 40.0, 60.0]
    assert nation["forecast"]["pace_per_30_days"] > 0 and nation["forecast"]["reach_on"]


def test_defaults_the_scope_root_and_the_first_active_target(tree, people, target,
                                                             hanoi_api):
    Target.objects.create(code="later", name="Later", certificate_type=target.certificate_type,
                          rate=50, deadline=datetime.date(2030, 12, 31))
    snapshots_take()
    data = hanoi_api.get(reverse("api:coverage")).json()
    assert data["target"]["code"] == "kns-2027"
    assert data["agency"]["code"] == "01"
    assert data["agency"]["figures"]["headcount"] == 4
    assert hanoi_api.get(reverse("api:coverage"), {"target": "later"}).json()[
        "target"]["rate"] == 50
    assert hanoi_api.get(reverse("api:coverage"), {"target": "nope"}).status_code == 404


def test_a_manager_sees_only_the_subtree(tree, people, target, hanoi_api):
    snapshots_take()
    body = hanoi_api.get(reverse("api:coverage")).content.decode()
    assert "Phường Hồng Hà" in body
    for outside in ("Lào Cai", "Sa Pa", "Việt Nam", "Địa phương"):
        assert outside not in body
    for code in ("02665", "15", "VN", "DP", "nowhere"):  # outside, above, unknown
        for name in ("api:coverage", "api:people"):
            response = hanoi_api.get(reverse(name), {"agency": code})
            assert response.status_code == 404
            assert response["Content-Type"] == "application/json"
            assert set(response.json()) == {"detail"}
            assert "Sa Pa" not in response.content.decode()
    people_page = hanoi_api.get(reverse("api:people")).content.decode()
    assert "binh" in people_page
    for outside in OUTSIDE_HANOI:
        assert outside not in people_page
    ward = hanoi_api.get(reverse("api:coverage"), {"agency": "00097"})
    assert ward.status_code == 200 and ward.json()["children"] == []


def test_token_required_and_a_scope(tree, people, target):
    snapshots_take()
    learner = _client(people["binh"].user)  # no ManagerScope
    for name in ("api:coverage", "api:targets", "api:people"):
        anonymous = APIClient().get(reverse(name))
        assert anonymous.status_code == 401
        assert anonymous["WWW-Authenticate"] == "Token"
        wrong = APIClient()
        wrong.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
        assert wrong.get(reverse(name)).status_code == 401
        refused = learner.get(reverse(name))
        assert refused.status_code == 403 and "binh" not in refused.content.decode()
    detail = _client(UserFactory()).get(reverse("api:coverage")).json()["detail"]
    assert "phạm vi quản lý nhân sự" in detail  # the site's language: Vietnamese
    session = APIClient()  # a logged-in browser session is no API credential
    admin = UserFactory(is_superuser=True)
    session.force_login(admin)
    assert session.get(reverse("api:coverage")).status_code == 401


def test_targets_lists_the_active_ones(tree, target, hanoi_api):
    Target.objects.create(code="old", name="Old", certificate_type=target.certificate_type,
                          rate=10, deadline=datetime.date(2025, 1, 1), active=False)
    data = hanoi_api.get(reverse("api:targets")).json()
    assert [row["code"] for row in data] == ["kns-2027"]
    assert data[0]["certificate_type"] == target.certificate_type.code
    assert data[0]["positions"][0] == "civil_servant" and len(data[0]["positions"]) == 5


def test_people_stages_and_no_personal_identifiers(tree, people, target,
                                                   hanoi_api):
    response = hanoi_api.get(reverse("api:people"))
    assert response.status_code == 200
    data = response.json()
    assert len(data["results"]) == 4 and data["next"] is None
    rows = {row["full_name"]: row for row in data["results"]}
    assert rows["an"] == {"full_name": "an", "agency": "00097", "position": "it_official",
                          "trained": True, "certified": True, "status": "certified"}
    assert {name: row["status"] for name, row in rows.items()} == {
        "an": "certified", "binh": "trained", "chau": "in_progress", "dung": "not_started"}
    body = response.content.decode()
    assert all(set(row) == {"full_name", "agency", "position", "trained", "certified",
                            "status"} for row in data["results"])
    for person in people.values():
        assert person.user.username not in body
    for status, names in [("not_started", ["dung"]), ("in_progress", ["chau"]),
                          ("trained", ["binh"]), ("certified", ["an"])]:
        page = hanoi_api.get(reverse("api:people"), {"status": status}).json()
        assert [row["full_name"] for row in page["results"]] == names
    assert hanoi_api.get(reverse("api:people"), {"status": "done"}).status_code == 400
    code = target.certificate_type.code
    assert len(hanoi_api.get(reverse("api:people"), {"certificate_type": code}).json()[
        "results"]) == 4
    assert hanoi_api.get(reverse("api:people"),
                         {"certificate_type": "nope"}).status_code == 404


def test_people_are_paginated_by_100(tree, hanoi_api):
    users = User.objects.bulk_create(User(username=f"ba-dinh-{n}") for n in range(101))
    Person.objects.bulk_create(Person(user=user, agency=tree["ba_dinh"], full_name=f"Người {n}",
                                      position="civil_servant")
                               for n, user in enumerate(users))
    first = hanoi_api.get(reverse("api:people"), {"agency": "00004"}).json()
    assert len(first["results"]) == 100 and "count" not in first
    second = hanoi_api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_the_schema_lists_the_four_paths(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {"/api/v1/coverage/", "/api/v1/targets/",
                                    "/api/v1/people/", "/api/v1/reach/"}
    people_get = schema["paths"]["/api/v1/people/"]["get"]
    assert {p["name"] for p in people_get["parameters"]} == {"agency", "certificate_type",
                                                             "status", "cursor"}
    assert {"200", "401", "403", "404"} <= set(people_get["responses"])
    assert set(schema["components"]["schemas"]["Coverage"]["properties"]) == {
        "target", "day", "agency", "children", "history", "forecast"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    yaml_schema = yaml.safe_load(client.get(reverse("api:schema")).content)
    assert set(yaml_schema["paths"]) == set(schema["paths"])
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn",
                 "--urlconf", "lms.reports.api_schema_urls", stdout=out)
    assert "/api/v1/coverage/" in out.getvalue()
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200 and reverse("api:schema") in docs.content.decode()


def test_token_command_creates_rotates_and_revokes(tree):
    manager = UserFactory(username="hr.hanoi")
    manager_scope_set(user=manager, agency=tree["hanoi"])
    out = io.StringIO()
    with translation.override("en"):
        call_command("api_token", "hr.hanoi", stdout=out)
    key = Token.objects.get(user=manager).key
    assert key in out.getvalue()
    with translation.override("en"), pytest.raises(CommandError, match="--rotate"):
        call_command("api_token", "hr.hanoi", stdout=io.StringIO())
    assert Token.objects.get(user=manager).key == key  # unchanged
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:targets")).status_code == 200
    out = io.StringIO()
    call_command("api_token", "hr.hanoi", "--rotate", stdout=out)
    new_key = Token.objects.get(user=manager).key
    assert new_key != key and new_key in out.getvalue()
    assert client.get(reverse("api:targets")).status_code == 401
    call_command("api_token", "hr.hanoi", "--revoke", stdout=io.StringIO())
    assert not Token.objects.filter(user=manager).exists()
    UserFactory(username="learner")
    with translation.override("en"), pytest.raises(CommandError, match="scope"):
        call_command("api_token", "learner", stdout=io.StringIO())
    with translation.override("en"), pytest.raises(CommandError, match="nobody"):
        call_command("api_token", "nobody", stdout=io.StringIO())
    assert not Token.objects.exists()
