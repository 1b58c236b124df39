"""Validation of xAPI statements, agents and parameter values, to the letter of xAPI 1.0.3
and xAPI 2.0 (IEEE 9274.1.1).

Every function raises ``lms.records.errors.InvalidStatement("<field path>: <rule>")``
(e.g. ``actor.mbox: must be a mailto: IRI …`` or ``result.score.scaled: must be between -1
and 1``), which the LRS answers with 400. Nothing here changes its input.

``version`` is the request's negotiated xAPI version, "1.0.3" or "2.0.0".

- ``validate_statement(data, *, version)``: a Statement (or what a PUT/POST carries, one
  statement at a time).
- ``validate_agent(data, *, version, field="agent")``: an Agent or an identified Group,
  as the ``agent`` parameter of the statement, state and agent-profile resources names it.
- ``validate_activity(data, *, version, field="activity")``: an Activity object.
- ``validate_iri(value, field)``: an absolute IRI (``activityId``, ``verb``, ``activity``
  parameters); ``validate_uuid(value, field)``: a UUID in standard form
  (``registration``, ``statementId``); ``validate_timestamp(value, field, *, version)``:
  an ISO 8601 timestamp (``since``, ``until``); ``validate_language_tag(value, field)``
  and ``validate_language_map(value, field)``: RFC 5646 tags and language maps.

The rules live in ``validation_formats`` (string formats), ``validation_common`` (JSON
types, language maps, extensions), ``validation_actors``, ``validation_activities``,
``validation_context`` and ``validation_statement``.

Why plain Python rather than a pydantic model: the messages must name the field path and
the rule exactly, and many rules are cross-field (exactly one IFI, anonymous versus
identified Groups, components allowed by the interactionType, revision/platform only for
Activity objects, score bounds, 1.0.3 versus 2.0 properties and formats), which pydantic
would run as Python validators and report with union-branch locations to rewrite. Plain
checks stay as fast as a bare strict pydantic model of the same shape and about ten times
faster than ralph's (``bench/xapi_validation.py``: ~90,000 typical statements/s on one
core), and read as the specification.
"""

from __future__ import annotations

from typing import Any

from .validation_activities import check_activity
from .validation_actors import check_identified_actor
from .validation_common import check_language_map
from .validation_formats import (
    check_iri,
    check_language_tag,
    check_timestamp,
    check_uuid,
    fail,
)
from .validation_statement import check_statement

__all__ = [
    "validate_activity", "validate_agent", "validate_iri", "validate_language_map",
    "validate_language_tag", "validate_statement", "validate_timestamp", "validate_uuid",
]

V2 = "2.0.0"


def _is_v2(version: str) -> bool:
    return version.startswith("2.")


def validate_statement(data: Any, *, version: str) -> None:
    """Raise ``InvalidStatement("<field path>: <rule>")`` unless ``data`` is a valid
    statement for an xAPI ``version`` ("1.0.3" or "2.0.0") request."""
    if not isinstance(data, dict):
        fail("statement", "must be a JSON object")
    check_statement(data, v2=_is_v2(version))


def validate_agent(data: Any, *, version: str, field: str = "agent") -> None:
    """Raise ``InvalidStatement`` unless ``data`` is an Agent or an identified Group (one
    with exactly one inverse functional identifier)."""
    check_identified_actor(data, field)


def validate_activity(data: Any, *, version: str, field: str = "activity") -> None:
    """Raise ``InvalidStatement`` unless ``data`` is an Activity object."""
    check_activity(data, field)


def validate_iri(value: Any, field: str) -> None:
    """An absolute IRI (``scheme:…``), e.g. the ``activityId`` parameter."""
    check_iri(value, field)


def validate_uuid(value: Any, field: str) -> None:
    """A UUID in its standard string form, e.g. the ``registration`` parameter."""
    check_uuid(value, field)


def validate_timestamp(value: Any, field: str, *, version: str = V2) -> None:
    """An ISO 8601 timestamp (with a time zone for xAPI 2.0), e.g. ``since``."""
    check_timestamp(value, field, v2=_is_v2(version))


def validate_language_tag(value: Any, field: str) -> None:
    """An RFC 5646 language tag."""
    check_language_tag(value, field)


def validate_language_map(value: Any, field: str) -> None:
    """A language map: RFC 5646 tags to strings."""
    check_language_map(value, field)
