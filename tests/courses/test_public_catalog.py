"""Open courses for citizens: /public/, who may read which course page anonymously, and
what may be cached."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import QuizPage
from courses.models import CoursePage, LessonPage
from courses.selectors import public_courses
from tests.factories import build_course

pytestmark = pytest.mark.django_db

PUBLIC_CACHE = "public, max-age=300"


@pytest.fixture
def citizen_course(db) -> CoursePage:
    """A public course (its lessons, and a practice quiz under its first lesson)."""
    course = build_course(code="HD-VNEID", title="Hướng dẫn dùng VNeID", certificate=False)
    course.public = True
    course.title_en = "Using VNeID"
    course.summary_en = "How to use the VNeID app"
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def _lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def _login_redirect(response, url: str) -> bool:
    return (response.status_code == 302
            and response["Location"] == f"{reverse('login')}?next={quote(url)}")


def test_public_catalog_lists_live_public_courses_only(client, course, citizen_course):
    draft = build_course(code="HD-DVC", title="Nộp hồ sơ trực tuyến", certificate=False)
    draft.public = True
    draft.save_revision()  # public in a draft only: the live course is not
    hidden = build_course(code="HD-ANM", title="An toàn trên mạng", certificate=False)
    hidden.public = True
    hidden.save_revision().publish()
    hidden.unpublish()

    assert [item.course.pk for item in public_courses()] == [citizen_course.pk]
    assert public_courses()[0].lesson_count == 2
    page = client.get(reverse("courses:public_catalog"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hướng dẫn dùng VNeID" in html
    assert citizen_course.url in html
    for title in (course.title, "Nộp hồ sơ trực tuyến", "An toàn trên mạng"):
        assert title not in html
    assert 'class="public-intro"' in html
    assert 'class="public-empty"' not in html


def test_public_catalog_empty_state(client, course):
    html = client.get(reverse("courses:public_catalog")).content.decode()
    assert 'class="public-empty"' in html
    assert course.title not in html


def test_public_catalog_in_english(client, citizen_course):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("courses:public_catalog")).content.decode()
    assert "Using VNeID" in html
    assert "How to use the VNeID app" in html
    assert "Hướng dẫn dùng VNeID" not in html
    assert "Open courses for citizens" in html


def test_anonymous_reads_a_public_course_and_its_lesson(client, citizen_course):
    course_page = client.get(citizen_course.url)
    assert course_page.status_code == 200
    course_html = course_page.content.decode()
    assert "Hướng dẫn dùng VNeID" in course_html
    assert reverse("courses:enrol", args=[citizen_course.pk]) not in course_html
    assert 'class="public-hint"' in course_html

    lesson = _lessons(citizen_course)[0]
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung bài 1" in html
    assert reverse("courses:complete_lesson", args=[lesson.pk]) not in html
    assert "csrfmiddlewaretoken" not in html  # the same HTML for every anonymous visitor
    assert f"{reverse('login')}?next={quote(lesson.url)}" in html
    assert 'class="public-hint"' in html


def test_anonymous_on_a_public_quiz_is_asked_to_log_in(client, citizen_course):
    quiz = QuizPage.objects.child_of(citizen_course).get()
    response = client.get(quiz.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{reverse('login')}?next={quote(quiz.url)}" in html
    assert reverse("assessments:start", args=[quiz.pk]) not in html


def test_anonymous_is_sent_to_log_in_below_a_course_that_is_not_public(
        client, course, lessons, quiz, citizen_course):
    for page in (course, lessons[0], quiz):
        response = client.get(page.url)
        assert _login_redirect(response, page.url), page
    practice = QuizPage(title="Luyện tập", slug="luyen-tap", kind="practice")
    lessons[0].add_child(instance=practice)
    practice.save_revision().publish()
    assert _login_redirect(client.get(practice.url), practice.url)
    # the query string comes back too
    assert _login_redirect(client.get(f"{lessons[1].url}?a=1"), f"{lessons[1].url}?a=1")


def test_logged_in_people_read_every_course(client, course, lessons, quiz, citizen_course,
                                            learner):
    client.force_login(learner)
    for page in (course, lessons[0], quiz, citizen_course, _lessons(citizen_course)[0]):
        assert client.get(page.url).status_code == 200, page
    html = client.get(citizen_course.url).content.decode()
    assert reverse("courses:enrol", args=[citizen_course.pk]) in html  # enrol as before
    assert "csrfmiddlewaretoken" in html


def test_home_links_to_the_public_catalog(client, course, citizen_course):
    html = client.get("/").content.decode()
    assert reverse("courses:public_catalog") in html
    assert course.title in html  # the catalog shows every course, as before
    assert "Hướng dẫn dùng VNeID" in html


def test_cache_control_anonymous_public_pages(client, course, citizen_course):
    lesson = _lessons(citizen_course)[0]
    for url in (reverse("courses:public_catalog"), citizen_course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == PUBLIC_CACHE, url
        assert "Cookie" in response["Vary"]
    # a page that is not the public catalogue, a course or a lesson is not made public
    quiz = QuizPage.objects.child_of(citizen_course).get()
    assert "public" not in client.get(quiz.url).get("Cache-Control", "")
    assert "public" not in client.get(course.url).get("Cache-Control", "")  # a redirect


def test_cache_control_logged_in_is_private(client, citizen_course, learner):
    client.force_login(learner)
    lesson = _lessons(citizen_course)[0]
    for url in (reverse("courses:public_catalog"), citizen_course.url, lesson.url):
        response = client.get(url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"]


def test_anonymous_public_page_is_the_same_for_every_visitor(client, citizen_course):
    from django.test import Client

    lesson = _lessons(citizen_course)[0]
    first = client.get(lesson.url).content
    assert Client().get(lesson.url).content == first
    # the language switch needs no token (a preference, not a state change): it works from
    # this shared page even with strict CSRF checks
    response = Client().get(reverse("courses:public_catalog"))
    assert b"csrfmiddlewaretoken" not in response.content
    strict = Client(enforce_csrf_checks=True)
    strict.get(reverse("courses:public_catalog"))
    switched = strict.post(reverse("set_language"),
                           {"language": "en", "next": reverse("courses:public_catalog")})
    assert switched.status_code == 302
    assert "Using VNeID" in strict.get(reverse("courses:public_catalog")).content.decode()
