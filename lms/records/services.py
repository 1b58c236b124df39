"""Store xAPI statements and keep the progress projection in step with them.

Every learning event, from our own pages or from an outside client, goes through
``statement_record``: the statement is validated, stored once, and applied to the
progress projection in the same transaction. A repeated statement id with the same
content is a no-op; with different content it is refused.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

from lms.org.models import User

from . import vocab
from .errors import InvalidStatement, StatementConflict
from .models import ActivityRequirement, Progress, Registration, Statement
from .selectors import requirement_met
from .xapi.agents import ifi_key

_PROJECTION_DEPTH_LIMIT = 5


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
    timestamp: datetime.datetime | None = None,
    language: str = "vi",
) -> dict[str, Any]:
    """An xAPI 1.0.3 statement by ``user`` about one of our activities."""
    definition: dict[str, Any] = {}
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
    if parent_ids:
        context["contextActivities"] = {
            "parent": [{"objectType": "Activity", "id": pid} for pid in parent_ids]
        }
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


def statement_validate(statement: dict[str, Any]) -> None:
    """Raise ``InvalidStatement`` naming the first field that breaks xAPI 1.0.3."""
    try:
        BaseXapiStatement(**statement)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "statement"
        raise InvalidStatement(f"{where}: {error['msg']}") from exc
    except TypeError as exc:
        raise InvalidStatement(f"statement: {exc}") from exc


def _same_content(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    ignore = {"stored", "authority"}
    return {k: v for k, v in stored.items() if k not in ignore} == {
        k: v for k, v in incoming.items() if k not in ignore
    }


@transaction.atomic
def statement_record(*, statement: dict[str, Any], user: User) -> Statement:
    """Validate, store and project one statement made by ``user``. Idempotent by id."""
    statement = dict(statement)
    statement.setdefault("id", str(uuid.uuid4()))
    statement.setdefault("timestamp", timezone.now().isoformat())
    statement.setdefault("version", vocab.VERSION)
    statement_validate(statement)
    if statement["actor"] != actor_for(user):
        raise InvalidStatement("actor: does not match the learner the statement is recorded for")
    statement_id = uuid.UUID(statement["id"])

    existing = Statement.objects.filter(pk=statement_id).first()
    if existing is not None:
        if _same_content(existing.payload, statement):
            return existing
        raise StatementConflict(f"id: statement {statement_id} is stored with other content")

    try:
        with transaction.atomic():
            stored = _store(statement, user=user)
    except IntegrityError:
        # The same statement arrived twice at once: the first one wins.
        existing = Statement.objects.get(pk=statement_id)
        if _same_content(existing.payload, statement):
            return existing
        raise StatementConflict(
            f"id: statement {statement_id} is stored with other content"
        ) from None
    _project(stored, depth=0)
    return stored


def _store(statement: dict[str, Any], *, user: User) -> Statement:
    """Insert a validated statement with the LRS's ``stored`` and ``authority``."""
    statement["stored"] = timezone.now().isoformat()
    statement["authority"] = {
        "objectType": "Agent",
        "account": {"homePage": vocab.account_home_page(), "name": "hocso"},
    }
    registration = statement.get("context", {}).get("registration")
    return Statement.objects.create(
        id=uuid.UUID(statement["id"]),
        user=user,
        verb_id=statement["verb"]["id"],
        actor_key=ifi_key(statement["actor"]),
        activity_id=statement["object"]["id"],
        registration=uuid.UUID(registration) if registration else None,
        timestamp=datetime.datetime.fromisoformat(statement["timestamp"]),
        payload=statement,
    )


def _project(stored: Statement, *, depth: int) -> None:
    """Apply one newly stored statement to the learner's progress row for its activity."""
    payload = stored.payload
    result = payload.get("result", {})
    verb = stored.verb_id
    row, _created = Progress.objects.select_for_update().get_or_create(
        user_id=stored.user_id, activity_id=stored.activity_id)
    was_completed, was_success = row.completed, row.success
    if verb in (vocab.COMPLETED, vocab.PASSED) or result.get("completion") is True:
        row.completed = True
        row.completed_at = min(filter(None, [row.completed_at, stored.timestamp]))
    if verb == vocab.PASSED or result.get("success") is True:
        row.success = True
    elif (verb == vocab.FAILED or result.get("success") is False) and row.success is not True:
        row.success = False
    scaled = result.get("score", {}).get("scaled")
    if scaled is not None and (row.score_scaled is None or scaled > row.score_scaled):
        row.score_scaled = scaled
    row.save()
    if (row.completed and not was_completed) or (row.success and not was_success):
        _complete_parents(stored, depth=depth)


def _complete_parents(stored: Statement, *, depth: int) -> None:
    """Complete every parent activity whose requirements the learner now all meets."""
    if depth >= _PROJECTION_DEPTH_LIMIT:
        return
    parent_ids = set(
        ActivityRequirement.objects.filter(child_id=stored.activity_id).values_list(
            "parent_id", flat=True
        )
    )
    for parent_id in sorted(parent_ids):
        if Progress.objects.filter(user_id=stored.user_id, activity_id=parent_id,
                                   completed=True).exists():
            continue
        requirements = list(ActivityRequirement.objects.filter(parent_id=parent_id))
        rows = {
            row.activity_id: row
            for row in Progress.objects.filter(
                user_id=stored.user_id, activity_id__in=[r.child_id for r in requirements]
            )
        }
        if all(requirement_met(rows.get(r.child_id), r.rule) for r in requirements):
            statement = statement_build(
                user=stored.user, verb_id=vocab.COMPLETED, activity_id=parent_id,
                result={"completion": True}, registration=stored.registration,
            )
            statement_validate(statement)
            _project(_store(statement, user=stored.user), depth=depth + 1)


@transaction.atomic
def requirements_set(*, parent_id: str, requirements: Iterable[tuple[str, str]]) -> None:
    """Declare what completes ``parent_id``: pairs of (child activity IRI, rule).
    Learners who already completed the parent keep their completion."""
    wanted = {child: rule for child, rule in requirements}
    ActivityRequirement.objects.filter(parent_id=parent_id).exclude(
        child_id__in=wanted
    ).delete()
    for child_id, rule in wanted.items():
        ActivityRequirement.objects.update_or_create(
            parent_id=parent_id, child_id=child_id, defaults={"rule": rule}
        )


@transaction.atomic
def registration_ensure(
    *, user: User, activity_id: str, activity_type: str | None = None,
    activity_name: dict[str, str] | None = None,
) -> tuple[Registration, bool]:
    """Register ``user`` on an activity (enrol on a course) once; the first time, record the
    ``registered`` statement. Returns the registration and whether it is new."""
    registration, created = Registration.objects.get_or_create(user=user,
                                                               activity_id=activity_id)
    if created:
        statement_record(
            statement=statement_build(
                user=user, verb_id=vocab.REGISTERED, activity_id=activity_id,
                activity_type=activity_type, activity_name=activity_name,
                registration=registration.registration,
            ),
            user=user,
        )
    return registration, created
