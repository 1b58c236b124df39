"""The offline web app's server side: the service worker, the manifest and the list of
URLs kept on the phone."""

from __future__ import annotations

import json

import pytest
from django.templatetags.static import static
from django.urls import reverse
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from lms.community.pwa import cache_version, offline_urls
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def _public(course: CoursePage) -> CoursePage:
    CoursePage.objects.filter(pk=course.pk).update(public=True)
    return CoursePage.objects.get(pk=course.pk)


def _lesson_urls(course: CoursePage) -> list[str]:
    return [lesson.get_url() for lesson in LessonPage.objects.child_of(course).order_by("path")]


def test_service_worker_is_served_at_the_root_with_its_headers(client):
    response = client.get("/sw.js")  # anonymous: the worker is not a private page
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    text = response.content.decode()
    precache = json.loads(text.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert precache == offline_urls()
    assert f'const VERSION = "{cache_version(precache)}";' in text
    assert '"/community/api/"' in text  # never intercepted
    assert "{%" not in text and "{{" not in text and "&quot;" not in text


def test_service_worker_precaches_the_community_pages_catalog_and_static_files(db):
    urls = offline_urls()
    for url in (reverse("community:home"), reverse("community:visit_new"),
                reverse("courses:public_catalog"), reverse("pwa:manifest"),
                static("css/site.css"), static("community/offline.js")):
        assert url in urls
    assert len(urls) == len(set(urls))
    assert not [url for url in urls if url.startswith("/community/api/")]


def test_offline_urls_list_public_lessons_and_not_private_ones(db):
    public = _public(build_course(code="PUB-1", title="Dịch vụ công trực tuyến"))
    private = build_course(code="PRIV-1", title="Nội bộ")
    urls = offline_urls()
    assert public.get_url() in urls
    assert set(_lesson_urls(public)) <= set(urls) and len(_lesson_urls(public)) == 2
    assert private.get_url() not in urls
    assert not set(_lesson_urls(private)) & set(urls)
    quiz = Page.objects.child_of(public).get(slug="kiem-tra")
    assert quiz.get_url() not in urls  # quizzes need an account


def test_unpublished_lessons_are_not_precached(db):
    course = _public(build_course(code="PUB-2"))
    first = LessonPage.objects.child_of(course).order_by("path").first()
    url = first.get_url()
    first.unpublish()
    assert url not in offline_urls()


def test_cache_version_changes_with_the_list(db):
    before = client_version = cache_version(offline_urls())
    _public(build_course(code="PUB-3"))
    assert cache_version(offline_urls()) != before
    assert len(client_version) == 16


def test_manifest(client):
    response = client.get(reverse("pwa:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content)
    assert data["name"] == "HọcSố — Tổ công nghệ số"
    assert data["short_name"]
    assert data["start_url"] == "/community/" == reverse("community:home")
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0b5cab"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_posts_are_not_served(client):
    assert client.post("/sw.js").status_code == 405
    assert client.post(reverse("pwa:manifest")).status_code == 405
