"""The installable offline web app of the community digital teams: the service worker
(``/sw.js``, root scope), the web app manifest, and the list of URLs the service worker
keeps on the phone (``offline_urls``).

The service worker's text is rendered from ``community/pwa/sw.js`` with a cache version: a
hash of the precache list and of the static files' contents, so that any change gives a
new worker and the phones drop their old cache."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from courses.models import CoursePage, LessonPage

APP_NAME = "HọcSố — Tổ công nghệ số"
APP_SHORT_NAME = "Tổ CNS"
THEME_COLOR = "#0b5cab"  # --accent of css/site.css
BACKGROUND_COLOR = "#ffffff"

# the static files the community pages need offline, by their path under static/
STATIC_FILES = ("css/site.css", "community/offline.js", "community/icon.svg",
                "community/icon-192.png")


def public_course_urls() -> tuple[list[str], list[str]]:
    """The URLs of the live public courses and of their live lessons (courses first)."""
    courses = list(CoursePage.objects.live().filter(public=True).order_by("path"))
    course_urls = [url for url in (course.get_url() for course in courses) if url]
    if not courses:
        return course_urls, []
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path, depth__gt=course.depth)
    lessons = LessonPage.objects.live().filter(under).order_by("path")
    return course_urls, [url for url in (lesson.get_url() for lesson in lessons) if url]


def offline_urls() -> list[str]:
    """Every URL the service worker precaches: the community pages, the open catalog, the
    public courses and their lessons, the static files the pages need, the manifest."""
    course_urls, lesson_urls = public_course_urls()
    pages = [reverse("community:home"), reverse("community:visit_new"),
             reverse("courses:public_catalog"), *course_urls, *lesson_urls]
    return [*dict.fromkeys([*pages, reverse("pwa:manifest"),
                            *(static(path) for path in STATIC_FILES)])]


def cache_version(urls: list[str]) -> str:
    """A short hash of the precache list and of the static files' contents."""
    digest = hashlib.sha256(json.dumps(urls).encode())
    for path in STATIC_FILES:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    urls = offline_urls()
    course_urls, _lessons = public_course_urls()
    text = render_to_string("community/pwa/sw.js", {
        "version": cache_version(urls),
        "precache": json.dumps(urls),
        "page_prefixes": json.dumps([reverse("community:home"),
                                     reverse("courses:public_catalog"), *course_urls]),
        "never": json.dumps([reverse("community:home") + "api/"]),
        "manifest": json.dumps(reverse("pwa:manifest")),
        "static_url": settings.STATIC_URL,
    })
    response = HttpResponse(text, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest_data() -> dict[str, object]:
    return {
        "name": APP_NAME,
        "short_name": APP_SHORT_NAME,
        "lang": "vi",
        "start_url": reverse("community:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static("community/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": static("community/icon-512.png"), "sizes": "512x512",
             "type": "image/png"},
            {"src": static("community/icon.svg"), "sizes": "any", "type": "image/svg+xml",
             "purpose": "any"},
        ],
    }


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps(manifest_data(), ensure_ascii=False),
                        content_type="application/manifest+json; charset=utf-8")
