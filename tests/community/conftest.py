"""Fixtures of the community tests: two teams, one in Phường Hồng Hà (Hà Nội), one in
Phường Sa Pa (Lào Cai), each with community-team members; a valid visit payload."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from lms.community.services import team_create
from lms.community.validation import LOCAL_ZONE, local_today
from lms.org.models import PositionCategory
from tests.factories import PersonFactory

TEAM = PositionCategory.COMMUNITY_TEAM
PHONE = "0912345678"


def member(agency, **fields):
    return PersonFactory(agency=agency, position=TEAM, **fields)


def payload(team, /, **changes) -> dict:
    """A valid visit as the offline app sends it."""
    data = {"id": str(uuid.uuid4()),
            "recorded_at": timezone.now().astimezone(LOCAL_ZONE).replace(microsecond=0)
            .isoformat(),
            "team": team.pk, "visited_on": local_today().isoformat(), "place": "Thôn 2",
            "services": ["vneid", "payment"], "citizens": 4, "outcome": "done", "note": "",
            "consent": False, "phone": ""}
    data.update(changes)
    return data


def post_visit(client, data, **extra):
    return client.post("/community/api/visits/", json.dumps(data),
                       content_type="application/json", **extra)


def days_ago(n: int) -> datetime.date:
    return local_today() - datetime.timedelta(days=n)


@pytest.fixture
def people(tree):
    return {"an": member(tree["hong_ha"], full_name="An"),
            "binh": member(tree["hong_ha"], full_name="Bình"),
            "chau": member(tree["sa_pa"], full_name="Châu")}


@pytest.fixture
def team_a(tree, people):
    return team_create(name="Tổ công nghệ số Hồng Hà", commune=tree["hong_ha"],
                       leader=people["an"], members=[people["an"], people["binh"]], by=None)


@pytest.fixture
def team_b(tree, people):
    return team_create(name="Tổ công nghệ số Sa Pa", commune=tree["sa_pa"],
                       leader=people["chau"], members=[people["chau"]], by=None)


@pytest.fixture
def an_client(client, people, team_a):
    client.force_login(people["an"].user)
    return client
