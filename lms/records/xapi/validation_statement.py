"""Statements and SubStatements with their Verb, Object, Result and Attachments
(xAPI 1.0.3 Data 2.2-2.4; 2.0 section 4.2)."""

from __future__ import annotations

from typing import Any

from .validation_activities import check_activity, check_statement_ref
from .validation_actors import check_actor, check_authority
from .validation_common import (
    check_array,
    check_boolean,
    check_extensions,
    check_integer,
    check_language_map,
    check_number,
    check_object,
    check_string,
)
from .validation_context import check_context
from .validation_formats import (
    check_duration,
    check_iri,
    check_media_type,
    check_sha2,
    check_timestamp,
    check_uuid,
    check_version,
    fail,
)

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_REQUIRED = ("actor", "verb", "object")
_STATEMENT_PROPERTIES = frozenset({
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
})
# A SubStatement is validated as a Statement but has no id, stored, version or authority.
_SUBSTATEMENT_PROPERTIES = frozenset({
    "objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments",
})
_FORBIDDEN_IN_SUBSTATEMENT = ("id", "stored", "version", "authority")
_VERB_PROPERTIES = frozenset({"id", "display"})
_RESULT_PROPERTIES = frozenset({
    "score", "success", "completion", "response", "duration", "extensions",
})
_SCORE_PROPERTIES = frozenset({"scaled", "raw", "min", "max"})
_ATTACHMENT_PROPERTIES = frozenset({
    "usageType", "display", "description", "contentType", "length", "sha2", "fileUrl",
})
_ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")


def check_statement(value: Any, *, v2: bool) -> None:
    statement = check_object(value, "", _STATEMENT_PROPERTIES, _REQUIRED)
    if "id" in statement:
        check_uuid(statement["id"], "id")
    _check_core(statement, "", v2=v2, nested=False)
    if statement["verb"]["id"] == VOIDED:
        target = statement["object"]
        if target.get("objectType") != "StatementRef":
            fail("object.objectType", "a voiding statement (verb voided) must have a "
                                      "StatementRef as its object")
    if "stored" in statement:
        check_timestamp(statement["stored"], "stored", v2=v2)
    if "authority" in statement:
        check_authority(statement["authority"], "authority")
    if "version" in statement:
        check_version(statement["version"], "version", v2=v2)


def _check_core(statement: dict[str, Any], prefix: str, *, v2: bool, nested: bool) -> None:
    """What Statements and SubStatements share: actor, verb, object, result, context,
    timestamp and attachments."""
    check_actor(statement["actor"], f"{prefix}actor")
    _check_verb(statement["verb"], f"{prefix}verb")
    object_is_activity = _check_object(statement["object"], f"{prefix}object", v2=v2,
                                       nested=nested)
    if "result" in statement:
        _check_result(statement["result"], f"{prefix}result")
    if "context" in statement:
        check_context(statement["context"], f"{prefix}context",
                      object_is_activity=object_is_activity, v2=v2)
    if "timestamp" in statement:
        check_timestamp(statement["timestamp"], f"{prefix}timestamp", v2=v2)
    if "attachments" in statement:
        _check_attachments(statement["attachments"], f"{prefix}attachments")


def _check_verb(value: Any, path: str) -> None:
    verb = check_object(value, path, _VERB_PROPERTIES, ("id",))
    check_iri(verb["id"], f"{path}.id")
    if "display" in verb:
        check_language_map(verb["display"], f"{path}.display")


def _check_object(value: Any, path: str, *, v2: bool, nested: bool) -> bool:
    """The object of a Statement or SubStatement, by its objectType (Activity when
    absent); returns whether it is an Activity."""
    if not isinstance(value, dict):
        check_object(value, path, frozenset())  # raises the type error
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        check_activity(value, path)
        return True
    if object_type in ("Agent", "Group"):
        check_actor(value, path, object_type_required=True)
    elif object_type == "StatementRef":
        check_statement_ref(value, path)
    elif object_type == "SubStatement":
        if nested:
            fail(f"{path}.objectType", "a SubStatement must not contain a SubStatement")
        _check_substatement(value, path, v2=v2)
    elif object_type is None:
        fail(f"{path}.objectType", "must not be null")
    else:
        fail(f"{path}.objectType",
             "must be Activity, Agent, Group, StatementRef or SubStatement (exact case)")
    return False


def _check_substatement(value: dict[str, Any], path: str, *, v2: bool) -> None:
    for name in _FORBIDDEN_IN_SUBSTATEMENT:
        if name in value:
            fail(f"{path}.{name}", "a SubStatement must not have id, stored, version or "
                                   "authority")
    substatement = check_object(value, path, _SUBSTATEMENT_PROPERTIES, _REQUIRED)
    _check_core(substatement, f"{path}.", v2=v2, nested=True)


def _check_result(value: Any, path: str) -> None:
    result = check_object(value, path, _RESULT_PROPERTIES)
    if "score" in result:
        _check_score(result["score"], f"{path}.score")
    if "success" in result:
        check_boolean(result["success"], f"{path}.success")
    if "completion" in result:
        check_boolean(result["completion"], f"{path}.completion")
    if "response" in result:
        check_string(result["response"], f"{path}.response")
    if "duration" in result:
        check_duration(result["duration"], f"{path}.duration")
    if "extensions" in result:
        check_extensions(result["extensions"], f"{path}.extensions")


def _check_score(value: Any, path: str) -> None:
    """scaled in [-1, 1]; min < max; raw between min and max (inclusive) when they are
    given."""
    score = check_object(value, path, _SCORE_PROPERTIES)
    if "scaled" in score:
        scaled = check_number(score["scaled"], f"{path}.scaled")
        if not -1 <= scaled <= 1:
            fail(f"{path}.scaled", "must be between -1 and 1")
    low = check_number(score["min"], f"{path}.min") if "min" in score else None
    high = check_number(score["max"], f"{path}.max") if "max" in score else None
    if low is not None and high is not None and not low < high:
        fail(f"{path}.min", "must be less than max")
    if "raw" in score:
        raw = check_number(score["raw"], f"{path}.raw")
        if low is not None and raw < low:
            fail(f"{path}.raw", "must not be less than min")
        if high is not None and raw > high:
            fail(f"{path}.raw", "must not be greater than max")


def _check_attachments(value: Any, path: str) -> None:
    for index, item in enumerate(check_array(value, path)):
        item_path = f"{path}[{index}]"
        attachment = check_object(item, item_path, _ATTACHMENT_PROPERTIES,
                                  _ATTACHMENT_REQUIRED)
        check_iri(attachment["usageType"], f"{item_path}.usageType")
        check_language_map(attachment["display"], f"{item_path}.display")
        if "description" in attachment:
            check_language_map(attachment["description"], f"{item_path}.description")
        check_media_type(attachment["contentType"], f"{item_path}.contentType")
        if check_integer(attachment["length"], f"{item_path}.length") < 0:
            fail(f"{item_path}.length", "must not be negative")
        check_sha2(attachment["sha2"], f"{item_path}.sha2")
        if "fileUrl" in attachment:
            check_iri(attachment["fileUrl"], f"{item_path}.fileUrl")
