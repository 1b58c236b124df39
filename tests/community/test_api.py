"""The JSON API of the contract: answers, idempotency, scoping, validation, privacy."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from lms.community.models import FollowUpContact, Visit
from lms.records.models import Statement

from .conftest import PHONE, days_ago, payload, post_visit

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not Visit.objects.exists() and not Statement.objects.exists() \
        and not FollowUpContact.objects.exists()


def test_a_visit_is_created_with_its_statement(an_client, team_a, people, tree):
    data = payload(team_a)
    response = post_visit(an_client, data)
    assert response.status_code == 201
    assert response.json() == {"id": data["id"], "status": "created"}
    assert "no-store" in response["Cache-Control"]
    visit = Visit.objects.get()
    assert str(visit.pk) == data["id"]
    assert visit.member == people["an"].user
    assert visit.commune == tree["hong_ha"]
    assert visit.services == ["vneid", "payment"]
    assert visit.citizens == 4
    assert str(visit.statement_id) == data["id"]
    assert Statement.objects.get().pk == visit.pk


def test_recorded_at_is_the_devices_time(an_client, team_a):
    moment = (timezone.now() - datetime.timedelta(days=3)).replace(microsecond=0)
    data = payload(team_a, recorded_at=moment.isoformat(), visited_on=days_ago(3).isoformat())
    assert post_visit(an_client, data).status_code == 201
    visit = Visit.objects.get()
    assert visit.recorded_at == moment
    assert visit.received_at > moment + datetime.timedelta(days=2)
    statement = Statement.objects.get().payload
    assert datetime.datetime.fromisoformat(statement["timestamp"]) == moment


def test_a_resend_is_a_no_op(an_client, team_a):
    data = payload(team_a)
    assert post_visit(an_client, data).status_code == 201
    again = post_visit(an_client, dict(data, citizens=9))
    assert again.status_code == 200
    assert again.json() == {"id": data["id"], "status": "duplicate"}
    assert Visit.objects.count() == 1 and Statement.objects.count() == 1
    assert Visit.objects.get().citizens == 4


def test_the_same_id_by_another_member_is_a_conflict(client, team_a, people):
    data = payload(team_a)
    client.force_login(people["an"].user)
    assert post_visit(client, data).status_code == 201
    client.force_login(people["binh"].user)
    response = post_visit(client, data)
    assert response.status_code == 409
    assert response.json()["errors"]["__all__"]
    assert Visit.objects.get().member == people["an"].user


def test_a_member_cannot_log_for_another_communes_team(an_client, team_b):
    response = post_visit(an_client, payload(team_b))
    assert response.status_code == 403
    assert response.json() == {"errors": {"team": ["You are not a member of this team."]}}
    assert nothing_stored()


def test_a_non_member_is_refused(client, tree, team_a):
    from tests.factories import PersonFactory
    outsider = PersonFactory(agency=tree["hong_ha"])  # a civil servant, in no team
    client.force_login(outsider.user)
    assert post_visit(client, payload(team_a)).status_code == 403
    assert nothing_stored()


def test_a_member_who_left_or_an_inactive_team_is_refused(an_client, team_a, people):
    team_a.active = False
    team_a.save()
    assert post_visit(an_client, payload(team_a)).status_code == 403
    team_a.active = True
    team_a.save()
    people["an"].left_on = days_ago(1)
    people["an"].save()
    assert post_visit(an_client, payload(team_a)).status_code == 403
    assert nothing_stored()


def test_an_unknown_team_is_answered_like_a_foreign_one(an_client, team_a):
    assert post_visit(an_client, payload(team_a, team=99999)).status_code == 403


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"visited_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()},
     "visited_on", "The date of the visit cannot be in the future."),
    ({"visited_on": "2020-01-01"}, "visited_on", "The date of the visit is more than a year ago."),
    ({"visited_on": "tomorrow"}, "visited_on", "Enter the date of the visit."),
    ({"citizens": -3}, "citizens", "Enter at least 1 citizen."),
    ({"citizens": 0}, "citizens", "Enter at least 1 citizen."),
    ({"citizens": 1001}, "citizens", "Enter at most 1000 citizens."),
    ({"citizens": "many"}, "citizens", "Enter how many citizens, a whole number."),
    ({"services": ["vneid", "fax"]}, "services", "Unknown service: fax"),
    ({"services": []}, "services", "Tick at least one service."),
    ({"outcome": "great"}, "outcome", "Unknown outcome: great"),
    ({"outcome": ""}, "outcome", "Choose an outcome."),
    ({"place": "  "}, "place", "Enter the place (village, hamlet)."),
    ({"note": "x" * 2001}, "note", "Keep the note under 2000 characters."),
    ({"phone": PHONE, "consent": False}, "consent",
     "Ask the citizen's consent before keeping a phone number."),
    ({"phone": "12ab", "consent": True}, "phone",
     "Enter a Vietnamese phone number (digits, may start with +84 or 0)."),
    ({"recorded_at": "2099-01-01T00:00:00+07:00"}, "recorded_at",
     "The time of the record is in the future: check the device's clock."),
    ({"id": "not-a-uuid"}, "id", "The record has no valid id (a UUID)."),
])
def test_bad_input_is_refused_with_a_clear_message(an_client, team_a, changes, field,
                                                   message):
    response = post_visit(an_client, payload(team_a, **changes),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.json()["errors"][field]
    assert nothing_stored()


def test_errors_come_in_the_requests_language(an_client, team_a):
    an_client.cookies["django_language"] = "vi"
    response = post_visit(an_client, payload(team_a, citizens=-1))
    assert response.status_code == 400
    assert response.json()["errors"]["citizens"]


def test_several_errors_are_listed_together(an_client, team_a):
    response = post_visit(an_client, payload(team_a, citizens=-1, services=["fax"],
                                             outcome="x"))
    assert set(response.json()["errors"]) == {"citizens", "services", "outcome"}


def test_malformed_json_is_a_400(an_client):
    for body in ("{not json", "[1, 2]", ""):
        response = an_client.post("/community/api/visits/", body,
                                  content_type="application/json")
        assert response.status_code == 400
        assert response.json()["errors"]["__all__"]


def test_a_phone_with_consent_is_kept_apart(an_client, team_a):
    data = payload(team_a, phone="+84 912 345 678", consent=True)
    response = post_visit(an_client, data)
    assert response.status_code == 201
    contact = FollowUpContact.objects.get()
    assert contact.phone == "+84912345678"
    assert contact.visit_id == uuid.UUID(data["id"])
    assert contact.consent_at == Visit.objects.get().recorded_at
    assert contact.consent_text
    assert "912345678" not in response.content.decode()


def test_consent_without_a_phone_is_ignored(an_client, team_a):
    assert post_visit(an_client, payload(team_a, consent=True)).status_code == 201
    assert not FollowUpContact.objects.exists()


def test_the_phone_never_reaches_the_statement(an_client, team_a):
    data = payload(team_a, phone=PHONE, consent=True, note="Gọi lại bà Tư",
                   place="Thôn Bí Mật")
    assert post_visit(an_client, data).status_code == 201
    serialized = json.dumps(Statement.objects.get().payload, ensure_ascii=False)
    for secret in ("912345678", "Gọi lại", "Thôn Bí Mật"):
        assert secret not in serialized


def test_anonymous_api_answers_401_json(client, team_a):
    for response in (client.get("/community/api/session/"),
                     post_visit(client, payload(team_a))):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
    assert nothing_stored()


def test_csrf_is_enforced(people, team_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["an"].user)
    refused = post_visit(client, payload(team_a))
    assert refused.status_code == 403
    assert nothing_stored()
    session = client.get("/community/api/session/")
    assert "no-store" in session["Cache-Control"]
    token = session.json()["csrf_token"]
    accepted = post_visit(client, payload(team_a), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_the_session_lists_the_members_teams(an_client, team_a, team_b, people):
    body = an_client.get("/community/api/session/").json()
    assert body["user"] == people["an"].user.username
    assert body["teams"] == [{"id": team_a.pk, "name": team_a.name,
                              "commune": team_a.commune.name}]
    assert body["csrf_token"]


def test_the_api_takes_only_posts(an_client):
    assert an_client.get("/community/api/visits/").status_code == 405
