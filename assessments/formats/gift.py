"""Read GIFT question files, Moodle's plain-text question format.

No maintained Python library reads GIFT (the parsers on PyPI have had no release for
years and cover part of the format), so this reader is ours. It follows Moodle's own
reader (``question/format/gift``) and its documentation:

- questions are separated by blank lines; a line starting with ``//`` is a comment (a
  comment holding ``[id:…]`` or ``[tag:…]`` gives the question its idnumber and tags);
- ``$CATEGORY: path`` names the category of the questions after it;
- ``::title::`` names a question; ``[html]``, ``[plain]``, ``[markdown]`` or ``[moodle]``
  (the default) gives the format of a text;
- ``\\~ \\= \\# \\{ \\} \\: \\\\`` are the characters themselves, ``\\n`` a new line;
- the answers go between braces: ``{=right ~wrong}`` (one right answer),
  ``{~%50%a ~%50%b ~%-100%c}`` (several right answers sharing the marks),
  ``{T}``/``{TRUE}``/``{F#feedback if wrong#feedback if right}``, ``{=a =%50%b}`` (short
  text answer), ``{#3.14:0.01}``, ``{#1..5}`` and ``{# =1.5:0.1 =%50%1.5:0.5}``
  (numbers), ``{=item -> answer = -> extra answer}`` (matching); ``#feedback`` after an
  answer, ``####general feedback`` at the end; text after the braces makes a "missing
  word" question, the braces' place shown as ``_____``.

A question that cannot be read is reported with the line it starts on, and reading goes on
at the next blank line."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from ..grading import CORRECT_FROM
from .common import (
    OptionData,
    ParseResult,
    Problem,
    QuestionData,
    apply_tag,
    category_name,
    html_to_text,
    markdown_to_html,
    moodle_auto_to_html,
    number,
    plain_to_html,
    sanitize_html,
    uid_of,
)

# escaped characters are swapped for private-use characters while the structure is read
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_HIDDEN = {char: chr(0xE000 + index) for index, char in enumerate("\\~=#{}:n")}
_SHOWN = {code: ("\n" if char == "n" else char) for char, code in _HIDDEN.items()}
_FORMAT = re.compile(r"^\s*\[(html|plain|markdown|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_MARKERS = re.compile(r"([=~])")
_COMMENT_META = re.compile(r"\[(id|tag):([^\]]*)\]")


class _Bad(Exception):
    """The question cannot be read; the message says why."""


def _hide(text: str) -> str:
    return _ESCAPE.sub(lambda match: _HIDDEN[match[1]], text)


def _show(text: str) -> str:
    return "".join(_SHOWN.get(char, char) for char in text)


def _split_format(text: str, default: str) -> tuple[str, str]:
    match = _FORMAT.match(text)
    if match:
        return match[1].lower(), text[match.end():]
    return default, text


def _as_html(text: str, text_format: str) -> str:
    text = _show(text).strip()
    if text_format == "html":
        return sanitize_html(text)
    if text_format == "plain":
        return plain_to_html(text)
    if text_format == "markdown":
        return markdown_to_html(text)
    return moodle_auto_to_html(text)


def _as_text(text: str, default_format: str, *, keep_lines: bool = False) -> str:
    text_format, text = _split_format(text, default_format)
    text = _show(text).strip()
    if text_format in ("html", "moodle"):
        return html_to_text(text, keep_lines=keep_lines)
    return text if keep_lines else " ".join(text.split())


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """The file's lines grouped at blank lines, each with its line number."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for number_, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks[-1].append((number_, line))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def parse_gift(text: str) -> ParseResult:
    """Read a GIFT file (already decoded)."""
    result = ParseResult()
    category = None
    for block in _blocks(text):
        comments = [line for _n, line in block if line.lstrip().startswith("//")]
        lines = [(n, line) for n, line in block if not line.lstrip().startswith("//")]
        if lines and lines[0][1].lstrip().startswith("$CATEGORY:"):
            category = category_name(lines[0][1].split(":", 1)[1]) or None
            lines = lines[1:]
        if not lines:
            continue
        start = lines[0][0]
        try:
            question = _question(lines, start)
        except _Bad as bad:
            result.problems.append(Problem(bad.args[1] if len(bad.args) > 1 else start,
                                           bad.args[0]))
            continue
        if question is None:
            title = _title(lines)
            result.skipped.append(Problem(start, _(
                "“%(name)s” has no answers: a description, not imported.") % {"name": title}))
            continue
        question.category = category
        for comment in comments:
            for key, value in _COMMENT_META.findall(comment):
                if key == "id":
                    question.source_id, question.uid = value.strip(), uid_of(value.strip())
                else:
                    apply_tag(question, value)
        result.questions.append(question)
    return result


def _title(lines: list[tuple[int, str]]) -> str:
    text = " ".join(line for _n, line in lines).strip()
    match = re.match(r"::(.*?)::", _hide(text))
    return _show(match[1]).strip() if match else text[:60]


def _question(lines: list[tuple[int, str]], start: int) -> QuestionData | None:
    text = _hide("\n".join(line for _n, line in lines).strip())
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Bad(_("the title is not closed with “::”."))
        name, text = _show(text[2:end]).strip(), text[end + 2:]
    label = name or _show(text)[:60].strip()
    opening = text.find("{")
    if opening < 0:
        if "}" in text:
            raise _Bad(_("“%(name)s”: a “}” without its “{”.") % {"name": label})
        return None
    closing = text.find("}", opening)
    brace_line = start + text[:opening].count("\n")
    if closing < 0:
        raise _Bad(_("“%(name)s”: the answers' “{” is never closed by a “}”.")
                   % {"name": label}, brace_line)
    answers, after = text[opening + 1:closing], text[closing + 1:]
    if "{" in answers or "{" in after:
        raise _Bad(_("“%(name)s”: more than one “{”; write \\{ for a brace in a text.")
                   % {"name": label}, brace_line)
    text_format, before = _split_format(text[:opening], "moodle")
    prompt = before.strip() + (" _____ " + after.strip() if after.strip() else "")
    answers, _sep, general = answers.partition("####")
    question = QuestionData(kind="", name=name, prompt_html=_as_html(prompt, text_format),
                            explanation=_as_text(general, text_format, keep_lines=True),
                            line=start)
    try:
        _answers(question, answers.strip(), text_format)
    except _Bad as bad:
        raise _Bad(_("“%(name)s”: %(reason)s") % {"name": label, "reason": bad.args[0]},
                   brace_line) from None
    return question


def _answers(question: QuestionData, answers: str, text_format: str) -> None:
    if not answers:
        raise _Bad(_("an essay (marked by hand) is not supported."))
    if answers.startswith("#"):
        _numerical(question, answers[1:], text_format)
    elif "~" in answers:
        _choice(question, answers, text_format)
    elif "=" not in answers:
        _true_false(question, answers, text_format)
    elif "->" in answers:
        _matching(question, answers, text_format)
    else:
        _short_answer(question, answers, text_format)


def _parts(answers: str) -> list[tuple[str, str]]:
    """The answers as (marker, text) pairs, marker "=" or "~"."""
    pieces = _MARKERS.split(answers)
    if pieces[0].strip():
        raise _Bad(_("“%(text)s” is not an answer: each answer starts with = or ~.")
                   % {"text": _show(pieces[0]).strip()})
    return list(zip(pieces[1::2], pieces[2::2], strict=True))


def _weighted(marker: str, text: str) -> tuple[float, str]:
    match = _WEIGHT.match(text)
    if match:
        return float(match[1]) / 100, text[match.end():]
    return (1.0 if marker == "=" else 0.0), text


def _with_feedback(text: str, text_format: str) -> tuple[str, str]:
    answer, _sep, feedback = text.partition("#")
    return answer, _as_text(feedback, text_format)


def _choice(question: QuestionData, answers: str, text_format: str) -> None:
    for marker, body in _parts(answers):
        fraction, body = _weighted(marker, body)
        answer, feedback = _with_feedback(body, text_format)
        question.options.append(OptionData(text=_as_text(answer, text_format),
                                           fraction=fraction, feedback=feedback))
    positive = [option for option in question.options if option.fraction > 0]
    full = any(option.fraction >= CORRECT_FROM for option in question.options)
    question.kind = "multiple_response" if not full and len(positive) > 1 else "single_choice"


def _true_false(question: QuestionData, answers: str, text_format: str) -> None:
    value, *feedbacks = answers.split("#")
    value = value.strip().upper()
    if value not in ("T", "TRUE", "F", "FALSE"):
        raise _Bad(_("“%(text)s” is not an answer; write {=…}, {~…}, {#…} or {T}/{F}.")
                   % {"text": _show(answers).strip()})
    wrong, right = ([_as_text(text, text_format) for text in feedbacks] + ["", ""])[:2]
    is_true = value in ("T", "TRUE")
    question.kind = "true_false"
    question.shuffle_options = False
    question.options = [
        OptionData(text="true", fraction=1.0 if is_true else 0.0,
                   feedback=right if is_true else wrong),
        OptionData(text="false", fraction=0.0 if is_true else 1.0,
                   feedback=wrong if is_true else right),
    ]


def _matching(question: QuestionData, answers: str, text_format: str) -> None:
    question.kind = "matching"
    for marker, body in _parts(answers):
        if marker != "=" or "->" not in body:
            raise _Bad(_("a matching item is written “=item -> answer”."))
        stem, match = body.split("->", 1)
        match = match.partition("#")[0]
        if _split_format(stem, text_format)[1].strip() and not _as_text(stem, text_format):
            raise _Bad(_("an item to match has no text (an image only); items must be text "
                         "here."))
        question.options.append(OptionData(
            text=_as_text(stem, text_format), match=_as_text(match, "plain")[:500],
            fraction=1.0 if stem.strip() else 0.0))


def _short_answer(question: QuestionData, answers: str, text_format: str) -> None:
    question.kind = "short_answer"
    for marker, body in _parts(answers):
        fraction, body = _weighted(marker, body)
        answer, feedback = _with_feedback(body, text_format)
        question.options.append(OptionData(text=_show(answer).strip(), fraction=fraction,
                                           feedback=feedback))


def _numerical(question: QuestionData, answers: str, text_format: str) -> None:
    question.kind = "numerical"
    pieces = _MARKERS.split(answers)
    first = pieces[0].strip()
    parts = [("=", first)] if first else []
    parts += list(zip(pieces[1::2], pieces[2::2], strict=True))
    if not parts:
        raise _Bad(_("a number question has no answer."))
    for marker, body in parts:
        fraction, body = _weighted(marker, body)
        answer, feedback = _with_feedback(body, text_format)
        value, tolerance = _number_answer(_show(answer).strip(), marker)
        question.options.append(OptionData(text=value, fraction=fraction,
                                           tolerance=tolerance, feedback=feedback))


def _number_answer(answer: str, marker: str) -> tuple[str, float | None]:
    if not answer and marker == "~":
        return "*", None  # "~#feedback": any other answer
    if answer == "*":
        return "*", None
    if ".." in answer:
        low, high = (number(part) for part in answer.split("..", 1))
        if low is None or high is None:
            raise _Bad(_("the range “%(value)s” is not two numbers.") % {"value": answer})
        low, high = min(low, high), max(low, high)
        return _plain_number((low + high) / 2), (high - low) / 2 or None
    value_text, _sep, tolerance_text = answer.partition(":")
    value = number(value_text)
    tolerance = number(tolerance_text) if tolerance_text.strip() else 0.0
    if value is None or tolerance is None:
        raise _Bad(_("“%(value)s” is not a number (or number:tolerance).") % {"value": answer})
    return value_text.strip(), abs(tolerance) or None


def _plain_number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)
