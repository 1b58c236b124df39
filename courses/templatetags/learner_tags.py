"""Template filters of the learner pages."""

from typing import Any

from django import template

from courses.catalog import proven_by_topic

register = template.Library()


@register.filter
def by_topic(proven: list[tuple[Any, list]]) -> list[tuple[str, list]]:
    """``{% for topic, items in proven|by_topic %}``: proven competences per topic."""
    return proven_by_topic(proven)
