"""Write questions as a Moodle XML file, the way Moodle's own export writes them, so that
Moodle (or our importer) reads them back with their texts, options and grades."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from lxml import etree

from .common import DIFFICULTY_NAMES, OptionData, QuestionData, feedback_to_html, html_to_text

MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_response": "multichoice",
    "true_false": "truefalse",
    "matching": "matching",
    "ordering": "ordering",
    "numerical": "numerical",
    "short_answer": "shortanswer",
}
PENALTY = {"true_false": "1.0000000"}


def percent(fraction: float) -> str:
    """A fraction as Moodle writes an answer's grade: a percent with up to 7 decimals
    ("100", "33.33333", "-50")."""
    value = (Decimal(repr(fraction)) * 100).quantize(Decimal("0.0000001"))
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _decimal(value: float) -> str:
    return format(Decimal(repr(value)).quantize(Decimal("0.0000001")), "f")


def _add(parent: etree._Element, tag: str, text: str | None = None,
         **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        element.text = text
    return element


def _text(parent: etree._Element, tag: str, text: str, text_format: str = "html",
          *, cdata: bool = True) -> etree._Element:
    element = _add(parent, tag, format=text_format)
    inner = _add(element, "text")
    inner.text = etree.CDATA(text) if cdata and text else text
    return element


def _feedbacks(element: etree._Element, question: QuestionData) -> None:
    _text(element, "correctfeedback", feedback_to_html(question.feedback_correct))
    _text(element, "partiallycorrectfeedback", feedback_to_html(question.feedback_partial))
    _text(element, "incorrectfeedback", feedback_to_html(question.feedback_wrong))


def _answer(element: etree._Element, option: OptionData, fraction: str,
            *, tolerance: bool = False) -> None:
    answer = _add(element, "answer", fraction=fraction, format="plain_text")
    _add(answer, "text", option.text)
    _text(answer, "feedback", feedback_to_html(option.feedback))
    if tolerance:
        _add(answer, "tolerance", _decimal(option.tolerance or 0))


def _choice(element: etree._Element, question: QuestionData) -> None:
    single = question.kind == "single_choice"
    _add(element, "single", "true" if single else "false")
    _add(element, "shuffleanswers", "true" if question.shuffle_options else "false")
    _add(element, "answernumbering", "abc")
    _add(element, "showstandardinstruction", "0")
    _feedbacks(element, question)
    _add(element, "shownumcorrect")
    for option in question.options:
        _answer(element, option, percent(option.fraction))


def _true_false(element: etree._Element, question: QuestionData) -> None:
    for option in question.options:
        _answer(element, option, percent(option.fraction))


def _matching(element: etree._Element, question: QuestionData) -> None:
    _add(element, "shuffleanswers", "true" if question.shuffle_options else "false")
    _feedbacks(element, question)
    _add(element, "shownumcorrect")
    for option in question.options:
        sub = _text(element, "subquestion", feedback_to_html(option.text) if option.text else "")
        answer = _add(sub, "answer")
        _add(answer, "text", option.match)


def _ordering(element: etree._Element, question: QuestionData) -> None:
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                       ("gradingtype", "ABSOLUTE_POSITION"), ("showgrading", "SHOW"),
                       ("numberingstyle", "none")):
        _add(element, tag, value)
    _feedbacks(element, question)
    _add(element, "shownumcorrect", "1")
    for position, option in enumerate(question.options, start=1):
        _answer(element, option, f"{position}.0000000")


def _numerical(element: etree._Element, question: QuestionData) -> None:
    for option in question.options:
        _answer(element, option, percent(option.fraction), tolerance=True)
    for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0.1000000"),
                       ("showunits", "3"), ("unitsleft", "0")):
        _add(element, tag, value)


def _short_answer(element: etree._Element, question: QuestionData) -> None:
    _add(element, "usecase", "1" if question.case_sensitive else "0")
    for option in question.options:
        _answer(element, option, percent(option.fraction))


WRITERS = {
    "single_choice": _choice,
    "multiple_response": _choice,
    "true_false": _true_false,
    "matching": _matching,
    "ordering": _ordering,
    "numerical": _numerical,
    "short_answer": _short_answer,
}


def _question(root: etree._Element, question: QuestionData) -> None:
    element = _add(root, "question", type=MOODLE_TYPES[question.kind])
    name = question.name or html_to_text(question.prompt_html)[:80] or "-"
    _add(_add(element, "name"), "text", name)
    prompt = question.prompt_html
    if question.image:
        filename, _content = question.image
        prompt += f'<p><img src="@@PLUGINFILE@@/{quote(filename)}" alt=""></p>'
    text = _text(element, "questiontext", prompt)
    if question.image:
        filename, content = question.image
        _add(text, "file", base64.b64encode(content).decode("ascii"), name=filename,
             path="/", encoding="base64")
    _text(element, "generalfeedback", feedback_to_html(question.explanation))
    _add(element, "defaultgrade", _decimal(question.default_mark))
    _add(element, "penalty", PENALTY.get(question.kind, "0.3333333"))
    _add(element, "hidden", "0" if question.active else "1")
    _add(element, "idnumber", question.uid or question.source_id)
    WRITERS[question.kind](element, question)
    tags = _add(element, "tags")
    if question.competency:
        _add(_add(tags, "tag"), "text", f"competency:{question.competency}")
    difficulty = DIFFICULTY_NAMES.get(question.difficulty, "medium")
    _add(_add(tags, "tag"), "text", f"difficulty:{difficulty}")


def bank_to_moodle_xml(questions: Iterable[QuestionData], category: str) -> bytes:
    """A Moodle XML file holding a category (``$course$/top/<category>``) and the
    questions in it."""
    root = etree.Element("quiz")
    head = _add(root, "question", type="category")
    _add(_add(head, "category"), "text", f"$course$/top/{category}")
    _text(head, "info", "")
    _add(head, "idnumber", "")
    for question in questions:
        _question(root, question)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
