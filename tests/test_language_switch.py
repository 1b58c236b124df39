"""The language switch in the header keeps the page: from a lesson, a course, My learning
and the HR dashboard, choosing English returns to the same address (the form's ``next``,
query string included), now in English."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from certificates.models import CertificateType
from lms.org.services import manager_scope_set
from lms.reports.models import Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form[^>]*action="/i18n/setlang/"[^>]*>(.*?)</form>', re.S)
NEXT = re.compile(r'<input[^>]*name="next"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def switch_to_english(client, url: str) -> str:
    """Open ``url`` in Vietnamese, send the header's form with English chosen; the page
    it lands on, after checking it is ``url`` itself."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html
    form = FORM.search(html)
    assert form, "no language form"
    field = NEXT.search(form.group(1))
    assert field, "no next field in the language form"
    next_url = unescape(VALUE.search(field.group(0)).group(1))
    assert next_url == url
    switched = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert switched.status_code == 302
    assert switched["Location"] == url
    english = client.get(switched["Location"])
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    return english.content.decode()


def test_lesson_and_course_pages(client, learner, course, lessons):
    client.force_login(learner)
    assert "Mark lesson complete" in switch_to_english(client, lessons[0].url + "?from=my")
    assert "Outline" in switch_to_english(client, course.url + "?tab=outline&x=1")


def test_my_learning(client, learner, course):
    client.force_login(learner)
    assert "My learning" in switch_to_english(client, reverse("courses:my_learning") + "?a=1")


def test_hr_dashboard(client, tree, course):
    target = Target.objects.create(
        code="kns-2027", name="Kỹ năng số", rate=100, measure="trained",
        certificate_type=CertificateType.objects.get(course=course),
        deadline=datetime.date(2027, 12, 31))
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["hanoi"])
    client.force_login(manager)
    url = f"{reverse('reports:dashboard')}?agency=00097&target={target.code}"
    assert "Coverage: Phường Hồng Hà" in switch_to_english(client, url)
