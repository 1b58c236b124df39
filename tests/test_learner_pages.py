"""The pages a learner uses: home strip, quiz and result, certificates, profile; their
headings, labels and English version."""

import re

import pytest
from django.urls import reverse

from assessments.services import attempt_start, attempt_submit
from certificates.models import Certificate
from certificates.services import certificates_issue_due
from courses.competencies import competencies_load
from courses.models import CoursePage
from courses.services import course_enrol, lesson_complete
from tests.certificates.helpers import complete
from tests.factories import attempt_answers

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"<h([1-6])[\s>]")


def assert_headings_in_order(html: str) -> None:
    """One h1, first, and no level skipped on the way down."""
    levels = [int(level) for level in HEADING.findall(html)]
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def _english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_home_shows_a_learner_where_to_continue(client, course, lessons, learner):
    course_enrol(user=learner, course=course)
    lesson_complete(user=learner, lesson=lessons[0])
    client.force_login(learner)
    _english(client)
    html = client.get("/").content.decode()
    strip = html[html.index('class="strip"'):html.index('id="find-title"')]
    assert "Continue learning" in strip
    assert f'href="{lessons[1].url}"' in strip  # the next step
    assert "33% done" in strip
    assert f'href="{reverse("courses:my_learning")}"' in strip  # required and deadlines
    assert reverse("courses:public_catalog") not in html
    assert_headings_in_order(html)


def test_home_strip_leaves_out_finished_courses(client, course, learner):
    course_enrol(user=learner, course=course)
    complete(learner, course)
    client.force_login(learner)
    _english(client)
    html = client.get("/").content.decode()
    strip = html[html.index('class="strip"'):html.index('id="find-title"')]
    assert "You have no course in progress" in strip
    assert course.url not in strip


def test_home_strip_is_hidden_while_filtering(client, course, learner):
    course_enrol(user=learner, course=course)
    client.force_login(learner)
    assert 'class="strip"' in client.get("/").content.decode()
    assert 'class="strip"' not in client.get("/", {"q": "ky nang"}).content.decode()


def test_anonymous_home_links_to_the_open_courses(client, course):
    html = client.get("/").content.decode()
    assert f'href="{reverse("courses:public_catalog")}"' in html
    assert 'class="strip"' not in html
    assert course.url in html
    assert_headings_in_order(html)


def test_my_certificates_shows_download_and_share_links(client, course, learner):
    complete(learner, course)
    certificates_issue_due()
    certificate = Certificate.objects.get()
    client.force_login(learner)
    html = client.get(reverse("certificates:mine")).content.decode()
    check = reverse("certificates:verify", args=[certificate.serial])
    assert f'href="{reverse("certificates:download", args=[certificate.serial])}"' in html
    assert f'value="http://testserver{check}" readonly' in html  # shown without script
    assert f'<a href="{check}">' in html
    assert re.search(r'<label for="share-1">', html) and 'id="share-1"' in html
    assert 'data-copy="share-1" hidden>' in html  # the script shows the copy button
    assert_headings_in_order(html)


def test_quiz_form_has_a_fieldset_legend_and_labels_per_question(client, quiz, learner):
    attempt_start(user=learner, quiz=quiz)
    client.force_login(learner)
    _english(client)
    html = client.get(quiz.url).content.decode()
    fieldsets = re.findall(r"<fieldset class=\"question\"[^>]*>\s*<legend>([^<]+)</legend>",
                           html)
    assert fieldsets == ["Question 1 of 3", "Question 2 of 3", "Question 3 of 3"]
    assert 'aria-describedby="q1-prompt"' in html and 'id="q1-prompt"' in html
    radios = re.findall(r"<input type=\"radio\"", html)
    labelled = re.findall(r"<label class=\"choice\"><input type=\"radio\"", html)
    assert len(radios) == len(labelled) == 9
    assert_headings_in_order(html)


@pytest.mark.parametrize(("right", "verdict", "next_step"), [
    (3, "Passed", "My certificates"), (0, "Not passed yet", "Try again")])
def test_result_page_gives_score_pass_mark_and_what_next(client, quiz, learner, right,
                                                          verdict, next_step):
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt_id=attempt.pk,
                   responses=attempt_answers(attempt, right=right))
    client.force_login(learner)
    _english(client)
    html = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    percent = round(100 * right / 3)
    assert f'<h2 id="verdict-title">{verdict}</h2>' in html
    assert f'<p class="score">{percent}%</p>' in html
    assert "Pass mark: 60%." in html
    assert "What next" in html and next_step in html
    assert html.count('<p class="outcome">') == 3  # the review says right or wrong in words
    assert_headings_in_order(html)


def test_profile_groups_proven_competences_by_topic(client, course, learner):
    competencies_load()
    CoursePage.objects.filter(pk=course.pk).update(
        competencies=["dc.1.1", "dc.1.3", "dmbok.quality"])
    complete(learner, course)
    client.force_login(learner)
    _english(client)
    html = client.get(reverse("courses:profile")).content.decode()
    topics = re.findall(r"<h3>([^<]+)</h3>", html)
    assert topics == ["Information and data literacy", "Data management"]
    assert html.index("dc.1.3") < html.index("Data management") < html.index("dmbok.quality")
    assert_headings_in_order(html)


@pytest.mark.parametrize("name", ["home", "my_learning", "certificates", "profile", "login"])
def test_pages_render_in_english_after_switching(client, course, learner, name):
    url = {"home": "/", "my_learning": reverse("courses:my_learning"),
           "certificates": reverse("certificates:mine"), "profile": reverse("courses:profile"),
           "login": reverse("login")}[name]
    expected = {"home": "Find a course", "my_learning": "My learning",
                "certificates": "My certificates", "profile": "Competences I have proven",
                "login": "Open courses for citizens"}[name]
    if name != "login":
        client.force_login(learner)
    # Vietnamese first (the words of the new strings come with the lead's translation)
    assert '<html lang="vi">' in client.get(url).content.decode()
    _english(client)
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english and expected in english.split("</header>")[1]
    assert_headings_in_order(english)
