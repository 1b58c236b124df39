"""The HR pages of teams: scoped to the manager's subtree."""

from __future__ import annotations

import pytest

from lms.community.models import Team
from lms.org.services import manager_scope_set
from tests.factories import UserFactory

from .conftest import payload, post_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi_hr(client, tree):
    user = UserFactory()
    manager_scope_set(user=user, agency=tree["hanoi"])
    client.force_login(user)
    return client


def test_non_managers_get_the_no_scope_page(an_client):
    for url in ("/hr/teams/", "/hr/teams/new/"):
        response = an_client.get(url)
        assert response.status_code == 403
        assert "Your account has no HR scope" in response.content.decode()


def test_the_list_shows_only_own_teams_with_this_months_reach(client, hanoi_hr, team_a,
                                                              team_b, people):
    client.force_login(people["an"].user)
    assert post_visit(client, payload(team_a, citizens=5)).status_code == 201
    manager = UserFactory()
    manager_scope_set(user=manager, agency=team_a.commune.get_parent())
    client.force_login(manager)
    response = client.get("/hr/teams/")
    html = response.content.decode()
    assert team_a.name in html and team_b.name not in html
    row = response.context["active"][0]
    assert (row.members_count, row.month_visits, row.month_citizens) == (2, 1, 5)


def test_an_empty_list_tells_what_to_do(hanoi_hr):
    html = hanoi_hr.get("/hr/teams/").content.decode()
    assert "No community digital team in your agencies yet" in html


def test_another_subtrees_team_is_a_404(hanoi_hr, team_b):
    assert hanoi_hr.get(f"/hr/teams/{team_b.pk}/").status_code == 404
    assert hanoi_hr.post(f"/hr/teams/{team_b.pk}/", {"name": "x"}).status_code == 404


def test_create_a_team(hanoi_hr, tree, people):
    page = hanoi_hr.get(f"/hr/teams/new/?commune={tree['hong_ha'].pk}")
    html = page.content.decode()
    assert people["an"].full_name in html and people["chau"].full_name not in html
    response = hanoi_hr.post(f"/hr/teams/new/?commune={tree['hong_ha'].pk}", {
        "name": "Tổ 1", "commune": tree["hong_ha"].pk, "leader": people["an"].pk,
        "members": [people["an"].pk, people["binh"].pk]})
    assert response.status_code == 302
    team = Team.objects.get()
    assert team.commune == tree["hong_ha"] and team.leader == people["an"]
    assert set(team.members.all()) == {people["an"], people["binh"]}


def test_a_commune_outside_the_scope_is_not_offered(hanoi_hr, tree, people):
    response = hanoi_hr.post("/hr/teams/new/", {"name": "Tổ", "commune": tree["sa_pa"].pk,
                                                "members": [people["chau"].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["commune"]
    assert not Team.objects.exists()


def test_edit_and_disband(hanoi_hr, team_a, people):
    url = f"/hr/teams/{team_a.pk}/"
    page = hanoi_hr.get(url)
    assert page.status_code == 200 and team_a.name in page.content.decode()
    response = hanoi_hr.post(url, {"name": "Tổ mới", "commune": team_a.commune.pk,
                                   "leader": "", "members": [people["binh"].pk]})
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert (team_a.name, team_a.active, team_a.leader) == ("Tổ mới", False, None)
    assert list(team_a.members.all()) == [people["binh"]]


def test_a_leader_outside_the_members_is_an_error(hanoi_hr, team_a, people):
    response = hanoi_hr.post(f"/hr/teams/{team_a.pk}/", {
        "name": team_a.name, "commune": team_a.commune.pk, "leader": people["an"].pk,
        "members": [people["binh"].pk], "active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["leader"]
