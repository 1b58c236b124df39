"""A lesson with an image and a video file (captions, transcript), for the media tests."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.models import CoursePage, LessonPage

VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin ch\xc3\xa0o\n"
TRANSCRIPT = "Bước 1: mở ứng dụng VNeID."


def image_create(*, width: int = 1600, height: int = 1200) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 90, 160)).save(buffer, format="PNG")
    return Image.objects.create(title="Sơ đồ", file=ImageFile(buffer, name="so-do.png"))


def document_create(name: str, content: bytes) -> Document:
    return Document.objects.create(title=name, file=ContentFile(content, name=name))


def media_lesson(course: CoursePage, *, transcript: str = TRANSCRIPT) -> LessonPage:
    """A lesson with a photo and a video file with Vietnamese captions."""
    video = document_create("huong-dan.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    captions = document_create("huong-dan.vtt", VTT)
    lesson = LessonPage(title="Bài có video", slug="bai-co-video", body=[
        ("image", {"image": image_create(), "alt": "Sơ đồ các bước", "caption": ""}),
        ("video", {"video": None, "file": video, "poster": None, "captions": captions,
                   "captions_language": "vi", "title": "Hướng dẫn",
                   "transcript": transcript}),
    ])
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)
