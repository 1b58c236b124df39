"""Activities, their definitions and interaction components (xAPI 1.0.3 Data 2.4.4.1;
2.0 section 4.2.2.3), and Statement References."""

from __future__ import annotations

from typing import Any

from .validation_common import (
    check_array,
    check_extensions,
    check_language_map,
    check_object,
    check_string,
)
from .validation_formats import check_iri, check_uuid, fail

_ACTIVITY_PROPERTIES = frozenset({"objectType", "id", "definition"})
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_DEFINITION_PROPERTIES = frozenset({
    "name", "description", "type", "moreInfo", "extensions", "interactionType",
    "correctResponsesPattern", *_COMPONENT_LISTS,
})
# Which interaction component lists each interactionType supports.
INTERACTION_TYPES: dict[str, tuple[str, ...]] = {
    "true-false": (),
    "choice": ("choices",),
    "fill-in": (),
    "long-fill-in": (),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "numeric": (),
    "other": (),
}
_ALLOWED_FOR: dict[str, str] = {
    "choices": "choice or sequencing",
    "scale": "likert",
    "source": "matching",
    "target": "matching",
    "steps": "performance",
}
# The properties every Activity definition may have; the others are interaction ones.
_PLAIN_DEFINITION = frozenset({"name", "description", "type", "moreInfo", "extensions"})
_COMPONENT_PROPERTIES = frozenset({"id", "description"})
_STATEMENT_REF_PROPERTIES = frozenset({"objectType", "id"})


def check_activity(value: Any, path: str) -> None:
    """An Activity: ``id`` (IRI, required), ``definition``, ``objectType`` "Activity"."""
    if isinstance(value, dict) and "objectType" in value and value["objectType"] != "Activity":
        fail(f"{path}.objectType", "must be Activity")
    activity = check_object(value, path, _ACTIVITY_PROPERTIES, ("id",))
    check_iri(activity["id"], f"{path}.id")
    if "definition" in activity:
        check_definition(activity["definition"], f"{path}.definition")


def check_definition(value: Any, path: str) -> None:
    definition = check_object(value, path, _DEFINITION_PROPERTIES)
    for name in ("name", "description"):
        if name in definition:
            check_language_map(definition[name], f"{path}.{name}")
    if "type" in definition:
        check_iri(definition["type"], f"{path}.type")
    if "moreInfo" in definition:
        check_iri(definition["moreInfo"], f"{path}.moreInfo")
    if "extensions" in definition:
        check_extensions(definition["extensions"], f"{path}.extensions")
    if not _PLAIN_DEFINITION.issuperset(definition):
        _check_interaction(definition, path)


def _check_interaction(definition: dict[str, Any], path: str) -> None:
    interaction_type = definition.get("interactionType")
    if "interactionType" in definition and (
            not isinstance(interaction_type, str) or interaction_type not in INTERACTION_TYPES):
        fail(f"{path}.interactionType",
             f"must be one of {', '.join(INTERACTION_TYPES)} (exact case)")
    if "correctResponsesPattern" in definition:
        if interaction_type is None:
            fail(f"{path}.correctResponsesPattern", "needs an interactionType")
        patterns = check_array(definition["correctResponsesPattern"],
                               f"{path}.correctResponsesPattern")
        for index, pattern in enumerate(patterns):
            check_string(pattern, f"{path}.correctResponsesPattern[{index}]")
    for name in _COMPONENT_LISTS:
        if name not in definition:
            continue
        if interaction_type is None:
            fail(f"{path}.{name}", "needs an interactionType")
        if name not in INTERACTION_TYPES[interaction_type]:
            fail(f"{path}.{name}",
                 f"only allowed when interactionType is {_ALLOWED_FOR[name]}")
        _check_components(definition[name], f"{path}.{name}")


def _check_components(value: Any, path: str) -> None:
    """An array of interaction components with distinct ids."""
    seen: set[str] = set()
    for index, item in enumerate(check_array(value, path)):
        item_path = f"{path}[{index}]"
        component = check_object(item, item_path, _COMPONENT_PROPERTIES, ("id",))
        component_id = component["id"]
        check_string(component_id, f"{item_path}.id")
        if component_id in seen:
            fail(f"{item_path}.id", f"{component_id!r} is used twice; the ids of an "
                                    f"interaction component list must be distinct")
        seen.add(component_id)
        if "description" in component:
            check_language_map(component["description"], f"{item_path}.description")


def check_statement_ref(value: Any, path: str) -> None:
    """A Statement Reference: ``objectType`` "StatementRef" and the ``id`` (UUID)."""
    ref = check_object(value, path, _STATEMENT_REF_PROPERTIES, ("objectType", "id"))
    if ref["objectType"] != "StatementRef":
        fail(f"{path}.objectType", "must be StatementRef")
    check_uuid(ref["id"], f"{path}.id")
