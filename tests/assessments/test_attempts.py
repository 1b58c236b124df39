"""Attempts: start and resume, save as you go, submit once, time limits, attempt limits,
cool-down and the bad inputs an attempt must survive."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Attempt, AttemptStatus
from assessments.services import (
    AttemptClosed,
    AttemptError,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
)
from courses.services import lesson_complete
from lms.records import vocab
from lms.records.models import Progress, Statement
from tests.factories import PersonFactory, attempt_answers, attempt_form

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def later(**delta) -> datetime.datetime:
    return NOW + datetime.timedelta(**delta)


def test_pass_records_passed_statement_with_score_and_completes_course(
        course, lessons, quiz, learner):
    for lesson in lessons:
        lesson_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, quiz=quiz)
    assert attempt_start(user=learner, quiz=quiz).pk == attempt.pk  # resume, not a new one
    attempt, newly = attempt_submit(user=learner, attempt_id=attempt.pk,
                                    responses=attempt_answers(attempt, right=2))
    assert newly is True
    assert (attempt.score_raw, attempt.score_max, attempt.score_scaled) == (2, 3, 0.6667)
    assert attempt.passed is True
    passed = Statement.objects.get(user=learner, verb_id=vocab.PASSED)
    assert passed.payload["result"] == {
        "score": {"scaled": 0.6667, "raw": 2.0, "min": 0, "max": 3.0},
        "success": True, "completion": True,
    }
    assert passed.registration == attempt.registration
    assert Progress.objects.get(user=learner, activity_id=course.activity_id).completed


def test_fail_below_pass_mark_and_unanswered_count_as_wrong(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    first_only = dict(list(attempt_answers(attempt).items())[:1])
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk, responses=first_only)
    assert (attempt.score_raw, attempt.passed) == (1, False)
    assert Statement.objects.filter(user=learner, verb_id=vocab.FAILED).count() == 1
    assert Statement.objects.filter(user=learner, verb_id=vocab.ANSWERED).count() == 1


def test_answers_are_saved_as_the_learner_goes_and_resume_on_another_device(
        client, quiz, learner):
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    answers = attempt_answers(attempt)
    first = {1: answers[1]}
    response = client.post(reverse("assessments:save", args=[attempt.pk]),
                           attempt_form(attempt, first), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["saved"] == 1
    # the same learner on another phone: a fresh session resumes the same attempt
    other = type(client)()
    other.force_login(learner)
    html = other.get(quiz.url).content.decode()
    assert f'value="{answers[1]}" checked' in html
    other.post(reverse("assessments:start", args=[quiz.pk]))
    assert Attempt.objects.filter(user=learner).count() == 1


def test_a_save_without_script_redirects_back_with_a_message(client, quiz, learner):
    client.force_login(learner)
    attempt = attempt_start(user=learner, quiz=quiz)
    response = client.post(reverse("assessments:save", args=[attempt.pk]),
                           attempt_form(attempt, attempt_answers(attempt)), follow=True)
    assert response.redirect_chain[-1][0] == quiz.url
    assert attempt.slots.exclude(response=None).count() == 3


def test_double_submit_is_harmless(client, quiz, learner):
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    url = reverse("assessments:submit", args=[attempt.pk])
    first = client.post(url, attempt_form(attempt, attempt_answers(attempt)))
    second = client.post(url, attempt_form(attempt, attempt_answers(attempt, right=0)),
                         follow=True)
    assert first.status_code == 302 and second.status_code == 200
    attempt.refresh_from_db()
    assert (attempt.score_raw, attempt.passed) == (3, True)
    assert Statement.objects.filter(verb_id=vocab.PASSED).count() == 1
    assert Statement.objects.filter(verb_id=vocab.FAILED).count() == 0
    assert Statement.objects.filter(verb_id=vocab.ANSWERED).count() == 3
    assert len(second.context["messages"]) == 1


# --- time limits ------------------------------------------------------------------------

def test_late_answers_do_not_count(quiz, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    assert attempt.deadline == NOW + datetime.timedelta(minutes=10)
    answers = attempt_answers(attempt)
    attempt_save(user=learner, attempt_id=attempt.pk, responses={1: answers[1]},
                 now=later(minutes=5))
    with pytest.raises(AttemptClosed):  # a save after the deadline is refused ...
        attempt_save(user=learner, attempt_id=attempt.pk, responses={2: answers[2]},
                     now=later(minutes=11))
    attempt.refresh_from_db()  # ... and closes the attempt on what was saved in time
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.closed_by_deadline
    assert attempt.score_raw == 1
    assert attempt.submitted_at == attempt.deadline


def test_a_late_submission_is_graded_on_what_was_saved_before_the_deadline(quiz, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    answers = attempt_answers(attempt)
    attempt_save(user=learner, attempt_id=attempt.pk, responses={1: answers[1]},
                 now=later(minutes=9))
    attempt, newly = attempt_submit(user=learner, attempt_id=attempt.pk, responses=answers,
                                    now=later(minutes=10, seconds=30))
    assert newly and attempt.closed_by_deadline
    assert attempt.score_raw == 1  # the two answers sent late are ignored
    assert attempt.slots.exclude(response=None).count() == 1


def test_a_submission_in_time_counts_everything(quiz, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk,
                                responses=attempt_answers(attempt), now=later(minutes=9))
    assert attempt.score_raw == 3 and not attempt.closed_by_deadline


def test_the_job_grades_attempts_abandoned_after_the_deadline(quiz, learner):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    attempt_save(user=learner, attempt_id=attempt.pk,
                 responses=attempt_answers(attempt, right=3), now=later(minutes=2))
    assert attempts_close_expired(now=later(minutes=9)) == 0
    assert attempts_close_expired(now=later(minutes=11)) == 1
    assert attempts_close_expired(now=later(minutes=12)) == 0
    attempt.refresh_from_db()
    assert (attempt.status, attempt.passed, attempt.closed_by_deadline) == (
        AttemptStatus.SUBMITTED, True, True)
    assert Statement.objects.filter(user=learner, verb_id=vocab.PASSED).count() == 1


def test_coming_back_after_the_deadline_shows_the_graded_attempt(client, quiz, learner):
    quiz.time_limit_minutes = 1
    quiz.save()
    attempt = attempt_start(user=learner, quiz=quiz, now=later(minutes=-5))
    client.force_login(learner)
    html = client.get(quiz.url).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert 'id="attempt"' not in html


def test_a_quiz_closing_time_caps_the_deadline(quiz, learner):
    quiz.time_limit_minutes = 60
    quiz.closes_at = later(minutes=20)
    quiz.save()
    attempt = attempt_start(user=learner, quiz=quiz, now=NOW)
    assert attempt.deadline == quiz.closes_at
    attempt_submit(user=learner, attempt_id=attempt.pk, now=later(minutes=1))
    with translation.override("en"), pytest.raises(AttemptError, match="closed"):
        attempt_start(user=learner, quiz=quiz, now=later(minutes=21))


# --- attempt limits and cool-down ----------------------------------------------------------

def _fail(learner, quiz, now):
    attempt = attempt_start(user=learner, quiz=quiz, now=now)
    attempt, _ = attempt_submit(user=learner, attempt_id=attempt.pk, responses={}, now=now)
    assert attempt.passed is False
    return attempt


def test_maximum_attempts(quiz, learner):
    quiz.max_attempts = 2
    quiz.save()
    assert [_fail(learner, quiz, NOW).number for _ in range(2)] == [1, 2]
    with translation.override("en"), pytest.raises(AttemptError, match="all 2 attempts"):
        attempt_start(user=learner, quiz=quiz)
    assert Attempt.objects.filter(user=learner).count() == 2


def test_cool_down_between_attempts(quiz, learner):
    quiz.cooldown_minutes = 30
    quiz.save()
    _fail(learner, quiz, NOW)
    with translation.override("en"), pytest.raises(AttemptError, match="new attempt at"):
        attempt_start(user=learner, quiz=quiz, now=later(minutes=29))
    assert attempt_start(user=learner, quiz=quiz, now=later(minutes=31)).number == 2


def test_a_passed_exam_is_not_retaken_unless_allowed(quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt_id=attempt.pk, responses=attempt_answers(attempt))
    with translation.override("en"), pytest.raises(AttemptError, match="passed"):
        attempt_start(user=learner, quiz=quiz)
    quiz.allow_retake_after_pass = True
    quiz.save()
    assert attempt_start(user=learner, quiz=quiz).number == 2


def test_grading_method_highest_or_last(client, quiz, learner):
    from assessments.selectors import grade_kept

    quiz.allow_retake_after_pass = True
    quiz.save()
    for right in (3, 1):
        attempt = attempt_start(user=learner, quiz=quiz)
        attempt_submit(user=learner, attempt_id=attempt.pk,
                       responses=attempt_answers(attempt, right=right))
    submitted = list(Attempt.objects.filter(user=learner).order_by("number"))
    assert grade_kept(quiz=quiz, submitted=submitted).score_raw == 3
    quiz.grading_method = "last"
    assert grade_kept(quiz=quiz, submitted=submitted).score_raw == 1


# --- bad input ----------------------------------------------------------------------------

def _nothing_changed(attempt):
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert not attempt.slots.exclude(response=None).exists()
    assert not Statement.objects.filter(verb_id__in=[vocab.PASSED, vocab.FAILED]).exists()


def test_a_forged_question_is_refused_and_nothing_changes(client, quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    client.force_login(learner)
    good = attempt_form(attempt, attempt_answers(attempt))
    for forged in ({"p": ["1", "99"], "s1": good["s1"], "s99": "1"},
                   {"p": ["x"]}):
        for name in ("save", "submit"):
            response = client.post(reverse(f"assessments:{name}", args=[attempt.pk]), forged)
            assert response.status_code == 400
            assert 'role="alert"' in response.content.decode()
    _nothing_changed(attempt)


def test_an_option_the_question_does_not_have_is_refused(client, quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    client.force_login(learner)
    response = client.post(reverse("assessments:save", args=[attempt.pk]),
                           {"p": ["1", "2"], "s1": "999999", "s2": ""},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["error"]
    with translation.override("en"), pytest.raises(AttemptError, match="Question 1"):
        attempt_save(user=learner, attempt_id=attempt.pk, responses={1: "999999"})
    _nothing_changed(attempt)


def test_someone_elses_attempt_looks_missing(client, quiz, learner, tree):
    attempt = attempt_start(user=learner, quiz=quiz)
    intruder = PersonFactory(agency=tree["sa_pa"]).user
    client.force_login(intruder)
    form = attempt_form(attempt, attempt_answers(attempt))
    assert client.post(reverse("assessments:save", args=[attempt.pk]), form).status_code == 400
    assert client.post(reverse("assessments:submit", args=[attempt.pk]),
                       form).status_code == 400
    assert client.get(reverse("assessments:result", args=[attempt.pk])).status_code == 404
    with pytest.raises(AttemptError):
        attempt_save(user=intruder, attempt_id=attempt.pk, responses={1: "x"})
    _nothing_changed(attempt)


def test_a_closed_attempt_takes_no_more_answers(client, quiz, learner):
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt_id=attempt.pk,
                   responses=attempt_answers(attempt, right=0))
    with translation.override("en"), pytest.raises(AttemptClosed, match="submitted"):
        attempt_save(user=learner, attempt_id=attempt.pk, responses=attempt_answers(attempt))
    client.force_login(learner)
    response = client.post(reverse("assessments:save", args=[attempt.pk]),
                           attempt_form(attempt, attempt_answers(attempt)),
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 409 and response.json()["closed"] is True
    attempt.refresh_from_db()
    assert attempt.score_raw == 0


def test_a_bank_too_small_for_the_draw_gives_a_clear_message(course, learner):
    from assessments.models import QuestionBank, QuizPage
    from tests.factories import question_create

    bank = QuestionBank.objects.create(name="Nhỏ")
    question_create(bank=bank)
    quiz = QuizPage(title="Rút", slug="rut", questions=[
        ("random", {"bank": bank, "count": 5, "competency": "", "difficulty": ""})])
    course.add_child(instance=quiz)
    with translation.override("en"), pytest.raises(AttemptError, match="has only 1"):
        attempt_start(user=learner, quiz=quiz)
    assert not Attempt.objects.exists()
