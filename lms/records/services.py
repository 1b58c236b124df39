"""Record learning events and declare what completes what.

Every learning event, from our own pages or from an outside client, is stored by
``storage.statements_store`` (validated, stored once, applied to the progress projection in
the same transaction). Our pages call ``statement_record``; the xAPI endpoint calls
``statements_store`` directly with the client as writer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
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
    "registrations_ensure_many", "requirements_set", "statement_build", "statement_record",
    "statement_validate", "statements_record", "system_writer",
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


REGISTRATION_BATCH = 1000


def registrations_ensure_many(
    *, users: Sequence[User], activity_id: str, activity_type: str | None = None,
    activity_name: dict[str, str] | None = None, batch_size: int = REGISTRATION_BATCH,
) -> int:
    """Register many learners on one activity at once (enrol a whole rule's people on a
    course): the same rows and ``registered`` statements as ``registration_ensure``, a
    batch at a time. Learners registered already, by now or by a racing worker, are left
    alone and get no second statement. Each batch is one transaction. Returns how many
    were registered now. ``users`` need only ``pk`` and ``xapi_id``."""
    created = 0
    for start in range(0, len(users), batch_size):
        created += _registrations_batch(users[start:start + batch_size],
                                        activity_id=activity_id, activity_type=activity_type,
                                        activity_name=activity_name)
    return created


@transaction.atomic
def _registrations_batch(users: Sequence[User], *, activity_id: str,
                         activity_type: str | None,
                         activity_name: dict[str, str] | None) -> int:
    wanted = {user.pk: uuid.uuid4() for user in users}
    Registration.objects.bulk_create(
        [Registration(user_id=pk, activity_id=activity_id, registration=registration)
         for pk, registration in wanted.items()],
        ignore_conflicts=True)
    # Ours are the rows carrying the registration ids drawn here: a learner registered
    # before (or by another worker) kept their own id.
    new = set(Registration.objects.filter(registration__in=wanted.values()).values_list(
        "user_id", flat=True))
    statements = [
        statement_build(user=user, verb_id=vocab.REGISTERED, activity_id=activity_id,
                        activity_type=activity_type, activity_name=activity_name,
                        registration=wanted[user.pk])
        for user in users if user.pk in new
    ]
    if statements:
        # Every statement of the batch has the shape of the first: validating one is
        # validating them all (and the strict validator is the slowest step by far).
        statement_validate(statements[0])
        statements_store(statements=statements, writer=system_writer(),
                         version=vocab.VERSION)
    return len(statements)
