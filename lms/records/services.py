"""Record learning events and declare what completes what.

Every learning event, from our own pages or from an outside client, is stored by
``storage.statements_store`` (validated, stored once, applied to the progress projection in
the same transaction). Our pages call ``statement_record``; the xAPI endpoint calls
``statements_store`` directly with the client as writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from lms.org.models import User

from . import vocab
from .builder import actor_for, statement_build
from .errors import InvalidStatement, StatementConflict
from .models import ActivityRequirement, Registration, Statement
from .storage import statements_store, system_writer
from .xapi.validation import validate_statement

__all__ = [
    "InvalidStatement", "StatementConflict", "actor_for", "registration_ensure",
    "requirements_set", "statement_build", "statement_record", "statement_validate",
    "statements_record",
    "system_writer",
]


def statement_validate(statement: dict[str, Any]) -> None:
    """Raise ``InvalidStatement`` naming the first field and rule that break xAPI 1.0.3."""
    validate_statement(statement, version=vocab.VERSION)


def statement_record(*, statement: dict[str, Any], user: User) -> Statement:
    """Validate, store and project one statement our pages made for ``user``. Idempotent
    by id: the same statement again is a no-op, other content under its id a conflict."""
    statement = dict(statement)
    statement.setdefault("version", vocab.VERSION)
    statement_validate(statement)
    if statement["actor"] != actor_for(user):
        raise InvalidStatement("actor: does not match the learner the statement is recorded for")
    result = statements_store(statements=[statement], writer=system_writer(),
                              version=vocab.VERSION)
    # The new row, or the one stored before under this id (a repeat is a no-op).
    return result.created[0] if result.created else Statement.objects.get(pk=result.ids[0])


def statements_record(*, statements: Iterable[dict[str, Any]], user: User) -> list[str]:
    """Validate, store and project several statements our pages made for ``user`` in one
    insert (all or none). Returns their ids. Idempotent by id like ``statement_record``."""
    actor = actor_for(user)
    batch = []
    for statement in statements:
        statement = dict(statement)
        statement.setdefault("version", vocab.VERSION)
        statement_validate(statement)
        if statement["actor"] != actor:
            raise InvalidStatement(
                "actor: does not match the learner the statement is recorded for")
        batch.append(statement)
    if not batch:
        return []
    result = statements_store(statements=batch, writer=system_writer(), version=vocab.VERSION)
    return [str(statement_id) for statement_id in result.ids]


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
