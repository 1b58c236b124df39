"""Lessons in order: a step of a sequential course opens when the required steps before it
are done; resume and time left."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import GroupPagePermission

from assessments.models import Attempt, QuizPage
from courses.locking import step_locked, step_waiting_for
from courses.models import CoursePage, LessonPage
from courses.selectors import course_outline
from courses.services import lesson_complete
from lms.records import vocab
from lms.records.models import Statement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sequential(course) -> CoursePage:
    course.sequential = True
    course.save()
    return course


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _practice_under(lesson: LessonPage) -> QuizPage:
    practice = QuizPage(title="Luyện tập", slug="luyen-tap", kind="practice")
    lesson.add_child(instance=practice)
    practice.save_revision().publish()
    return practice


def test_a_locked_lesson_cannot_be_opened_by_url(client, sequential, lessons, learner):
    client.force_login(learner)
    assert client.get(lessons[0].url).status_code == 200
    response = client.get(lessons[1].url)
    assert response.status_code == 302
    assert response["Location"] == sequential.url
    assert any("Bài 1" in message for message in _messages(response))


def test_completing_lesson_one_opens_lesson_two(client, sequential, lessons, learner):
    client.force_login(learner)
    response = client.post(reverse("courses:complete_lesson", args=[lessons[0].pk]),
                           {"next": lessons[1].url})
    assert response["Location"] == lessons[1].url
    assert client.get(lessons[1].url).status_code == 200
    assert step_locked(page=lessons[1], user=learner) is False


def test_completing_a_locked_lesson_is_refused(client, sequential, lessons, learner):
    client.force_login(learner)
    response = client.post(reverse("courses:complete_lesson", args=[lessons[1].pk]),
                           {"next": lessons[1].url})
    assert response.status_code == 302
    assert response["Location"] == sequential.url
    assert any("Bài 1" in message for message in _messages(response))
    assert not Statement.objects.filter(
        verb_id=vocab.COMPLETED, user=learner,
        payload__object__id=lessons[1].activity_id).exists()
    assert course_outline(course=sequential, user=learner).done_count == 0


def test_the_exam_is_locked_until_the_lessons_are_done(client, sequential, lessons, quiz,
                                                        learner):
    client.force_login(learner)
    lesson_complete(user=learner, lesson=lessons[0])
    response = client.get(quiz.url)
    assert response.status_code == 302
    assert response["Location"] == sequential.url
    assert any("Bài 2" in message for message in _messages(response))
    start = client.post(reverse("assessments:start", args=[quiz.pk]))
    assert start.status_code == 302
    assert start["Location"] == sequential.url
    assert not Attempt.objects.filter(user=learner).exists()

    lesson_complete(user=learner, lesson=lessons[1])
    assert client.get(quiz.url).status_code == 200
    client.post(reverse("assessments:start", args=[quiz.pk]))
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 1


def test_a_practice_quiz_opens_with_its_lesson(client, sequential, lessons, learner):
    practice = _practice_under(lessons[1])
    client.force_login(learner)
    assert step_waiting_for(page=practice, user=learner).page.pk == lessons[0].pk
    assert client.get(practice.url).status_code == 302
    assert client.post(reverse("assessments:start", args=[practice.pk])).status_code == 302
    assert not Attempt.objects.filter(user=learner).exists()
    lesson_complete(user=learner, lesson=lessons[0])
    assert client.get(practice.url).status_code == 200


def test_a_course_not_in_order_has_no_locks(client, course, lessons, quiz, learner):
    client.force_login(learner)
    assert not any(item.locked for item in course_outline(course=course, user=learner).items)
    assert client.get(lessons[1].url).status_code == 200
    assert client.get(quiz.url).status_code == 200
    response = client.post(reverse("courses:complete_lesson", args=[lessons[1].pk]))
    assert response["Location"] == course.url
    assert course_outline(course=course, user=learner).done_count == 1


def test_the_outline_shows_the_lock(client, sequential, lessons, quiz, learner):
    client.force_login(learner)
    client.post(reverse("courses:enrol", args=[sequential.pk]))
    outline = course_outline(course=sequential, user=learner)
    assert [item.locked for item in outline.items] == [False, True, True]
    assert outline.items[2].waiting_for.page.pk == lessons[0].pk
    html = client.get(sequential.url).content.decode()
    assert html.count('class="locked"') == 2
    assert f'href="{lessons[0].url}"' in html
    assert f'href="{lessons[1].url}"' not in html
    assert f'href="{quiz.url}"' not in html
    assert "🔒" in html


def test_anonymous_readers_of_a_public_course_are_not_held_back(client, sequential, lessons):
    sequential.public = True
    sequential.save()
    assert not any(item.locked for item in course_outline(
        course=sequential, user=client.get("/").wsgi_request.user).items)
    assert client.get(lessons[1].url).status_code == 200


def test_superusers_are_not_held_back(client, sequential, lessons, quiz):
    editor = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(editor)
    assert client.get(lessons[1].url).status_code == 200
    assert client.get(quiz.url).status_code == 200


def test_editors_preview_a_locked_lesson(client, sequential, lessons):
    """An editor (not a superuser) previews any step: previews are not held back."""
    editors = Group.objects.create(name="Course editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin",
                                                   content_type__app_label="wagtailadmin"))
    GroupPagePermission.objects.create(group=editors, page=sequential,
                                       permission=Permission.objects.get(codename="change_page"))
    editor = UserFactory()
    editor.groups.add(editors)
    client.force_login(editor)
    assert client.get(lessons[1].url).status_code == 302  # the live page, as a learner
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[lessons[1].pk]))
    assert response.status_code == 200
    assert "Nội dung bài 2" in response.content.decode()


def test_resume_and_time_left(client, sequential, lessons, quiz, learner):
    client.force_login(learner)
    client.post(reverse("courses:enrol", args=[sequential.pk]))
    outline = course_outline(course=sequential, user=learner)
    assert outline.next_item.page.pk == lessons[0].pk
    assert outline.minutes_left == 30  # two lessons of 10 minutes and the exam's 10
    lesson_complete(user=learner, lesson=lessons[0])
    outline = course_outline(course=sequential, user=learner)
    assert outline.next_item.page.pk == lessons[1].pk
    assert not outline.next_item.locked
    assert outline.minutes_left == 20
    html = client.get(sequential.url).content.decode()
    assert f'class="btn" href="{lessons[1].url}"' in html
    mine = client.get(reverse("courses:my_learning")).content.decode()
    assert f'class="btn" href="{lessons[1].url}"' in mine
    lesson_complete(user=learner, lesson=lessons[1])
    outline = course_outline(course=sequential, user=learner)
    assert outline.next_item.page.pk == quiz.pk
    assert outline.minutes_left == 10


def test_an_optional_step_is_never_awaited(sequential, lessons, quiz, learner):
    """A practice quiz between the lessons: locked after an undone lesson, but the steps
    after it do not wait for it."""
    practice = QuizPage(title="Luyện tập chung", slug="luyen-tap-chung", kind="practice")
    sequential.add_child(instance=practice)
    practice.save_revision().publish()
    QuizPage.objects.get(pk=practice.pk).move(lessons[1], pos="left")
    outline = course_outline(course=sequential, user=learner)
    assert [item.page.pk for item in outline.items] == [lessons[0].pk, practice.pk,
                                                        lessons[1].pk, quiz.pk]
    assert [item.locked for item in outline.items] == [False, True, True, True]
    lesson_complete(user=learner, lesson=lessons[0])
    outline = course_outline(course=sequential, user=learner)
    assert [item.locked for item in outline.items] == [False, False, False, True]
    assert outline.next_item.page.pk == lessons[1].pk
