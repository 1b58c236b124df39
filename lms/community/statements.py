"""The xAPI statement of a guidance visit. It carries the member (opaque account), the
team, the commune's code, the services, the number of citizens and the outcome: never the
phone number, the note or the place."""

from __future__ import annotations

from typing import Any

from lms.records import vocab
from lms.records.builder import statement_build

from .models import Visit

EXT_COMMUNE = "commune"
EXT_CITIZENS = "citizens"
EXT_OUTCOME = "outcome"


def visit_activity_id(visit: Visit) -> str:
    return vocab.activity_iri("guidance-visit", visit.pk)


def team_activity_id(team_id: int) -> str:
    return vocab.activity_iri("community-team", team_id)


def service_activity_id(code: str) -> str:
    return vocab.activity_iri("guidance-service", code)


def visit_statement(*, visit: Visit) -> dict[str, Any]:
    """The statement of ``visit`` by its member: its id is the visit's id (a resend is the
    same statement), its timestamp the time recorded on the device."""
    statement = statement_build(
        user=visit.member, verb_id=vocab.guided(), activity_id=visit_activity_id(visit),
        activity_type=vocab.activity_iri("type", "guidance-visit"),
        activity_name={"en-US": "Guidance visit", "vi": "Buổi hướng dẫn người dân"},
        grouping_ids=[team_activity_id(visit.team_id)], timestamp=visit.recorded_at,
        result={"extensions": {vocab.extension_iri(EXT_CITIZENS): visit.citizens,
                               vocab.extension_iri(EXT_OUTCOME): visit.outcome}})
    statement["id"] = str(visit.pk)
    statement["verb"]["display"] = dict(vocab.GUIDED_DISPLAY)
    context = statement["context"]
    context["contextActivities"]["category"] = [
        {"objectType": "Activity", "id": service_activity_id(code)} for code in visit.services]
    context["extensions"] = {vocab.extension_iri(EXT_COMMUNE): visit.commune.code}
    return statement
