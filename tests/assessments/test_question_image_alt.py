"""A question's image needs alternative text: the editor's form refuses an image without
it, and the attempt page shows the image described by that text."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from assessments.draw import question_snapshot
from assessments.models import QuestionBank
from assessments.templatetags.assessments_tags import question_image
from tests.factories import question_create

pytestmark = pytest.mark.django_db


def _image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "white").save(buffer, "PNG")
    image = get_image_model()(title="so-do.png",
                              file=ImageFile(io.BytesIO(buffer.getvalue()), name="so-do.png"))
    image._set_image_file_metadata()
    image.save()
    return image


def test_an_image_without_alternative_text_is_refused():
    question = question_create(bank=QuestionBank.objects.create(name="Ngân hàng"),
                               image=_image())
    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert "image_alt" in refused.value.message_dict
    question.image_alt = "Sơ đồ các bước nộp hồ sơ trực tuyến"
    question.full_clean()  # described: accepted


def test_the_attempt_shows_the_image_with_its_text():
    image = _image()
    question = question_create(bank=QuestionBank.objects.create(name="Ngân hàng"),
                               image=image, image_alt="Sơ đồ các bước")
    snapshot = question_snapshot(question)
    assert snapshot["image_alt"] == "Sơ đồ các bước"
    html = question_image(snapshot["image_id"], snapshot["image_alt"])
    assert 'alt="Sơ đồ các bước"' in html
    assert 'alt="so-do.png"' in question_image(image.pk)  # older snapshots: the title
