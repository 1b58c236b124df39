"""Responses as an attempt form posts them.

The form lists the positions it carries in ``p`` (so that clearing every box of a
multiple-response question is a response too) and names its fields ``s<position>`` (a
choice, the boxes ticked, or the text typed) and ``s<position>-<option id>`` (a matching
item's answer, an ordering item's rank)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from .models import QuestionKind

MAX_POSITIONS = 500


@dataclass(frozen=True)
class FormAnswer:
    values: list[str] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)

    def raw(self, kind: str) -> object:
        """The response in the shape ``grading.response_clean`` takes for ``kind``."""
        if kind == QuestionKind.MULTIPLE_RESPONSE:
            return list(self.values)
        if kind == QuestionKind.MATCHING:
            return dict(self.parts)
        if kind == QuestionKind.ORDERING:
            if not self.parts:
                return []

            def rank(item: tuple[str, str]) -> tuple[int, str]:
                try:
                    return int(item[1]), item[0]
                except ValueError:
                    return 10**6, item[0]

            return [option_id for option_id, _rank in sorted(self.parts.items(), key=rank)]
        return self.values[0] if self.values else ""


class FormError(ValueError):
    pass


def parse_post(data: QueryDict) -> dict[int, FormAnswer]:
    positions: list[int] = []
    for value in data.getlist("p")[:MAX_POSITIONS]:
        try:
            positions.append(int(value))
        except ValueError as exc:
            raise FormError(value) from exc
    answers: dict[int, FormAnswer] = {}
    prefixes = {position: f"s{position}-" for position in positions}
    for position in positions:
        parts = {key[len(prefixes[position]):]: data.get(key, "")
                 for key in data if key.startswith(prefixes[position])}
        answers[position] = FormAnswer(values=data.getlist(f"s{position}"), parts=parts)
    return answers
