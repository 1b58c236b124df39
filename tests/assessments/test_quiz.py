import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Attempt, AttemptStatus
from assessments.selectors import quiz_questions
from assessments.services import AttemptError, attempt_start, attempt_submit
from courses.services import lesson_complete
from lms.records import vocab
from lms.records.models import Progress, Statement

pytestmark = pytest.mark.django_db


def _answers(quiz, *, right: int):
    """Answer the first ``right`` questions correctly and the others wrongly."""
    answers = {}
    for index, question in enumerate(quiz_questions(quiz=quiz).values()):
        wrong = next(c for c, _t in question.choices if c != question.correct_choice_id)
        answers[question.id] = question.correct_choice_id if index < right else wrong
    return answers


def test_correct_answers_never_reach_the_browser(client, quiz, learner):
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    html = client.get(quiz.url).content.decode()
    question = next(iter(quiz_questions(quiz=quiz).values()))
    assert question.prompt in html
    assert f'value="{question.correct_choice_id}"' in html  # options are there...
    assert "correct" not in html.lower().replace("incorrect", "")  # ...but not which is right
    assert '"correct": true' not in html


def test_pass_records_passed_statement_with_score_and_completes_course(
        course, lessons, quiz, learner):
    for lesson in lessons:
        lesson_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, quiz=quiz)
    assert attempt_start(user=learner, quiz=quiz).pk == attempt.pk  # resume, not a new one
    attempt, newly = attempt_submit(user=learner, attempt_id=attempt.pk,
                                    answers=_answers(quiz, right=2))
    assert newly is True
    assert (attempt.correct_count, attempt.score_scaled, attempt.passed) == (2, 0.6667, True)
    passed = Statement.objects.get(user=learner, verb_id=vocab.PASSED)
    assert passed.payload["result"] == {
        "score": {"scaled": 0.6667, "raw": 2, "min": 0, "max": 3},
        "success": True, "completion": True,
    }
    assert passed.registration == attempt.registration
    course_row = Progress.objects.get(user=learner, activity_id=course.activity_id)
    assert course_row.completed is True


def test_fail_below_pass_mark(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk,
                                answers=_answers(quiz, right=1))
    assert attempt.passed is False
    assert Statement.objects.filter(user=learner, verb_id=vocab.FAILED).count() == 1


def test_unanswered_questions_count_as_wrong(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    first = dict(list(_answers(quiz, right=3).items())[:1])
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk, answers=first)
    assert (attempt.correct_count, attempt.passed) == (1, False)


def test_answer_to_a_question_not_in_the_attempt_is_refused(client, quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    with translation.override("en"), pytest.raises(AttemptError,
                                                   match="not part of this attempt"):
        attempt_submit(user=learner, attempt_id=attempt.pk, answers={"not-a-question": "x"})
    client.force_login(learner)
    response = client.post(reverse("assessments:submit", args=[attempt.pk]),
                           {"q-not-a-question": "x"})
    assert response.status_code == 400
    assert "alert" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert not Statement.objects.filter(verb_id__in=[vocab.PASSED, vocab.FAILED]).exists()


def test_unknown_option_is_refused(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    question_id = attempt.question_ids[0]
    with pytest.raises(AttemptError):
        attempt_submit(user=learner, attempt_id=attempt.pk, answers={question_id: "nope"})


def test_second_submission_is_a_no_op_with_a_message(client, quiz, learner):
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    form = {f"q-{k}": v for k, v in _answers(quiz, right=3).items()}
    first = client.post(reverse("assessments:submit", args=[attempt.pk]), form)
    worse = {f"q-{k}": v for k, v in _answers(quiz, right=0).items()}
    second = client.post(reverse("assessments:submit", args=[attempt.pk]), worse, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    attempt.refresh_from_db()
    assert (attempt.correct_count, attempt.passed) == (3, True)
    assert Statement.objects.filter(verb_id=vocab.PASSED).count() == 1
    assert Statement.objects.filter(verb_id=vocab.FAILED).count() == 0
    assert len(second.context["messages"]) == 1


def test_someone_elses_attempt_is_not_found(client, quiz, learner, tree):
    from tests.factories import PersonFactory

    attempt = attempt_start(user=learner, quiz=quiz)
    intruder = PersonFactory(agency=tree["sa_pa"]).user
    client.force_login(intruder)
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), {})
    assert response.status_code == 400
    assert client.get(reverse("assessments:result", args=[attempt.pk])).status_code == 404
