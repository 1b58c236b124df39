import pytest
from django.urls import reverse

from courses.selectors import course_outline, my_learning
from courses.services import course_enrol, lesson_complete
from lms.records import vocab
from lms.records.models import Progress, Statement

pytestmark = pytest.mark.django_db


def test_enrol_is_once(course, learner):
    _registration, created = course_enrol(user=learner, course=course)
    _again, created_again = course_enrol(user=learner, course=course)
    assert (created, created_again) == (True, False)
    assert Statement.objects.filter(verb_id=vocab.REGISTERED).count() == 1


def test_completing_a_lesson_records_it_once_and_resume_points_to_the_next(
        course, lessons, quiz, learner):
    outline = course_outline(course=course, user=learner)
    assert outline.next_item.page.pk == lessons[0].pk
    assert lesson_complete(user=learner, lesson=lessons[0]) is True
    assert lesson_complete(user=learner, lesson=lessons[0]) is False
    completed = Statement.objects.filter(verb_id=vocab.COMPLETED, user=learner)
    assert completed.count() == 1
    payload = completed.get().payload
    assert payload["object"]["id"] == lessons[0].activity_id
    assert payload["context"]["contextActivities"]["parent"][0]["id"] == course.activity_id
    outline = course_outline(course=course, user=learner)
    assert outline.enrolled is True
    assert outline.done_count == 1
    assert outline.next_item.page.pk == lessons[1].pk
    assert outline.percent == 33  # 1 of 3 steps (two lessons and the quiz)
    lesson_complete(user=learner, lesson=lessons[1])
    assert course_outline(course=course, user=learner).next_item.page.pk == quiz.pk
    assert not Progress.objects.filter(user=learner, activity_id=course.activity_id,
                                       completed=True).exists()


def test_pages_and_views(client, course, lessons, quiz, learner):
    assert client.get("/").status_code == 200
    assert client.get(course.url).status_code == 302  # not public: log in first
    client.force_login(learner)
    page = client.get(course.url)
    assert page.status_code == 200
    assert "Kỹ năng số cơ bản" in page.content.decode()
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    response = client.post(reverse("courses:complete_lesson", args=[lessons[0].pk]),
                           {"next": lessons[1].url})
    assert response.status_code == 302
    assert response["Location"] == lessons[1].url
    lesson_page = client.get(lessons[0].url).content.decode()
    assert 'class="done lesson-done"' in lesson_page
    assert 'class="done lesson-done"' not in client.get(lessons[1].url).content.decode()
    mine = client.get(reverse("courses:my_learning"))
    assert mine.status_code == 200
    assert course.title in mine.content.decode()
    assert [o.course.pk for o in my_learning(user=learner)] == [course.pk]


def test_external_redirects_are_not_followed(client, lessons, learner):
    client.force_login(learner)
    response = client.post(reverse("courses:complete_lesson", args=[lessons[0].pk]),
                           {"next": "//evil.example/"})
    assert response["Location"] != "//evil.example/"


def test_anonymous_cannot_complete(client, lessons):
    response = client.post(reverse("courses:complete_lesson", args=[lessons[0].pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert Statement.objects.count() == 0


def test_my_learning_empty_state(client, learner):
    client.force_login(learner)
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 200
    assert reverse("courses:my_learning") in response.content.decode()


def test_unknown_lesson_is_404(client, learner):
    client.force_login(learner)
    assert client.post(reverse("courses:complete_lesson", args=[999999])).status_code == 404
