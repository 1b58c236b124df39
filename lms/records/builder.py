"""Statements HọcSố's own pages make: the learner's actor and the statement shape."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from lms.org.models import User

from . import vocab


def actor_for(user: User) -> dict[str, Any]:
    """The xAPI actor of a platform user: an account with an opaque name, never an e-mail."""
    return {
        "objectType": "Agent",
        "account": {"homePage": vocab.account_home_page(), "name": str(user.xapi_id)},
    }


def statement_build(
    *,
    user: User,
    verb_id: str,
    activity_id: str,
    activity_type: str | None = None,
    activity_name: dict[str, str] | None = None,
    result: dict[str, Any] | None = None,
    registration: uuid.UUID | None = None,
    parent_ids: Sequence[str] = (),
    grouping_ids: Sequence[str] = (),
    timestamp: datetime.datetime | None = None,
    language: str = "vi",
    definition: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An xAPI 1.0.3 statement by ``user`` about one of our activities. ``definition``
    gives a full activity definition (an interaction's, say) instead of name and type."""
    definition = dict(definition or {})
    if activity_name:
        definition["name"] = activity_name
    if activity_type:
        definition["type"] = activity_type
    obj: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        obj["definition"] = definition
    context: dict[str, Any] = {"platform": "HọcSố", "language": language}
    if registration:
        context["registration"] = str(registration)
    context_activities = {
        key: [{"objectType": "Activity", "id": activity} for activity in ids]
        for key, ids in (("parent", parent_ids), ("grouping", grouping_ids)) if ids
    }
    if context_activities:
        context["contextActivities"] = context_activities
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor_for(user),
        "verb": {"id": verb_id, "display": vocab.VERB_DISPLAY.get(verb_id, {})},
        "object": obj,
        "context": context,
        "timestamp": (timestamp or timezone.now()).isoformat(),
        "version": vocab.VERSION,
    }
    if not statement["verb"]["display"]:
        del statement["verb"]["display"]
    if result:
        statement["result"] = result
    return statement
