"""The statement of a visit: valid xAPI, the member as actor, no personal data."""

from __future__ import annotations

import pytest

from lms.community.services import visit_record
from lms.community.statements import service_activity_id, team_activity_id, visit_statement
from lms.records import vocab
from lms.records.builder import actor_for
from lms.records.models import Statement
from lms.records.services import statement_validate

from .conftest import PHONE, payload

pytestmark = pytest.mark.django_db


def test_the_statement_shape(team_a, people, tree):
    user = people["an"].user
    visit, created = visit_record(user=user, data=payload(
        team_a, services=["public_service", "safety"], citizens=6, outcome="partly",
        phone=PHONE, consent=True))
    assert created
    stored = Statement.objects.get(pk=visit.pk).payload
    statement = visit_statement(visit=visit)
    statement_validate(statement)
    assert stored["id"] == str(visit.pk)
    assert stored["actor"] == actor_for(user)
    assert stored["verb"]["id"] == vocab.guided()
    assert stored["verb"]["display"]["vi"] == "đã hướng dẫn người dân"
    assert stored["object"]["id"] == vocab.activity_iri("guidance-visit", visit.pk)
    activities = stored["context"]["contextActivities"]
    assert [a["id"] for a in activities["grouping"]] == [team_activity_id(team_a.pk)]
    assert [a["id"] for a in activities["category"]] == [
        service_activity_id("public_service"), service_activity_id("safety")]
    assert stored["context"]["extensions"] == {vocab.extension_iri("commune"): "00097"}
    assert stored["result"]["extensions"] == {vocab.extension_iri("citizens"): 6,
                                              vocab.extension_iri("outcome"): "partly"}


def test_no_personal_data_in_the_statement(team_a, people):
    user = people["an"].user
    user.email = "an@example.vn"
    user.save()
    visit, _ = visit_record(user=user, data=payload(
        team_a, phone="0987654321", consent=True, note="Số nhà 5", place="Xóm Chùa"))
    text = str(Statement.objects.get(pk=visit.pk).payload)
    for secret in ("987654321", "Số nhà 5", "Xóm Chùa", "an@example.vn", user.username,
                   people["an"].full_name):
        assert secret not in text
