"""The right answers never reach a learner before the review policy allows it: every page
and response of an in-progress attempt is fetched and searched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Attempt
from courses.models import LessonPage
from tests.factories import attempt_answers, attempt_form

from .conftest import SECRET

pytestmark = pytest.mark.django_db


def _pages(client, quiz, attempt) -> dict[str, str]:
    course = quiz.get_parent()
    lesson = LessonPage.objects.child_of(course).first()
    urls = {
        "quiz": quiz.url, "course": course.url, "lesson": lesson.url, "catalog": "/",
        "my learning": reverse("courses:my_learning"),
        "result": reverse("assessments:result", args=[attempt.pk]),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    save = client.post(reverse("assessments:save", args=[attempt.pk]),
                       attempt_form(attempt, attempt_answers(attempt, right=0)),
                       HTTP_ACCEPT="application/json")
    pages["autosave"] = save.content.decode()
    page_save = client.post(reverse("assessments:save", args=[attempt.pk]),
                            attempt_form(attempt, attempt_answers(attempt, right=0)),
                            follow=True)
    pages["save without script"] = page_save.content.decode()
    return pages


def _assert_hidden(pages: dict[str, str], attempt) -> None:
    numeric_and_text = [slot for slot in attempt.slots.all()
                        if slot.snapshot["kind"] in ("numerical", "short_answer")]
    for name, html in pages.items():
        assert SECRET not in html, f"feedback or an answer text leaked into {name}"
        assert "fraction" not in html and "tolerance" not in html, name
        for slot in numeric_and_text:
            for option in slot.snapshot["options"]:
                if option["text"] != "34":  # a number also appears in unrelated places
                    assert option["text"] not in html, name


def test_no_right_answer_in_any_page_of_an_open_attempt(client, kinds_quiz, learner):
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[kinds_quiz.pk]))
    attempt = Attempt.objects.get(user=learner, quiz=kinds_quiz)
    pages = _pages(client, kinds_quiz, attempt)
    _assert_hidden(pages, attempt)
    quiz_html = pages["quiz"]
    # the questions are there, but nothing marks the right option
    assert "Chọn nhiều" in quiz_html and "Thành phố cảng" in quiz_html
    assert 'value="34"' not in quiz_html


def test_after_a_failed_attempt_with_attempts_left_answers_stay_hidden(
        client, kinds_quiz, learner):
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[kinds_quiz.pk]))
    attempt = Attempt.objects.get(user=learner, quiz=kinds_quiz)
    client.post(reverse("assessments:submit", args=[attempt.pk]),
                attempt_form(attempt, attempt_answers(attempt, right=1)))
    attempt.refresh_from_db()
    assert attempt.passed is False and kinds_quiz.max_attempts == 2
    result = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert SECRET not in result
    assert "VNeID" not in result
    # the second (last) attempt: now the review opens, with feedback and explanations
    client.post(reverse("assessments:start", args=[kinds_quiz.pk]))
    second = Attempt.objects.get(user=learner, quiz=kinds_quiz, number=2)
    _assert_hidden(_pages(client, kinds_quiz, second), second)
    client.post(reverse("assessments:submit", args=[second.pk]),
                attempt_form(second, attempt_answers(second, right=1)))
    result = client.get(reverse("assessments:result", args=[second.pk])).content.decode()
    assert f"{SECRET} giải thích" in result
    assert f"VNeID{SECRET}" in result


def test_review_right_after_each_attempt_when_the_quiz_says_so(client, kinds_quiz, learner):
    kinds_quiz.review_policy = "after_attempt"
    kinds_quiz.save()
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[kinds_quiz.pk]))
    attempt = Attempt.objects.get(user=learner, quiz=kinds_quiz)
    client.post(reverse("assessments:submit", args=[attempt.pk]),
                attempt_form(attempt, attempt_answers(attempt)))
    result = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert f"{SECRET} đúng" in result  # the question's feedback for a right answer


def test_never_review_shows_the_score_only(client, kinds_quiz, learner):
    kinds_quiz.review_policy = "never"
    kinds_quiz.max_attempts = 1
    kinds_quiz.save()
    client.force_login(learner)
    client.post(reverse("assessments:start", args=[kinds_quiz.pk]))
    attempt = Attempt.objects.get(user=learner, quiz=kinds_quiz)
    client.post(reverse("assessments:submit", args=[attempt.pk]),
                attempt_form(attempt, attempt_answers(attempt, right=1)))
    result = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert SECRET not in result and "VNeID" not in result
    assert "%" in result
