"""What a question of each kind needs of its options (pure; shared by the admin form and
the importers).

``options`` are plain dicts in authored order, with keys ``text`` (str), ``match`` (str),
``fraction`` (float) and ``tolerance`` (float or None); missing keys count as empty."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .grading import CORRECT_FROM
from .models import QuestionKind

SUM_TOLERANCE = 0.001
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

Option = Mapping[str, Any]


def _text(option: Option) -> str:
    return (option.get("text") or "").strip()


def _match(option: Option) -> str:
    return (option.get("match") or "").strip()


def _fraction(option: Option) -> float:
    return float(option.get("fraction") or 0)


def _has_full_marks(options: Sequence[Option]) -> bool:
    return any(_text(option) and _fraction(option) >= CORRECT_FROM for option in options)


def _single_choice(options: Sequence[Option]) -> list[str]:
    problems = []
    if sum(1 for option in options if _text(option)) < 2:
        problems.append(_("A single-choice question needs at least two options."))
    if not _has_full_marks(options):
        problems.append(_("Give the right option the grade 1."))
    return problems


def _multiple_response(options: Sequence[Option]) -> list[str]:
    problems = []
    if sum(1 for option in options if _text(option)) < 2:
        problems.append(_("A multiple-response question needs at least two options."))
    total = sum(_fraction(option) for option in options if _fraction(option) > 0)
    if abs(total - 1) > SUM_TOLERANCE:
        problems.append(_("The grades of the right options must add up to 1 (now %(total)s).")
                        % {"total": f"{total:.3g}"})
    return problems


def _true_false(options: Sequence[Option]) -> list[str]:
    texts = sorted(_text(option) for option in options)
    if texts != ["false", "true"]:
        return [_('A true/false question needs exactly two options, "true" and "false".')]
    if sorted(_fraction(option) for option in options) != [0.0, 1.0]:
        return [_('Give the right one of "true" and "false" the grade 1 and the other 0.')]
    return []


def _matching(options: Sequence[Option]) -> list[str]:
    problems = []
    for number, option in enumerate(options, start=1):
        if _text(option) and not _match(option):
            problems.append(_("Option %(number)s: give the item its matching answer.")
                            % {"number": number})
    if sum(1 for option in options if _text(option) and _match(option)) < 2:
        problems.append(_("A matching question needs at least two items, each with its "
                          "matching answer."))
    return problems


def _ordering(options: Sequence[Option]) -> list[str]:
    if sum(1 for option in options if _text(option)) < 2:
        return [_("An ordering question needs at least two items, entered in the right "
                  "order.")]
    return []


def _numerical(options: Sequence[Option]) -> list[str]:
    problems = []
    for number, option in enumerate(options, start=1):
        text = _text(option)
        if text and text != "*" and not NUMBER.match(text):
            problems.append(_('Option %(number)s: "%(text)s" is not a number. Write it like '
                              '3.5, or * for any other answer.')
                            % {"number": number, "text": text})
        tolerance = option.get("tolerance")
        if tolerance is not None and float(tolerance) < 0:
            problems.append(_("Option %(number)s: the tolerance cannot be negative.")
                            % {"number": number})
    if not _has_full_marks(options):
        problems.append(_("Give the right answer the grade 1."))
    return problems


def _short_answer(options: Sequence[Option]) -> list[str]:
    if not _has_full_marks(options):
        return [_("Give at least one accepted answer the grade 1.")]
    return []


RULES: dict[str, Callable[[Sequence[Option]], list[str]]] = {
    QuestionKind.SINGLE_CHOICE: _single_choice,
    QuestionKind.MULTIPLE_RESPONSE: _multiple_response,
    QuestionKind.TRUE_FALSE: _true_false,
    QuestionKind.MATCHING: _matching,
    QuestionKind.ORDERING: _ordering,
    QuestionKind.NUMERICAL: _numerical,
    QuestionKind.SHORT_ANSWER: _short_answer,
}


def question_problems(kind: str, options: list[dict]) -> list[str]:
    """What is wrong with a question of ``kind`` having these options, as messages for its
    author (translated in the active language); an empty list when nothing is."""
    rule = RULES.get(kind)
    if rule is None:
        return [_("Unknown question type: %(kind)s.") % {"kind": kind}]
    problems = []
    for number, option in enumerate(options, start=1):
        # a matching option may have only a ``match``: an extra wrong answer to choose from
        if not _text(option) and not (kind == QuestionKind.MATCHING and _match(option)):
            problems.append(_("Option %(number)s is empty: fill it in or remove it.")
                            % {"number": number})
        if not -1 <= _fraction(option) <= 1:
            problems.append(_("Option %(number)s: the grade must be between -1 and 1.")
                            % {"number": number})
    return problems + rule(options)
