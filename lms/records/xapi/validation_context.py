"""The Context of a Statement (xAPI 1.0.3 Data 2.4.6; 2.0 section 4.2.2.5, which adds
``contextAgents`` and ``contextGroups``)."""

from __future__ import annotations

from typing import Any

from .validation_activities import check_activity, check_statement_ref
from .validation_actors import check_actor, check_agent, check_group
from .validation_common import check_array, check_extensions, check_object, check_string
from .validation_formats import check_iri, check_language_tag, check_uuid, fail

_CONTEXT_PROPERTIES_1 = frozenset({
    "registration", "instructor", "team", "contextActivities", "revision", "platform",
    "language", "statement", "extensions",
})
_CONTEXT_PROPERTIES_2 = _CONTEXT_PROPERTIES_1 | {"contextAgents", "contextGroups"}
_CONTEXT_ACTIVITY_KINDS = frozenset({"parent", "grouping", "category", "other"})
_CONTEXT_AGENT_PROPERTIES = frozenset({"objectType", "agent", "relevantTypes"})
_CONTEXT_GROUP_PROPERTIES = frozenset({"objectType", "group", "relevantTypes"})


def check_context(value: Any, path: str, *, object_is_activity: bool, v2: bool) -> None:
    context = check_object(value, path, _CONTEXT_PROPERTIES_2 if v2 else _CONTEXT_PROPERTIES_1)
    if "registration" in context:
        check_uuid(context["registration"], f"{path}.registration")
    if "instructor" in context:
        check_actor(context["instructor"], f"{path}.instructor")
    if "team" in context:
        check_group(context["team"], f"{path}.team")  # a team is a Group, never an Agent
    if "contextActivities" in context:
        _check_context_activities(context["contextActivities"], f"{path}.contextActivities")
    for name in ("revision", "platform"):
        if name in context:
            check_string(context[name], f"{path}.{name}")
            if not object_is_activity:
                fail(f"{path}.{name}", "only allowed when the statement's object is an "
                                       "Activity")
    if "language" in context:
        check_language_tag(context["language"], f"{path}.language")
    if "statement" in context:
        check_statement_ref(context["statement"], f"{path}.statement")
    if "extensions" in context:
        check_extensions(context["extensions"], f"{path}.extensions")
    if v2:
        if "contextAgents" in context:
            _check_context_agents(context["contextAgents"], f"{path}.contextAgents")
        if "contextGroups" in context:
            _check_context_groups(context["contextGroups"], f"{path}.contextGroups")


def _check_context_activities(value: Any, path: str) -> None:
    """Keys parent, grouping, category, other; each an Activity or an array of them."""
    activities = check_object(value, path, _CONTEXT_ACTIVITY_KINDS)
    for kind, item in activities.items():
        if isinstance(item, list):
            for index, activity in enumerate(item):
                check_activity(activity, f"{path}.{kind}[{index}]")
        else:
            check_activity(item, f"{path}.{kind}")


def _check_relevant_types(entry: dict[str, Any], path: str) -> None:
    if "relevantTypes" in entry:
        types = check_array(entry["relevantTypes"], f"{path}.relevantTypes")
        if not types:
            fail(f"{path}.relevantTypes", "must list at least one IRI when present")
        for index, iri in enumerate(types):
            check_iri(iri, f"{path}.relevantTypes[{index}]")


def _check_context_entries(value: Any, path: str, *, object_type: str, key: str,
                           properties: Any, check: Any) -> None:
    """An array of contextAgent / contextGroup objects: that objectType, an Agent (a
    Group), and optionally relevantTypes (a non-empty array of IRIs)."""
    for index, item in enumerate(check_array(value, path)):
        item_path = f"{path}[{index}]"
        entry = check_object(item, item_path, properties, ("objectType", key))
        if entry["objectType"] != object_type:
            fail(f"{item_path}.objectType", f"must be {object_type}")
        check(entry[key], f"{item_path}.{key}")
        _check_relevant_types(entry, item_path)


def _check_context_agents(value: Any, path: str) -> None:
    _check_context_entries(value, path, object_type="contextAgent", key="agent",
                           properties=_CONTEXT_AGENT_PROPERTIES, check=check_agent)


def _check_context_groups(value: Any, path: str) -> None:
    _check_context_entries(value, path, object_type="contextGroup", key="group",
                           properties=_CONTEXT_GROUP_PROPERTIES, check=check_group)
