"""The learning records of an attempt: an ``answered`` statement per answered question,
with the interaction's definition, and ``passed``/``failed`` with the scaled score, all under
the course registration."""

from __future__ import annotations

import pytest

from assessments.models import QuizPage
from assessments.services import attempt_start, attempt_submit
from courses.models import LessonPage
from courses.selectors import course_outline
from lms.records import vocab
from lms.records.models import Progress, Registration, Statement
from lms.records.xapi.validation import validate_statement
from tests.factories import attempt_answers

pytestmark = pytest.mark.django_db

INTERACTION_TYPES = {
    "single_choice": "choice", "multiple_response": "choice", "true_false": "true-false",
    "matching": "matching", "ordering": "sequencing", "numerical": "numeric",
    "short_answer": "fill-in",
}


def test_every_answer_is_an_answered_statement_tied_to_the_registration(
        course, kinds_quiz, learner):
    attempt = attempt_start(user=learner, quiz=kinds_quiz)
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk,
                                responses=attempt_answers(attempt, right=4))
    registration = Registration.objects.get(user=learner, activity_id=course.activity_id)
    assert attempt.registration == registration.registration
    answered = list(Statement.objects.filter(user=learner, verb_id=vocab.ANSWERED))
    assert len(answered) == 7
    slots = {slot.snapshot["uid"]: slot for slot in attempt.slots.all()}
    for statement in answered:
        payload = statement.payload
        validate_statement(payload, version="1.0.3")
        slot = slots[payload["object"]["id"].rsplit("/", 1)[-1]]
        definition = payload["object"]["definition"]
        assert definition["type"] == vocab.INTERACTION
        assert definition["interactionType"] == INTERACTION_TYPES[slot.snapshot["kind"]]
        assert payload["result"]["success"] is (slot.fraction == 1.0)
        assert isinstance(payload["result"]["response"], str)
        assert payload["context"]["registration"] == str(registration.registration)
        assert payload["context"]["contextActivities"]["parent"][0]["id"] == (
            kinds_quiz.activity_id)
        assert payload["context"]["contextActivities"]["grouping"][0]["id"] == (
            course.activity_id)
        assert "mbox" not in str(payload) and "@" not in payload["actor"]["account"]["name"]
    assert sum(1 for s in answered if s.payload["result"]["success"]) == 4
    outcome = Statement.objects.get(user=learner,
                                    verb_id__in=[vocab.PASSED, vocab.FAILED])
    assert outcome.payload["result"]["score"]["scaled"] == attempt.score_scaled
    assert outcome.payload["result"]["completion"] is True
    assert outcome.registration == registration.registration


def test_unanswered_questions_make_no_answered_statement(kinds_quiz, learner):
    attempt = attempt_start(user=learner, quiz=kinds_quiz)
    attempt_submit(user=learner, attempt_id=attempt.pk, responses={})
    assert not Statement.objects.filter(verb_id=vocab.ANSWERED).exists()
    assert Statement.objects.filter(verb_id=vocab.FAILED).count() == 1


def test_a_practice_quiz_in_a_lesson_is_recorded_but_never_counted(course, lessons, quiz,
                                                                   learner):
    lesson = LessonPage.objects.child_of(course).first()
    practice = QuizPage(title="Luyện tập", slug="luyen-tap", kind="practice",
                        review_policy="after_attempt",
                        questions=[("question", {"question": slot.question})
                                   for slot in attempt_start(user=learner, quiz=quiz)
                                   .slots.all()[:1]])
    lesson.add_child(instance=practice)
    practice.save_revision().publish()
    attempt = attempt_start(user=learner, quiz=practice)
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk,
                                responses=attempt_answers(attempt))
    assert attempt.passed is True
    passed = [s.payload["object"]["id"] for s in Statement.objects.filter(
        verb_id=vocab.PASSED)]
    assert passed == [practice.activity_id]
    outline = course_outline(course=course, user=learner)
    assert practice.pk not in [item.page.pk for item in outline.items]
    assert not Progress.objects.filter(user=learner, activity_id=course.activity_id,
                                       completed=True).exists()


def test_answers_make_no_progress_rows_of_their_own(kinds_quiz, learner):
    attempt = attempt_start(user=learner, quiz=kinds_quiz)
    attempt_submit(user=learner, attempt_id=attempt.pk, responses=attempt_answers(attempt))
    assert Statement.objects.filter(verb_id=vocab.ANSWERED).count() == 7
    assert not Progress.objects.filter(activity_id__contains="/question/").exists()
    assert Progress.objects.get(user=learner, activity_id=kinds_quiz.activity_id).success


def test_the_course_outline_names_the_final_exam_and_the_practice_quiz(client, course, quiz,
                                                                       learner):
    practice = QuizPage(title="Luyện tập chung", slug="luyen-tap-chung", kind="practice",
                        questions=[])
    course.add_child(instance=practice)
    practice.save_revision().publish()
    outline = course_outline(course=course, user=learner)
    items = {item.page.pk: item for item in outline.items}
    assert items[quiz.pk].is_quiz and not items[quiz.pk].optional
    assert not items[practice.pk].is_quiz and items[practice.pk].optional
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert "(bài kiểm tra cuối khóa)" in html or "(final quiz)" in html
