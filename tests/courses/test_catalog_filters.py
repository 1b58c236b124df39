"""The catalogue's search and filters (courses.catalog), through the selector and the page."""

import re

import pytest

from courses.catalog import catalog_options, catalog_search, fold, topic_of
from courses.competencies import competencies_load
from courses.models import CatalogPage, CoursePage
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def _course(code: str, title: str, *, minutes: int, competencies: list[str],
            title_en: str = "", summary: str = "Tóm tắt") -> CoursePage:
    course = build_course(code=code, title=title, lessons=1, questions=1, certificate=False)
    course.title_en, course.summary = title_en, summary
    course.estimated_minutes, course.competencies = minutes, competencies
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def courses(db) -> dict[str, CoursePage]:
    competencies_load()
    return {
        "skills": _course("KNS", "Kỹ năng số cơ bản", minutes=180,
                          competencies=["dc.1.1", "dc.2.3"],
                          title_en="Basic digital skills"),
        "vneid": _course("VNEID", "Hướng dẫn sử dụng VNeID", minutes=25,
                         competencies=["dc.2.6", "dc.4.1"],
                         summary="Định danh điện tử trên điện thoại"),
        "data": _course("QTDL", "Quản trị dữ liệu cơ bản", minutes=240,
                        competencies=["dmbok.quality", "dc.1.3"]),
        "ai": _course("AI", "Trí tuệ nhân tạo tạo sinh", minutes=45,
                      competencies=["dc.6.1"]),
    }


def _codes(**filters) -> list[str]:
    catalog = CatalogPage.objects.get()
    from django.contrib.auth.models import AnonymousUser

    entries = catalog_search(catalog=catalog, user=AnonymousUser(), **filters)
    return [entry.course.code for entry in entries]


def test_fold_drops_accents_case_and_extra_spaces():
    assert fold("  Kỹ NĂNG   số ") == "ky nang so"
    assert fold("Đăng ký điện tử") == "dang ky dien tu"


def test_topic_is_the_domain_or_the_framework():
    domains = {"dc.1", "dc.2"}
    assert topic_of("dc.1.3", domains=domains) == "dc.1"
    assert topic_of("dc.2", domains=domains) == "dc.2"
    assert topic_of("dmbok.quality", domains=domains) == "dmbok"


def test_no_filter_lists_every_live_course_in_order(courses):
    assert _codes() == ["KNS", "VNEID", "QTDL", "AI"]


def test_search_ignores_accents_and_case(courses):
    assert _codes(q="ky nang so") == ["KNS"]
    assert _codes(q="KỸ NĂNG") == ["KNS"]
    assert _codes(q="dinh danh") == ["VNEID"]  # in the summary, đ typed as d
    assert _codes(q="digital skills") == ["KNS"]  # the English title
    assert _codes(q="du lieu co ban") == ["QTDL"]  # every word, in any place
    assert _codes(q="ky nang xyz") == []


def test_topic_filter(courses):
    assert _codes(topic="dc.1") == ["KNS", "QTDL"]
    assert _codes(topic="dc.6") == ["AI"]
    assert _codes(topic="dmbok") == ["QTDL"]


def test_competency_filter(courses):
    assert _codes(competency="dc.2.6") == ["VNEID"]
    assert _codes(competency="dc.1.3") == ["QTDL"]


def test_duration_filter(courses):
    assert _codes(duration="le30") == ["VNEID"]
    assert _codes(duration="30-60") == ["AI"]
    assert _codes(duration="1-3h") == ["KNS"]  # 180 minutes is still up to 3 hours
    assert _codes(duration="gt3h") == ["QTDL"]
    assert _codes(duration="nonsense") == ["KNS", "VNEID", "QTDL", "AI"]


def test_filters_combine(courses):
    assert _codes(topic="dc.1", duration="gt3h") == ["QTDL"]
    assert _codes(q="co ban", topic="dc.1", duration="1-3h") == ["KNS"]
    assert _codes(q="co ban", competency="dc.6.1") == []


def test_options_are_the_topics_and_competences_in_use(courses):
    options = catalog_options(catalog=CatalogPage.objects.get())
    assert {c.value for c in options["topics"]} == {"dc.1", "dc.2", "dc.4", "dc.6", "dmbok"}
    codes = [c.value for c in options["competencies"]]
    assert set(codes) == {"dc.1.1", "dc.2.3", "dc.2.6", "dc.4.1", "dmbok.quality", "dc.1.3",
                          "dc.6.1"}
    assert codes.index("dc.1.1") < codes.index("dc.1.3") < codes.index("dc.2.3")
    assert [c.value for c in options["durations"]] == ["le30", "30-60", "1-3h", "gt3h"]


def test_page_keeps_filters_in_the_form_and_counts(client, courses):
    page = client.get("/", {"q": "ky nang so", "topic": "dc.1", "duration": "1-3h"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="q" value="ky nang so"' in html
    assert '<option value="dc.1" selected>' in html
    assert '<option value="1-3h" selected>' in html
    assert courses["skills"].url in html
    assert courses["vneid"].url not in html
    assert re.search(r"\b1/\d+ khóa học phù hợp", html)  # "1 of N courses match"
    for control in ("f-q", "f-topic", "f-competency", "f-duration"):
        assert f'<label for="{control}">' in html
        assert f'id="{control}"' in html


def test_page_with_an_unknown_filter_value_ignores_it(client, courses):
    html = client.get("/", {"topic": "zz.9"}).content.decode()
    for course in courses.values():
        assert course.url in html


def test_empty_state_offers_to_clear_the_filters(client, courses):
    catalog = CatalogPage.objects.get()
    html = client.get("/", {"q": "không có khóa nào như thế"},
                      headers={"accept-language": "en"}).content.decode()
    assert 'class="empty"' in html
    assert f'<a class="btn secondary" href="{catalog.url}">' in html
    for course in courses.values():
        assert course.url not in html
