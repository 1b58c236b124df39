"""Grading of question responses, with Moodle's semantics. Pure functions over a slot's
``snapshot`` (the question as asked), ``layout`` (the order it was shown in) and
``response`` (its canonical JSON); no database access.

- ``layout_make(snapshot, rng)``: the per-attempt presentation order.
- ``response_clean(snapshot, layout, raw)``: a form value made canonical, None when nothing
  was answered; ``ResponseError`` when it names an option the question does not have or
  has the wrong shape.
- ``grade(snapshot, layout, response)``: the fraction of the marks earned, 0..1;
  ``outcome(fraction)``: "correct", "partial" or "wrong".
- ``correct_response(snapshot, layout)``: a full-marks response, for review pages;
  ``option_feedback(snapshot, response)``: the feedback of the options chosen.
- ``score(slots)``: an attempt's (raw, max, scaled) from its (fraction, mark) pairs.

A question never scores below 0 or above 1, whatever its penalties or bonuses add up to.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from .models.banks import QuestionKind
from .typed_answers import numeric_option, text_option

SINGLE_CHOICE = QuestionKind.SINGLE_CHOICE.value
MULTIPLE_RESPONSE = QuestionKind.MULTIPLE_RESPONSE.value
TRUE_FALSE = QuestionKind.TRUE_FALSE.value
MATCHING = QuestionKind.MATCHING.value
ORDERING = QuestionKind.ORDERING.value
NUMERICAL = QuestionKind.NUMERICAL.value
SHORT_ANSWER = QuestionKind.SHORT_ANSWER.value
KINDS = (SINGLE_CHOICE, MULTIPLE_RESPONSE, TRUE_FALSE, MATCHING, ORDERING, NUMERICAL,
         SHORT_ANSWER)
TYPED_KINDS = (NUMERICAL, SHORT_ANSWER)

MAX_TYPED_LENGTH = 200
CORRECT_FROM = 0.999999


class ResponseError(ValueError):
    """A response the question cannot take; the message is meant for the learner."""


def _unreadable() -> ResponseError:
    return ResponseError(_("This answer could not be read. Reload the question and try "
                           "again."))


def _unknown() -> ResponseError:
    return ResponseError(_("This answer names an option the question does not have. "
                           "Reload the question and try again."))


# ---------------------------------------------------------------------------- snapshot


def question_kind(snapshot: Mapping[str, Any]) -> str:
    kind = snapshot.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown question kind {kind!r}")
    return kind


def options_of(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The options in authored order."""
    return list(snapshot.get("options") or [])


def option_id(option: Mapping[str, Any]) -> str:
    return str(option["id"])


def fraction_of(option: Mapping[str, Any]) -> float:
    return float(option.get("fraction") or 0)


def is_stem(option: Mapping[str, Any]) -> bool:
    """A matching item to answer (rather than a distractor answer)."""
    return bool(str(option.get("text") or "").strip())


def match_text(option: Mapping[str, Any]) -> str:
    return str(option.get("match") or "").strip()


def best_option(options: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The first option with full marks, else the first with the highest fraction."""
    best: Mapping[str, Any] | None = None
    for option in options:
        if fraction_of(option) >= CORRECT_FROM:
            return option
        if best is None or fraction_of(option) > fraction_of(best):
            best = option
    return best


def right_matches(snapshot: Mapping[str, Any], layout: Mapping[str, Any]) -> dict[str, str]:
    """Matching: each stem id (authored order) with the id of its right answer."""
    ids_by_text = {str(m["text"]): str(m["id"]) for m in layout.get("matches") or []}
    return {option_id(o): ids_by_text[match_text(o)] for o in options_of(snapshot)
            if is_stem(o) and match_text(o) in ids_by_text}


# ------------------------------------------------------------------------------ layout


def _matches(options: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The distinct non-empty answer texts, ids m0.. in order of first appearance."""
    texts: list[str] = []
    for option in options:
        text = match_text(option)
        if text and text not in texts:
            texts.append(text)
    return [{"id": f"m{index}", "text": text} for index, text in enumerate(texts)]


def _shuffled_differently(ids: list[str], rng: random.Random) -> list[str]:
    """The ids shuffled into an order other than the given one (when there are two or
    more), so that an ordering question never starts solved."""
    order = list(ids)
    if len(set(ids)) < 2:
        return order
    for _attempt in range(100):
        rng.shuffle(order)
        if order != ids:
            return order
    return ids[1:] + ids[:1]  # pragma: no cover - 100 identical shuffles


def layout_make(snapshot: Mapping[str, Any], rng: random.Random) -> dict[str, Any]:
    """The presentation of a question for one attempt: ``options``, the ids in display
    order, and ``matches``, the answers to choose from (matching questions; [] else)."""
    kind = question_kind(snapshot)
    options = options_of(snapshot)
    ids = [option_id(o) for o in options]
    matches: list[dict[str, str]] = []
    if kind in (SINGLE_CHOICE, MULTIPLE_RESPONSE):
        order = list(ids)
        if snapshot.get("shuffle"):
            rng.shuffle(order)
    elif kind == TRUE_FALSE:
        order = list(ids)
    elif kind == MATCHING:
        order = [option_id(o) for o in options if is_stem(o)]
        rng.shuffle(order)
        matches = _matches(options)
        rng.shuffle(matches)
    elif kind == ORDERING:
        order = _shuffled_differently(ids, rng)
    else:
        order = []
    return {"options": order, "matches": matches}


# ---------------------------------------------------------------------------- response


def _str_list(raw: object) -> list[str]:
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        raise _unreadable()
    return [item.strip() for item in raw]


def _in_layout_order(ids: Iterable[str], snapshot: Mapping[str, Any],
                     layout: Mapping[str, Any]) -> list[str]:
    shown = [str(i) for i in layout.get("options") or []]
    authored = [option_id(o) for o in options_of(snapshot)]
    rank = {i: n for n, i in enumerate(authored, start=len(shown))}
    rank.update({i: n for n, i in enumerate(shown)})
    return sorted(set(ids), key=lambda i: rank.get(i, len(rank)))


def _clean_choice(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                  raw: object) -> str | None:
    if not isinstance(raw, str):
        raise _unreadable()
    chosen = raw.strip()
    if not chosen:
        return None
    if chosen not in {option_id(o) for o in options_of(snapshot)}:
        raise _unknown()
    return chosen


def _clean_multiple(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                    raw: object) -> list[str] | None:
    chosen = [item for item in _str_list(raw) if item]
    if not chosen:
        return None
    if not set(chosen) <= {option_id(o) for o in options_of(snapshot)}:
        raise _unknown()
    return _in_layout_order(chosen, snapshot, layout)


def _clean_matching(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                    raw: object) -> dict[str, str] | None:
    if not isinstance(raw, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise _unreadable()
    stems = {option_id(o) for o in options_of(snapshot) if is_stem(o)}
    match_ids = {str(m["id"]) for m in layout.get("matches") or []}
    answered = {k.strip(): v.strip() for k, v in raw.items() if v.strip()}
    if not answered:
        return None
    if not set(answered) <= stems or not set(answered.values()) <= match_ids:
        raise _unknown()
    return {k: answered[k] for k in _in_layout_order(answered, snapshot, layout)}


def _clean_ordering(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                    raw: object) -> list[str] | None:
    order = _str_list(raw)
    if not any(order):
        return None
    items = [option_id(o) for o in options_of(snapshot)]
    if not set(order) <= set(items):
        raise _unknown()
    if sorted(order) != sorted(items):
        raise ResponseError(_("Put every item of the list in order, each one once."))
    return order


def _clean_typed(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                 raw: object) -> str | None:
    if not isinstance(raw, str):
        raise _unreadable()
    text = raw.replace("\x00", "").strip()
    if not text:
        return None
    if len(text) > MAX_TYPED_LENGTH:
        raise ResponseError(_("Type at most %(count)d characters.")
                            % {"count": MAX_TYPED_LENGTH})
    return text


_CLEANERS = {
    SINGLE_CHOICE: _clean_choice, TRUE_FALSE: _clean_choice,
    MULTIPLE_RESPONSE: _clean_multiple, MATCHING: _clean_matching,
    ORDERING: _clean_ordering, NUMERICAL: _clean_typed, SHORT_ANSWER: _clean_typed,
}


def response_clean(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
                   raw: object) -> object | None:
    """The canonical response for a form value ``raw`` (already split per question), or
    None when nothing was answered. Raises ``ResponseError`` for an id the question does
    not have, an ordering that is not a permutation of all items, a typed answer over
    200 characters, or a value of the wrong shape."""
    cleaner = _CLEANERS[question_kind(snapshot)]
    return None if raw is None else cleaner(snapshot, layout, raw)


# ----------------------------------------------------------------------------- grading


def _chosen(snapshot: Mapping[str, Any], response: object) -> list[Mapping[str, Any]]:
    """The options a choice response names (unknown ids and repeats ignored)."""
    ids = {response} if isinstance(response, str) else (
        set(response) if isinstance(response, list) else set())
    return [o for o in options_of(snapshot) if option_id(o) in ids]


def _matched(snapshot: Mapping[str, Any], response: object) -> Mapping[str, Any] | None:
    """Numerical and short answer: the first option the typed response earns."""
    if not isinstance(response, str):
        return None
    options = options_of(snapshot)
    if snapshot.get("kind") == NUMERICAL:
        return numeric_option(options, response)
    return text_option(options, response, case_sensitive=bool(snapshot.get("case_sensitive")))


def _raw_grade(snapshot: Mapping[str, Any], layout: Mapping[str, Any], kind: str,
               response: object) -> float:
    if kind in (SINGLE_CHOICE, TRUE_FALSE):
        chosen = _chosen(snapshot, response)
        return fraction_of(chosen[0]) if isinstance(response, str) and chosen else 0.0
    if kind == MULTIPLE_RESPONSE:
        return sum(fraction_of(o) for o in _chosen(snapshot, response))
    if kind == MATCHING:
        right = right_matches(snapshot, layout)
        stems = [o for o in options_of(snapshot) if is_stem(o)]
        if not isinstance(response, Mapping) or not stems:
            return 0.0
        hits = sum(1 for stem, m in right.items() if response.get(stem) == m)
        return hits / len(stems)
    if kind == ORDERING:
        items = [option_id(o) for o in options_of(snapshot)]
        if not isinstance(response, list) or not items:
            return 0.0
        return sum(1 for given, due in zip(response, items, strict=False)
                   if given == due) / len(items)
    option = _matched(snapshot, response)
    return fraction_of(option) if option is not None else 0.0


def grade(snapshot: Mapping[str, Any], layout: Mapping[str, Any],
          response: object | None) -> float:
    """The fraction of the question's marks a canonical ``response`` earns, in [0, 1]."""
    kind = question_kind(snapshot)
    if response is None or response in ("", [], {}):
        return 0.0
    return round(min(1.0, max(0.0, _raw_grade(snapshot, layout, kind, response))), 7)


def outcome(fraction: float) -> str:
    """"correct" (full marks), "partial" (some) or "wrong" (none)."""
    if fraction >= CORRECT_FROM:
        return "correct"
    return "partial" if fraction > 0 else "wrong"


def correct_response(snapshot: Mapping[str, Any], layout: Mapping[str, Any]) -> object:
    """A canonical response that earns full marks (the best one can, for a question
    authored without any), for the review page."""
    kind = question_kind(snapshot)
    options = options_of(snapshot)
    if kind == MULTIPLE_RESPONSE:
        return _in_layout_order(
            [option_id(o) for o in options if fraction_of(o) > 0], snapshot, layout)
    if kind == MATCHING:
        right = right_matches(snapshot, layout)
        return {stem: right[stem] for stem in _in_layout_order(right, snapshot, layout)}
    if kind == ORDERING:
        return [option_id(o) for o in options]
    best = best_option(options)
    if best is None:
        return None
    return str(best.get("text") or "") if kind in TYPED_KINDS else option_id(best)


def option_feedback(snapshot: Mapping[str, Any], response: object | None) -> list[str]:
    """The feedback written for the options the response chose (choice kinds) or earned
    (numerical, short answer); empty feedback left out."""
    kind = question_kind(snapshot)
    if response is None:
        return []
    if kind in (SINGLE_CHOICE, TRUE_FALSE, MULTIPLE_RESPONSE):
        options = _chosen(snapshot, response)
        if isinstance(response, list):
            position = {i: n for n, i in enumerate(response)}
            options.sort(key=lambda o: position[option_id(o)])
    elif kind in TYPED_KINDS:
        matched = _matched(snapshot, response)
        options = [matched] if matched is not None else []
    else:
        options = []
    return [str(o["feedback"]) for o in options if o.get("feedback")]


def score(slots: Iterable[tuple[float | None, float]]) -> tuple[float, float, float]:
    """An attempt's (raw marks, maximum marks, scaled score rounded to 4 decimals) from
    its slots' (fraction, mark) pairs; an ungraded slot (None) counts 0."""
    pairs = [(float(fraction or 0), float(mark)) for fraction, mark in slots]
    raw = round(sum(fraction * mark for fraction, mark in pairs), 7)
    maximum = round(sum(mark for _fraction, mark in pairs), 7)
    scaled = round(raw / maximum, 4) if maximum > 0 else 0.0
    return raw, maximum, scaled
