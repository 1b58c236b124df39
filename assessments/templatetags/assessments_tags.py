"""Small template helpers for quiz pages."""

from typing import Any

from django import template
from django.utils.html import format_html
from wagtail.images import get_image_model

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag
def question_image(image_id: int, alt: str = "") -> str:
    """A question's image at phone width (nothing if the image was deleted), described by
    the question's alternative text (older questions: the image's description or title)."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return ""
    rendition = image.get_rendition("max-720x540")
    return format_html('<figure><img src="{}" width="{}" height="{}" alt="{}" loading="lazy">'
                       "</figure>", rendition.url, rendition.width, rendition.height,
                       alt or image.description or image.title)
