"""Start, save, submit and close quiz attempts. Grading happens here, on the server only.

Every write locks the attempt row first, so a save racing a submit, a double submit or a
deadline closing the attempt at the same moment resolve one after the other."""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.org.models import User
from lms.records import services as records
from lms.records import vocab

from . import grading
from .draw import DrawError, question_snapshot, questions_draw
from .models import Attempt, AttemptSlot, AttemptStatus, QuizPage
from .responses import FormAnswer
from .selectors import course_of, start_blocker
from .statements import attempt_statements


class AttemptError(ValueError):
    """A request the attempt cannot take; the message is meant for the learner."""


class AttemptClosed(AttemptError):
    """The attempt is closed (submitted, or its time ran out): nothing more is saved."""


def _grace() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.ASSESSMENT_GRACE_SECONDS)


def _in_time(attempt: Attempt, now: datetime.datetime) -> bool:
    return attempt.deadline is None or now <= attempt.deadline + _grace()


@transaction.atomic
def attempt_start(*, user: User, quiz: QuizPage, now: datetime.datetime | None = None) -> Attempt:
    """Resume the learner's open attempt, or start one: draw its questions, freeze them,
    enrol the learner on the course and record ``attempted``. Raises ``AttemptError`` when
    the quiz's rules forbid a new attempt (attempts used up, cool-down, closed)."""
    now = now or timezone.now()
    # Serialise the starts of one learner on one quiz (two tabs, a double click).
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    existing = Attempt.objects.filter(user=user, quiz=quiz,
                                      status=AttemptStatus.IN_PROGRESS).first()
    if existing is not None:
        if _in_time(existing, now):
            return existing
        _close(existing, now=now, responses=None)
    blocker = start_blocker(user=user, quiz=quiz, now=now)
    if blocker:
        raise AttemptError(blocker)
    rng = random.Random(secrets.randbits(64))
    try:
        questions = questions_draw(quiz=quiz, rng=rng)
    except DrawError as exc:
        raise AttemptError(str(exc)) from exc
    if not questions:
        raise AttemptError(_("This quiz has no questions yet."))
    course = course_of(quiz)
    registration, _new = records.registration_ensure(
        user=user, activity_id=course.activity_id, activity_type=vocab.COURSE,
        activity_name={"vi": course.title},
    )
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + datetime.timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at is not None:
        deadline = min(deadline or quiz.closes_at, quiz.closes_at)
    number = (Attempt.objects.filter(user=user, quiz=quiz).order_by("-number")
              .values_list("number", flat=True).first() or 0) + 1
    attempt = Attempt.objects.create(user=user, quiz=quiz, number=number, deadline=deadline,
                                     registration=registration.registration)
    slots = []
    for position, question in enumerate(questions, start=1):
        snapshot = question_snapshot(question)
        slots.append(AttemptSlot(attempt=attempt, position=position, question=question,
                                 snapshot=snapshot, layout=grading.layout_make(snapshot, rng)))
    AttemptSlot.objects.bulk_create(slots)
    records.statement_record(
        statement=records.statement_build(
            user=user, verb_id=vocab.ATTEMPTED, activity_id=quiz.activity_id,
            activity_type=vocab.ASSESSMENT, activity_name={"vi": quiz.title},
            registration=attempt.registration, parent_ids=[course.activity_id],
        ),
        user=user,
    )
    return attempt


def _locked(user: User, attempt_id: object) -> Attempt:
    attempt = (Attempt.objects.select_for_update(of=("self",)).select_related("quiz", "user")
               .filter(pk=attempt_id, user=user).first())
    if attempt is None:  # someone else's attempt looks exactly like a missing one
        raise AttemptError(_("This attempt does not exist."))
    return attempt


def _cleaned(slots: dict[int, AttemptSlot],
             responses: Mapping[int, object]) -> dict[int, object | None]:
    """Every response validated before anything is written (all or nothing)."""
    cleaned = {}
    for position, raw in responses.items():
        slot = slots.get(position)
        if slot is None:
            raise AttemptError(_("An answer was sent for a question that is not part of this "
                                 "attempt. Reload the quiz and try again."))
        if isinstance(raw, FormAnswer):
            raw = raw.raw(slot.snapshot["kind"])
        try:
            cleaned[position] = grading.response_clean(slot.snapshot, slot.layout, raw)
        except grading.ResponseError as exc:
            raise AttemptError(_("Question %(n)d: %(reason)s") %
                               {"n": position, "reason": exc}) from exc
    return cleaned


def _store(slots: dict[int, AttemptSlot], cleaned: Mapping[int, object | None],
           now: datetime.datetime) -> int:
    changed = []
    for position, response in cleaned.items():
        slot = slots[position]
        if slot.response != response:
            slot.response = response
            slot.saved_at = now
            changed.append(slot)
    AttemptSlot.objects.bulk_update(changed, ["response", "saved_at"])
    return len(changed)


@dataclass(frozen=True)
class SaveResult:
    attempt: Attempt
    changed: int
    saved_at: datetime.datetime


def attempt_save(*, user: User, attempt_id: object, responses: Mapping[int, object],
                 now: datetime.datetime | None = None) -> SaveResult:
    """Save the learner's responses (keyed by slot position) as they go. Raises
    ``AttemptClosed`` after the deadline (the attempt is then graded on what was saved in
    time) or once submitted, ``AttemptError`` for a response the attempt cannot hold; in
    both cases none of the responses sent is kept."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(user, attempt_id)
        if not attempt.is_open:
            raise AttemptClosed(_("This attempt has been submitted; answers can no longer "
                                  "be changed."))
        late = not _in_time(attempt, now)
        if late:
            _close(attempt, now=now, responses=None)  # committed before the refusal
        else:
            slots = {slot.position: slot for slot in attempt.slots.all()}
            changed = _store(slots, _cleaned(slots, responses), now)
    if late:
        raise AttemptClosed(_("Time is up. Your attempt was graded on the answers saved "
                              "before the deadline."))
    return SaveResult(attempt=attempt, changed=changed, saved_at=now)


@transaction.atomic
def attempt_submit(*, user: User, attempt_id: object,
                   responses: Mapping[int, object] | None = None,
                   now: datetime.datetime | None = None) -> tuple[Attempt, bool]:
    """Save the last responses (if still in time) and grade the attempt. Returns the
    attempt and False if it had been submitted already (a second submission changes
    nothing). Responses sent after the deadline are ignored: the attempt is graded on what
    was saved before it."""
    now = now or timezone.now()
    attempt = _locked(user, attempt_id)
    if not attempt.is_open:
        return attempt, False
    _close(attempt, now=now, responses=responses)
    return attempt, True


def _fractions_write(slots: list[AttemptSlot]) -> None:
    """Write the slots' grades in one statement. On PostgreSQL one ``UPDATE … FROM
    unnest`` (Django's ``bulk_update`` spends more time building its CASE in Python than the
    database spends running it)."""
    if connection.vendor != "postgresql":
        AttemptSlot.objects.bulk_update(slots, ["fraction"])
        return
    table = AttemptSlot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS slot SET fraction = graded.fraction "  # noqa: S608 (own name)
            "FROM unnest(%s::bigint[], %s::double precision[]) AS graded(id, fraction) "
            "WHERE slot.id = graded.id",
            [[slot.pk for slot in slots], [slot.fraction for slot in slots]])


def _close(attempt: Attempt, *, now: datetime.datetime,
           responses: Mapping[int, object] | None) -> None:
    """Grade a locked, open attempt and record its statements."""
    slots = {slot.position: slot for slot in attempt.slots.all()}
    in_time = _in_time(attempt, now)
    if responses and in_time:
        _store(slots, _cleaned(slots, responses), now)
    for slot in slots.values():
        slot.fraction = grading.grade(slot.snapshot, slot.layout, slot.response)
    _fractions_write(list(slots.values()))
    ordered = [slots[position] for position in sorted(slots)]
    raw, maximum, scaled = grading.score((slot.fraction, slot.mark) for slot in ordered)
    quiz = attempt.quiz
    attempt.score_raw, attempt.score_max, attempt.score_scaled = raw, maximum, scaled
    attempt.passed = round(scaled * 100, 2) >= quiz.pass_mark
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now if in_time else attempt.deadline
    attempt.closed_by_deadline = not in_time
    attempt.save()
    records.statements_record(
        statements=attempt_statements(attempt=attempt, slots=ordered, course=course_of(quiz)),
        user=attempt.user,
    )


def attempt_expire_if_due(*, user: User, quiz: QuizPage,
                           now: datetime.datetime | None = None) -> Attempt | None:
    """Grade the learner's open attempt on ``quiz`` if its time ran out (they come back
    after the deadline). Returns the attempt closed, or None. A page view with nothing
    overdue takes no lock."""
    now = now or timezone.now()
    overdue = Attempt.objects.filter(user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS,
                                     deadline__lt=now - _grace())
    if not overdue.exists():
        return None
    with transaction.atomic():
        attempt = (overdue.select_for_update(of=("self",)).select_related("quiz", "user")
                   .first())
        if attempt is None:  # submitted meanwhile
            return None
        _close(attempt, now=now, responses=None)
        return attempt


def attempts_close_expired(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Grade the open attempts whose time ran out (the learner left), each in its own
    transaction, skipping rows another worker holds. Returns how many were closed."""
    now = now or timezone.now()
    cutoff = now - _grace()
    closed = 0
    ids = list(Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline__lt=cutoff)
               .order_by("deadline").values_list("pk", flat=True)[:limit])
    for attempt_id in ids:
        with transaction.atomic():
            attempt = (Attempt.objects.select_for_update(skip_locked=True, of=("self",))
                       .select_related("quiz", "user")
                       .filter(pk=attempt_id, status=AttemptStatus.IN_PROGRESS).first())
            if attempt is None:
                continue
            _close(attempt, now=now, responses=None)
            closed += 1
    return closed
