"""Attempts under real concurrency (PostgreSQL): a submit sent twice at the same moment, a
save racing the submit, a learner starting from two phones at once."""

from __future__ import annotations

import os

import pytest

from assessments.models import Attempt, AttemptStatus, QuizPage
from assessments.services import AttemptClosed, attempt_save, attempt_start, attempt_submit
from lms.records import vocab
from lms.records.models import Statement
from tests.factories import PersonFactory, attempt_answers, build_course
from tests.racing import run_together

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
)


@pytest.fixture
def exam(tree):
    course = build_course(code="KNS-RACE", questions=4)
    return QuizPage.objects.child_of(course).get()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submit_sent_four_times_at_once_grades_once(exam, tree):
    learner = PersonFactory(agency=tree["hong_ha"]).user
    attempt = attempt_start(user=learner, quiz=exam)
    answers = attempt_answers(attempt)
    results, errors = run_together(
        lambda: attempt_submit(user=learner, attempt_id=attempt.pk, responses=answers)[1],
        threads=4)
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert Statement.objects.filter(verb_id=vocab.PASSED).count() == 1
    assert Statement.objects.filter(verb_id=vocab.ANSWERED).count() == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_racing_the_submit_never_changes_a_graded_attempt(exam, tree):
    learner = PersonFactory(agency=tree["hong_ha"]).user
    attempt = attempt_start(user=learner, quiz=exam)
    right = attempt_answers(attempt)
    wrong = attempt_answers(attempt, right=0)
    calls = iter([("submit", right), ("save", wrong), ("save", wrong)])

    def work():
        name, answers = next(calls)
        if name == "submit":
            return attempt_submit(user=learner, attempt_id=attempt.pk, responses=answers)
        try:
            return attempt_save(user=learner, attempt_id=attempt.pk, responses=answers)
        except AttemptClosed:
            return "closed"

    _results, errors = run_together(work, threads=3)
    assert errors == []
    attempt.refresh_from_db()
    graded = {slot.position: slot.response for slot in attempt.slots.all()}
    fractions = {slot.position: slot.fraction for slot in attempt.slots.all()}
    # whatever the order, the grade matches the responses the attempt holds
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.score_raw == sum(fractions.values())
    assert all((graded[p] == right[p]) == (fractions[p] == 1.0) for p in graded)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_starting_from_two_phones_at_once_gives_one_attempt(exam, tree):
    learner = PersonFactory(agency=tree["hong_ha"]).user
    results, errors = run_together(lambda: attempt_start(user=learner, quiz=exam).pk,
                                   threads=3)
    assert errors == []
    assert len(set(results)) == 1
    assert Attempt.objects.filter(user=learner).count() == 1
