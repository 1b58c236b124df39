"""Checks a question read from a file must pass before it is saved, so that a question
nobody could answer right is reported instead of landing in a bank. The rules for the
options of each kind are the ones the question editor applies
(``assessments.validation``); a file adds checks on what the editor cannot get wrong."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from ..validation import question_problems
from .common import Problem, QuestionData

MAX_MARK = 9999  # Question.default_mark holds 6 digits, 2 of them decimals
MAX_TOLERANCE = 1e12  # QuestionOption.tolerance holds 20 digits, 7 of them decimals


def problems_of(question: QuestionData) -> list[Problem]:
    """What is wrong with the question (an empty list when it can be saved)."""
    reasons = list(question_problems(question.kind,
                                     [asdict(option) for option in question.options]))
    if not strip_tags(question.prompt_html).strip() and question.image is None:
        reasons.append(_("The question has no text."))
    if not 0 < question.default_mark <= MAX_MARK:
        reasons.append(_("The mark %(mark)s is not between 0 and %(max)s.")
                       % {"mark": question.default_mark, "max": MAX_MARK})
    if any(abs(option.tolerance or 0) >= MAX_TOLERANCE for option in question.options):
        reasons.append(_("A tolerance is too large."))
    name = question.name or strip_tags(question.prompt_html).strip()[:60]
    return [Problem(question.line, _("“%(name)s”: %(reason)s")
                    % {"name": name, "reason": reason}) for reason in reasons]
