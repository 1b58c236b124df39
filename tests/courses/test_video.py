"""Lesson videos: a file played on the page with captions, the transcript as text, the
editor's checks, and captions served as WebVTT."""

import pytest
from wagtail.blocks import StructBlockValidationError

from courses.blocks import VideoBlock

from .media import TRANSCRIPT, document_create, media_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(public_course):
    """Read anonymously: a public course."""
    return public_course


def _video(**fields):
    block = VideoBlock()
    value = {"video": None, "file": None, "poster": None, "captions": None,
             "captions_language": "vi", "title": "Hướng dẫn", "transcript": "", **fields}
    return block, block.to_python(block.get_prep_value(block.normalize(value)))


def test_a_video_file_plays_with_captions_and_its_transcript(client, course):
    lesson = media_lesson(course)
    value = lesson.body[1].value
    html = client.get(lesson.url).content.decode()
    assert '<video controls preload="none"' in html
    assert f'<source src="{value["file"].url}" type="video/mp4">' in html
    assert (f'<track kind="captions" src="{value["captions"].url}" srclang="vi" '
            'label="Tiếng Việt" default>') in html
    assert '<details class="transcript" open>' in html
    assert TRANSCRIPT in html


def test_captions_are_served_as_webvtt(client, course):
    captions = document_create("phu-de.vtt", b"WEBVTT\n")
    response = client.get(captions.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")
    assert not response.get("Content-Disposition", "").startswith("attachment")


def test_a_video_needs_captions_or_a_transcript(db):
    video = document_create("clip.mp4", b"\x00" * 32)
    block, value = _video(file=video)
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "transcript" in error.value.block_errors
    block, value = _video(file=video, transcript="Lời nói trong video.")
    assert block.clean(value)["transcript"] == "Lời nói trong video."
    block, value = _video(file=video, captions=document_create("clip.vtt", b"WEBVTT\n"))
    assert block.clean(value)["captions"] is not None


def test_a_video_needs_a_source_of_the_right_kind(db):
    block, value = _video(transcript="Lời nói.")
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "video" in error.value.block_errors
    block, value = _video(file=document_create("clip.pdf", b"%PDF"), transcript="Lời nói.",
                          captions=document_create("clip.srt", b"1\n"))
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert set(error.value.block_errors) == {"file", "captions"}
