"""Teams: the rules of their commune, members and leader; the selectors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lms.community.selectors import members_eligible, teams_in_scope, teams_of_member
from lms.community.services import team_create, team_deactivate, team_update
from lms.org.services import manager_scope_set
from tests.factories import PersonFactory, UserFactory

from .conftest import days_ago, member

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_team_belongs_to_a_commune(tree, people):
    errors = errors_of(lambda: team_create(name="Tổ", commune=tree["hanoi"], by=None))
    assert set(errors) == {"commune"}


def test_members_must_be_community_team_people_of_the_commune(tree, people):
    clerk = PersonFactory(agency=tree["hong_ha"], full_name="Công chức")
    errors = errors_of(lambda: team_create(
        name="Tổ", commune=tree["hong_ha"], members=[people["an"], clerk, people["chau"]],
        by=None))
    assert set(errors) == {"members"}
    assert "Công chức" in errors["members"][0] and "Châu" in errors["members"][0]
    assert "An" not in errors["members"][0].split(":")[-1].split(", ")


def test_people_who_left_cannot_join(tree, people):
    people["an"].left_on = days_ago(2)
    people["an"].save()
    errors = errors_of(lambda: team_create(name="Tổ", commune=tree["hong_ha"],
                                           members=[people["an"]], by=None))
    assert set(errors) == {"members"}


def test_the_leader_must_be_a_member(tree, people):
    errors = errors_of(lambda: team_create(name="Tổ", commune=tree["hong_ha"],
                                           leader=people["an"], members=[people["binh"]],
                                           by=None))
    assert set(errors) == {"leader"}


def test_a_unit_of_the_commune_is_in_its_subtree(tree):
    from tests.factories import agency
    unit = agency("Bộ phận một cửa", parent=tree["hong_ha"])
    person = member(unit, full_name="Dũng")
    team = team_create(name="Tổ", commune=tree["hong_ha"], members=[person], by=None)
    assert list(team.members.all()) == [person]
    assert list(members_eligible(commune=tree["hong_ha"])) == [person]


def test_names_are_unique_in_a_commune(team_a, tree):
    errors = errors_of(lambda: team_create(name=team_a.name, commune=tree["hong_ha"], by=None))
    assert set(errors) == {"name"}
    assert team_create(name=team_a.name, commune=tree["ba_dinh"], by=None).pk


def test_the_manager_must_manage_the_commune(tree, people):
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["laocai"])
    errors = errors_of(lambda: team_create(name="Tổ", commune=tree["hong_ha"], by=manager))
    assert set(errors) == {"commune"}
    assert team_create(name="Tổ", commune=tree["sa_pa"], members=[people["chau"]],
                       by=manager).commune == tree["sa_pa"]


def test_update_and_deactivate(team_a, people):
    team_update(team=team_a, name="Tổ 1", commune=team_a.commune, leader=people["binh"],
                members=[people["binh"]], active=True, by=None)
    team_a.refresh_from_db()
    assert (team_a.name, team_a.leader) == ("Tổ 1", people["binh"])
    assert teams_of_member(user=people["an"].user) == []
    assert teams_of_member(user=people["binh"].user) == [team_a]
    team_deactivate(team=team_a, by=None)
    assert teams_of_member(user=people["binh"].user) == []


def test_members_eligible_leaves_out_other_positions_and_leavers(tree, people):
    PersonFactory(agency=tree["hong_ha"])
    people["binh"].left_on = days_ago(1)
    people["binh"].save()
    assert list(members_eligible(commune=tree["hong_ha"])) == [people["an"]]


def test_teams_in_scope_counts_members(tree, team_a, team_b):
    teams = list(teams_in_scope(root=tree["hanoi"], month=days_ago(0)))
    assert teams == [team_a]
    assert (teams[0].members_count, teams[0].month_visits, teams[0].month_citizens) == (2, 0, 0)
    assert set(teams_in_scope(root=tree["nation"])) == {team_a, team_b}
