"""Low-data mode: videos give way to their transcripts, images to small renditions."""

import re

import pytest
from django.urls import reverse

from lms.lowdata import COOKIE

from .media import TRANSCRIPT, media_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(public_course):
    """Low-data mode is for anonymous readers (citizens) too."""
    return public_course


def _image_tag(html: str) -> str:
    return re.search(r'<figure class="lesson-image">(<img [^>]*>)', html).group(1)


def _attribute(tag: str, name: str) -> str:
    return re.search(rf'\s{name}="([^"]*)"', tag).group(1)


def test_the_same_lesson_in_low_data_mode(client, course):
    lesson = media_lesson(course)
    video = lesson.body[1].value["file"]
    normal = client.get(lesson.url).content.decode()
    assert "<video" in normal

    client.cookies[COOKIE] = "1"
    low = client.get(lesson.url).content.decode()
    assert "<video" not in low and "<track" not in low
    assert TRANSCRIPT in low
    assert f'<a href="{video.url}">' in low  # watch the video, if the learner chooses to

    normal_img, low_img = _image_tag(normal), _image_tag(low)
    assert "srcset" in normal_img and "sizes" in normal_img
    assert "srcset" not in low_img
    assert _attribute(low_img, "src") != _attribute(normal_img, "src")
    assert int(_attribute(normal_img, "width")) == 800
    assert int(_attribute(low_img, "width")) <= 480
    assert 'loading="lazy"' in low_img
    small, large = (s.split()[0] for s in _attribute(normal_img, "srcset").split(", "))
    assert _attribute(normal_img, "src") == large
    assert small != large


def test_the_query_parameter_sets_and_clears_the_cookie(client, course):
    lesson = media_lesson(course)
    response = client.get(lesson.url + "?lowdata=1")
    assert "<video" not in response.content.decode()
    assert response.cookies[COOKIE].value == "1"
    assert response.cookies[COOKIE]["max-age"] == 365 * 24 * 60 * 60
    assert "<video" not in client.get(lesson.url).content.decode()  # kept by the cookie
    response = client.get(lesson.url + "?lowdata=0")
    assert "<video" in response.content.decode()
    assert "<video" in client.get(lesson.url).content.decode()


def test_the_toggle_button_for_anonymous_readers(client, course):
    lesson = media_lesson(course)
    html = client.get(lesson.url).content.decode()
    assert f'action="{reverse("low_data_set")}"' in html
    response = client.post(reverse("low_data_set"), {"lowdata": "1", "next": lesson.url})
    assert response.status_code == 302
    assert response["Location"] == lesson.url
    assert response.cookies[COOKIE].value == "1"
    html = client.get(lesson.url).content.decode()
    assert "<video" not in html
    assert 'name="lowdata" value="0"' in html  # the button now switches it off
    response = client.post(reverse("low_data_set"), {"lowdata": "0",
                                                     "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "<video" in client.get(lesson.url).content.decode()


def test_svg_images_stay_as_they_are(client, course):
    from django.core.files.base import ContentFile
    from wagtail.images.models import Image

    from courses.models import LessonPage

    svg = Image.objects.create(title="Biểu đồ", width=100, height=50, file=ContentFile(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"></svg>',
        name="bieu-do.svg"))
    lesson = LessonPage(title="Bài SVG", slug="bai-svg", body=[
        ("image", {"image": svg, "alt": "Biểu đồ", "caption": ""})])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    client.cookies[COOKIE] = "1"
    tag = _image_tag(client.get(lesson.url).content.decode())
    assert _attribute(tag, "src") == svg.file.url
