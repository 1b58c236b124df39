"""The demo's community digital team: a login that reaches its pages, visits with
statements, and a second seeding storing nothing new."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lms.community.models import Team, Visit
from lms.records.models import Statement
from lms.setup import demo

pytestmark = pytest.mark.django_db


def test_the_demo_team_records_visits_once(monkeypatch, client, capsys):
    monkeypatch.setattr(demo, "LEARNERS_PER_PROVINCE", 3)
    call_command("seed_demo")
    assert demo.COMMUNITY_LOGIN in capsys.readouterr().out
    team = Team.objects.get()
    assert team.members.count() == 2
    visits = Visit.objects.count()
    assert visits == demo.COMMUNITY_VISITS
    assert Statement.objects.filter(pk__in=Visit.objects.values("pk")).count() == visits
    call_command("seed_demo")
    assert Visit.objects.count() == visits
    assert client.login(username=demo.COMMUNITY_LOGIN, password=demo.DEMO_PASSWORD)
    response = client.get("/community/")
    assert response.status_code == 200
    assert response.context["teams"][0]["team"] == team
    assert len(response.context["visits"]) == demo.COMMUNITY_VISITS // 2
    assert client.login(username="hr.hanoi", password=demo.DEMO_PASSWORD)
    assert client.get("/hr/teams/").context["active"] == [team]
