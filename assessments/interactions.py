"""Questions as xAPI 1.0.3 interaction activities (Data 2.4.4.1, "Interaction
Activities"): the activity definition of an asked question and the ``result.response``
string of an answer, so that an LRS or a report reads our quizzes like any cmi.interaction.

| question kind | interactionType | components | correctResponsesPattern |
|---|---|---|---|
| single_choice | choice | choices | one pattern per full-marks option id |
| multiple_response | choice | choices | "id1[,]id2" (the options worth marks) |
| true_false | true-false | | "true" or "false" |
| matching | matching | source (items), target (answers) | "item[.]m0[,]item2[.]m1" |
| ordering | sequencing | choices | "a[,]b[,]c" (the right order) |
| numerical | numeric | | "min[:]max", or "value" without tolerance |
| short_answer | fill-in | | each full-marks answer, "{case_matters=true}" first when case matters |

Without a full-marks option, the best-graded one stands for the right answer. Patterns
cannot say "anything" (``*``), so wildcard answers are left out, and the pattern list too
when nothing is left. Pure functions, no database access.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.text import Truncator

from lms.records import vocab

from .formats.common import html_to_text
from .grading import (
    CORRECT_FROM,
    MATCHING,
    MULTIPLE_RESPONSE,
    NUMERICAL,
    ORDERING,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    best_option,
    fraction_of,
    is_stem,
    option_id,
    options_of,
    question_kind,
    right_matches,
)
from .typed_answers import WILDCARD, decimal_of, decimal_text, number_parse, text_normalise

LIST, PAIR, RANGE = "[,]", "[.]", "[:]"
NAME_LENGTH = 200

INTERACTION_TYPES = {
    SINGLE_CHOICE: "choice", MULTIPLE_RESPONSE: "choice", TRUE_FALSE: "true-false",
    MATCHING: "matching", ORDERING: "sequencing", NUMERICAL: "numeric",
    SHORT_ANSWER: "fill-in",
}
def _component_id(value: str) -> str:
    """An interaction component id: a non-empty string without whitespace or the
    response delimiters, which would make a response pattern ambiguous."""
    if (not value or any(c.isspace() for c in value)
            or any(d in value for d in (LIST, PAIR, RANGE))):
        raise ValueError(f"{value!r} cannot be an interaction component id")
    return value


def _components(items: Iterable[tuple[str, str]], language: str) -> list[dict[str, Any]]:
    return [{"id": _component_id(item_id), "description": {language: text}}
            for item_id, text in items]


def _right_options(options: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The full-marks options; else the best-graded one if it is worth anything."""
    full = [o for o in options if fraction_of(o) >= CORRECT_FROM]
    if full:
        return full
    best = best_option(options)
    return [best] if best is not None and fraction_of(best) > 0 else []


def _numeric_pattern(option: Mapping[str, Any]) -> str | None:
    if str(option.get("text") or "").strip() == WILDCARD:
        return None
    value = decimal_of(option.get("text"))
    if value is None:
        return None
    tolerance = abs(decimal_of(option.get("tolerance")) or 0)
    if not tolerance:
        return decimal_text(value)
    return f"{decimal_text(value - tolerance)}{RANGE}{decimal_text(value + tolerance)}"


def _fill_in_pattern(option: Mapping[str, Any], *, case_sensitive: bool) -> str | None:
    text = text_normalise(str(option.get("text") or ""))
    if not text or WILDCARD in text or LIST in text or text.startswith("{"):
        return None  # "anything", several blanks, or read as a {parameter}
    return "{case_matters=true}" + text if case_sensitive else text


def _interaction(snapshot: Mapping[str, Any], layout: Mapping[str, Any], kind: str,
                 language: str) -> dict[str, Any]:
    """The interaction properties: components and correct response patterns."""
    options = options_of(snapshot)
    texts = [(option_id(o), str(o.get("text") or "")) for o in options]
    part: dict[str, Any] = {}
    patterns: list[str] = []
    if kind == SINGLE_CHOICE:
        part["choices"] = _components(texts, language)
        patterns = [_component_id(option_id(o)) for o in _right_options(options)]
    elif kind == MULTIPLE_RESPONSE:
        part["choices"] = _components(texts, language)
        worth = [_component_id(option_id(o)) for o in options if fraction_of(o) > 0]
        patterns = [LIST.join(worth)] if worth else []
    elif kind == TRUE_FALSE:
        patterns = [str(o.get("text") or "").strip().lower() for o in _right_options(options)]
        patterns = [p for p in patterns if p in ("true", "false")][:1]
    elif kind == MATCHING:
        part["source"] = _components(
            ((option_id(o), str(o.get("text") or "")) for o in options if is_stem(o)),
            language)
        matches = sorted(layout.get("matches") or [], key=lambda m: int(str(m["id"])[1:]))
        part["target"] = _components(((str(m["id"]), str(m["text"])) for m in matches),
                                     language)
        pairs = [f"{stem}{PAIR}{m}" for stem, m in right_matches(snapshot, layout).items()]
        patterns = [LIST.join(pairs)] if pairs else []
    elif kind == ORDERING:
        part["choices"] = _components(texts, language)
        patterns = [LIST.join(_component_id(option_id(o)) for o in options)] if options else []
    elif kind == NUMERICAL:
        patterns = [p for o in _right_options(options) if (p := _numeric_pattern(o))]
    else:
        case_sensitive = bool(snapshot.get("case_sensitive"))
        patterns = [p for o in _right_options(options)
                    if (p := _fill_in_pattern(o, case_sensitive=case_sensitive))]
    if patterns:
        part["correctResponsesPattern"] = list(dict.fromkeys(patterns))
    return part


def interaction_definition(snapshot: Mapping[str, Any], layout: Mapping[str, Any], *,
                           language: str = "vi") -> dict[str, Any]:
    """The xAPI activity definition of a question as asked (``snapshot``, ``layout``).
    Raises ValueError for an option id that cannot be a component id."""
    kind = question_kind(snapshot)
    prompt = html_to_text(str(snapshot.get("prompt") or ""))
    name = Truncator(html_to_text(str(snapshot.get("name") or "")) or prompt).chars(NAME_LENGTH)
    definition: dict[str, Any] = {"type": vocab.INTERACTION}
    if name:
        definition["name"] = {language: name}
    if prompt:
        definition["description"] = {language: prompt}
    definition["interactionType"] = INTERACTION_TYPES[kind]
    definition.update(_interaction(snapshot, layout, kind, language))
    return definition


def interaction_response(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                         response: object | None) -> str:
    """The xAPI ``result.response`` of a canonical response, in the syntax of the
    question's interactionType; "" when nothing was answered."""
    kind = question_kind(snapshot)
    if response is None:
        return ""
    if kind == TRUE_FALSE:
        chosen = [o for o in options_of(snapshot) if option_id(o) == response]
        return str(chosen[0].get("text") or "").strip().lower() if chosen else ""
    if kind in (SINGLE_CHOICE, SHORT_ANSWER):
        return str(response)
    if kind == NUMERICAL:
        number = number_parse(str(response))
        return str(response) if number is None else decimal_text(number)
    if kind == MATCHING and isinstance(response, Mapping):
        return LIST.join(f"{stem}{PAIR}{m}" for stem, m in response.items())
    if isinstance(response, list):  # multiple response, ordering
        return LIST.join(str(item) for item in response)
    return ""
