"""What xAPI 2.0 validates differently from 1.0.3: contextAgents and contextGroups, the
statement version property, the time zone and the RFC 3339 form of timestamps."""

from __future__ import annotations

from typing import Any

import pytest

from lms.records.errors import InvalidStatement
from lms.records.xapi.validation import validate_statement
from tests.records.xapi_samples import ACCOUNT_AGENT, MBOX_AGENT, base, changed, substatement

V1, V2 = "1.0.3", "2.0.0"

CONTEXT_AGENTS = [{"objectType": "contextAgent", "agent": MBOX_AGENT,
                   "relevantTypes": ["https://example.com/activity-types/player"]}]
CONTEXT_GROUPS = [{"objectType": "contextGroup",
                   "group": {"objectType": "Group", "mbox": "mailto:team-1@example.com",
                             "member": [MBOX_AGENT]},
                   "relevantTypes": ["https://example.com/activity-types/team/a"]}]


def invalid(data: Any, version: str) -> str:
    with pytest.raises(InvalidStatement) as caught:
        validate_statement(data, version=version)
    return str(caught.value)


@pytest.mark.parametrize(("path", "value"), [
    ("context.contextAgents", CONTEXT_AGENTS),
    ("context.contextGroups", CONTEXT_GROUPS),
    ("object.context.contextAgents", CONTEXT_AGENTS),
])
def test_context_agents_and_groups_are_2_0_only(path: str, value: Any) -> None:
    statement = changed(substatement() if path.startswith("object.") else base(), path, value)
    validate_statement(statement, version=V2)
    assert invalid(statement, V1) == f"{path}: is not a property allowed here"


@pytest.mark.parametrize(("path", "value", "message"), [
    ("context.contextAgents", {"objectType": "contextAgent", "agent": MBOX_AGENT},
     "context.contextAgents: must be an array"),
    ("context.contextAgents", [{**CONTEXT_AGENTS[0], "objectType": "Should fail"}],
     "context.contextAgents[0].objectType: must be contextAgent"),
    ("context.contextAgents", [{"objectType": "contextAgent", "agent": {"key": "x"}}],
     "context.contextAgents[0].agent.key: is not a property allowed"),
    ("context.contextAgents", [{"objectType": "contextAgent"}],
     "context.contextAgents[0].agent: is required"),
    ("context.contextAgents", [{**CONTEXT_AGENTS[0], "agent": CONTEXT_GROUPS[0]["group"]}],
     "context.contextAgents[0].agent.member: is not a property allowed"),
    ("context.contextAgents", [{**CONTEXT_AGENTS[0], "relevantTypes": []}],
     "context.contextAgents[0].relevantTypes: must list at least one IRI"),
    ("context.contextAgents", [{**CONTEXT_AGENTS[0], "relevantTypes": ["abc"]}],
     "context.contextAgents[0].relevantTypes[0]: must be an absolute IRI"),
    ("context.contextGroups", [{**CONTEXT_GROUPS[0], "objectType": "contextAgent"}],
     "context.contextGroups[0].objectType: must be contextGroup"),
    ("context.contextGroups", [{**CONTEXT_GROUPS[0], "group": MBOX_AGENT}],
     "context.contextGroups[0].group.objectType: must be Group"),
    ("context.contextGroups", [{**CONTEXT_GROUPS[0], "relevantTypes": "http://a.vn"}],
     "context.contextGroups[0].relevantTypes: must be an array"),
    ("object.context.contextGroups", [{"objectType": "contextGroup", "group": {"key": 1}}],
     "object.context.contextGroups[0].group.key: is not a property allowed"),
])
def test_invalid_context_agents_and_groups(path: str, value: Any, message: str) -> None:
    statement = changed(substatement() if path.startswith("object.") else base(), path, value)
    assert invalid(statement, V2).startswith(message)


def test_context_agent_relevant_types_are_optional() -> None:
    entry = {"objectType": "contextAgent", "agent": ACCOUNT_AGENT}
    validate_statement(changed(base(), "context.contextAgents", [entry]), version=V2)


@pytest.mark.parametrize(("version_value", "accepted_by"), [
    ("1.0", {V1, V2}), ("1.0.0", {V1, V2}), ("1.0.3", {V1, V2}), ("1.0.9", {V1, V2}),
    ("2.0", {V2}), ("2.0.0", {V2}), ("2.0.1", {V2}),
    ("1.1.0", set()), ("0.9.9", set()), ("3.0.0", set()), ("1.0.x", set()), ("", set()),
])
def test_statement_version_property(version_value: str, accepted_by: set[str]) -> None:
    statement = changed(base(), "version", version_value)
    for version in (V1, V2):
        if version in accepted_by:
            validate_statement(statement, version=version)
        else:
            assert invalid(statement, version).startswith("version: must be")


def test_timestamp_without_time_zone_is_only_accepted_by_1_0_3() -> None:
    statement = changed(base(), "timestamp", "2013-05-18T05:32:34.804")
    validate_statement(statement, version=V1)
    assert invalid(statement, V2) == "timestamp: must include a time zone (Z or ±hh:mm)"


def test_rfc_3339_space_separator_is_only_accepted_by_2_0() -> None:
    statement = changed(base(), "timestamp", "2013-05-18 05:32:34.804Z")
    validate_statement(statement, version=V2)
    assert invalid(statement, V1).startswith("timestamp: must separate date and time with T")
