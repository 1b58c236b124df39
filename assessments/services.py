"""Start, answer and grade quiz attempts. Grading happens here, on the server only."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.org.models import User
from lms.records import services as records
from lms.records import vocab

from .models import Attempt, AttemptStatus, QuizPage
from .selectors import quiz_questions


class AttemptError(ValueError):
    """A request the attempt cannot take; the message is meant for the learner."""


def _course_of(quiz: QuizPage):  # the parent course page (typed loosely: no upward import)
    return quiz.get_parent().specific


@transaction.atomic
def attempt_start(*, user: User, quiz: QuizPage) -> Attempt:
    """Resume the learner's open attempt, or start one (enrolling them on the course)."""
    existing = Attempt.objects.filter(user=user, quiz=quiz,
                                      status=AttemptStatus.IN_PROGRESS).first()
    if existing is not None:
        return existing
    questions = quiz_questions(quiz=quiz)
    if not questions:
        raise AttemptError(_("This quiz has no questions yet."))
    course = _course_of(quiz)
    registration, _new = records.registration_ensure(
        user=user, activity_id=course.activity_id, activity_type=vocab.COURSE,
        activity_name={"vi": course.title},
    )
    attempt = Attempt.objects.create(user=user, quiz=quiz,
                                     registration=registration.registration,
                                     question_ids=list(questions))
    records.statement_record(
        statement=records.statement_build(
            user=user, verb_id=vocab.ATTEMPTED, activity_id=quiz.activity_id,
            activity_type=vocab.ASSESSMENT, activity_name={"vi": quiz.title},
            registration=attempt.registration, parent_ids=[course.activity_id],
        ),
        user=user,
    )
    return attempt


@transaction.atomic
def attempt_submit(*, user: User, attempt_id: object,
                   answers: Mapping[str, str]) -> tuple[Attempt, bool]:
    """Grade an attempt. Returns the attempt and False if it had been submitted already
    (a second submission changes nothing). Raises ``AttemptError`` for an answer to a
    question outside the attempt or an option the question does not have."""
    attempt = (Attempt.objects.select_for_update().select_related("quiz")
               .filter(pk=attempt_id, user=user).first())
    if attempt is None:
        raise AttemptError(_("This attempt does not exist."))
    if attempt.status == AttemptStatus.SUBMITTED:
        return attempt, False
    quiz = attempt.quiz
    questions = quiz_questions(quiz=quiz)
    in_attempt = set(attempt.question_ids)
    for question_id, choice_id in answers.items():
        if question_id not in in_attempt or question_id not in questions:
            raise AttemptError(_("An answer was sent for a question that is not part of "
                                 "this attempt. Reload the quiz and try again."))
        if choice_id not in {cid for cid, _text in questions[question_id].choices}:
            raise AttemptError(_("An answer was sent with an option the question does not "
                                 "have. Reload the quiz and try again."))
    graded = [q for q in attempt.question_ids if q in questions]
    correct = 0
    rows = []
    for question_id in graded:
        choice_id = answers.get(question_id)
        is_correct = choice_id is not None and choice_id == questions[question_id].correct_choice_id
        correct += is_correct
        if choice_id is not None:
            rows.append(Answer(attempt=attempt, question_id=question_id, choice_id=choice_id,
                               correct=is_correct))
    Answer.objects.bulk_create(rows)
    total = len(graded)
    attempt.correct_count = correct
    attempt.score_scaled = round(correct / total, 4) if total else 0.0
    attempt.passed = attempt.score_scaled * 100 >= quiz.pass_mark
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.save()
    course = _course_of(quiz)
    records.statement_record(
        statement=records.statement_build(
            user=user, verb_id=vocab.PASSED if attempt.passed else vocab.FAILED,
            activity_id=quiz.activity_id, activity_type=vocab.ASSESSMENT,
            activity_name={"vi": quiz.title},
            result={
                "score": {"scaled": attempt.score_scaled, "raw": correct, "min": 0,
                          "max": total},
                "success": attempt.passed,
                "completion": True,
            },
            registration=attempt.registration, parent_ids=[course.activity_id],
        ),
        user=user,
    )
    return attempt, True
