"""Checks a question read from a file must pass before it is saved, so that a question
nobody could answer right is reported instead of landing in a bank."""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from .common import Problem, QuestionData, number

FULL = 0.999999  # a fraction this high counts as full marks (Moodle writes 33.33333 x 3)
KINDS = {"single_choice", "multiple_response", "true_false", "matching", "ordering",
         "numerical", "short_answer"}


def problems_of(question: QuestionData) -> list[Problem]:
    """What is wrong with the question (an empty list when it can be saved)."""
    reasons = []
    if question.kind not in KINDS:
        reasons.append(_("the question type “%(kind)s” is not supported.")
                       % {"kind": question.kind})
    elif not strip_tags(question.prompt_html).strip() and question.image is None:
        reasons.append(_("the question has no text."))
    else:
        reasons.extend(CHECKS[question.kind](question))
    if not 0 < question.default_mark < 10000:
        reasons.append(_("the mark %(mark)s is not between 0 and 10000.")
                       % {"mark": question.default_mark})
    for option in question.options:
        if not -1.0000001 <= option.fraction <= 1.0000001 and question.kind != "ordering":
            reasons.append(_("an answer's grade is above 100% or below -100%."))
            break
    name = question.name or strip_tags(question.prompt_html)[:60]
    return [Problem(question.line, _("“%(name)s”: %(reason)s")
                    % {"name": name, "reason": reason}) for reason in reasons]


def _choice(question: QuestionData) -> list:
    options = question.options
    if len(options) < 2:
        return [_("a choice question needs at least two options.")]
    if any(not option.text for option in options):
        return [_("an option has no text.")]
    if question.kind == "single_choice":
        if not any(option.fraction >= FULL for option in options):
            return [_("no right answer (no option gives full marks).")]
        return []
    positive = sum(option.fraction for option in options if option.fraction > 0)
    if positive < FULL:
        return [_("no right answer: the right options add up to %(total)s%%, not 100%%.")
                % {"total": round(positive * 100, 2)}]
    return []


def _true_false(question: QuestionData) -> list:
    texts = [option.text for option in question.options]
    if texts != ["true", "false"]:
        return [_("a true/false question needs the two answers “true” and “false”.")]
    if not any(option.fraction >= FULL for option in question.options):
        return [_("no right answer (neither true nor false gives full marks).")]
    return []


def _matching(question: QuestionData) -> list:
    stems = [option for option in question.options if option.text]
    if len(stems) < 2:
        return [_("a matching question needs at least two items to match.")]
    if any(not option.match for option in stems):
        return [_("an item has no answer to match.")]
    return []


def _ordering(question: QuestionData) -> list:
    if len(question.options) < 2:
        return [_("an ordering question needs at least two items.")]
    if any(not option.text for option in question.options):
        return [_("an item has no text.")]
    return []


def _numerical(question: QuestionData) -> list:
    if not question.options:
        return [_("no answer.")]
    for option in question.options:
        if option.text != "*" and number(option.text) is None:
            return [_("the answer “%(value)s” is not a number.") % {"value": option.text}]
        if option.tolerance is not None and option.tolerance < 0:
            return [_("a tolerance is negative.")]
    if not any(option.fraction >= FULL for option in question.options):
        return [_("no right answer (no answer gives full marks).")]
    return []


def _short_answer(question: QuestionData) -> list:
    if not question.options:
        return [_("no answer.")]
    if any(not option.text.strip() for option in question.options):
        return [_("an accepted answer is empty.")]
    if not any(option.fraction >= FULL for option in question.options):
        return [_("no right answer (no answer gives full marks).")]
    return []


CHECKS = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _true_false,
    "matching": _matching,
    "ordering": _ordering,
    "numerical": _numerical,
    "short_answer": _short_answer,
}
