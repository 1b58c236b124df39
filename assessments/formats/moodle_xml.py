"""Read Moodle XML question files (the ``<quiz>`` format Moodle exports).

The file is parsed by lxml with entities left unresolved, no DTD loading and no network,
and a file that declares a document type is refused outright, so an "XML bomb" or an
external entity pointing at a local file does nothing. Each ``<question>`` becomes a
``QuestionData``, or a ``Problem`` with its line when its type is not one we grade."""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from lxml import etree

from .common import (
    OptionData,
    ParseResult,
    Problem,
    QuestionData,
    apply_tag,
    category_name,
    html_to_text,
    is_image_name,
    number,
    text_from,
    text_to_html,
    uid_of,
)

UNSUPPORTED = {
    "essay": _("essay (marked by hand)"),
    "cloze": _("embedded answers (Cloze)"),
    "multianswer": _("embedded answers (Cloze)"),
    "calculated": _("calculated"),
    "calculatedsimple": _("simple calculated"),
    "calculatedmulti": _("calculated multichoice"),
    "ddwtos": _("drag and drop into text"),
    "gapselect": _("select missing words"),
    "ddimageortext": _("drag and drop onto image"),
    "ddmarker": _("drag and drop markers"),
    "random": _("random question"),
    "randomsamatch": _("random short-answer matching"),
}


class _Skip(Exception):
    """The question cannot be imported; the message says why."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False)


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext(tag=etree.Element))


def _field(question: etree._Element, path: str, default: str = "") -> str:
    found = question.find(path)
    return _text(found).strip() if found is not None else default


def _formatted(element: etree._Element | None, default_format: str = "html") -> tuple[str, str]:
    """The text of a ``<x format="..."><text>…</text></x>`` element and its format."""
    if element is None:
        return "", default_format
    return _text(element.find("text")), element.get("format") or default_format


def _plain(element: etree._Element | None, *, keep_lines: bool = True) -> str:
    text, text_format = _formatted(element)
    return text_from(text, text_format, keep_lines=keep_lines)


def _flag(value: str, default: bool) -> bool:
    value = value.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return default


def _fraction(answer: etree._Element) -> float:
    """An answer's grade: Moodle writes percents ("33.33333"), we keep a fraction."""
    value = answer.get("fraction", "0").strip() or "0"
    try:
        percent = Decimal(value)
    except InvalidOperation:
        percent = Decimal("NaN")
    if not percent.is_finite():
        raise _Skip(_("an answer's grade “%(value)s” is not a number.") % {"value": value})
    return float(percent / 100)


def parse_moodle_xml(data: bytes) -> ParseResult:
    """Read a Moodle XML file. A file that is not well-formed XML gives one problem (with
    the line of the error) and no questions."""
    result = ParseResult()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        result.problems.append(Problem(line, _(
            "The file is not well-formed XML, nothing was imported: %(error)s")
            % {"error": error.msg}))
        return result
    if root.getroottree().docinfo.doctype:
        result.problems.append(Problem(1, _(
            "The file declares a document type (DTD); question files never do, so it was "
            "refused and nothing was imported.")))
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(root.sourceline or 1, _(
            "The file's root element is <%(tag)s>, not <quiz>: it is not a Moodle XML "
            "question file. Nothing was imported.") % {"tag": root.tag}))
        return result
    category = None
    for element in root.iterchildren("question"):
        qtype = element.get("type", "")
        line = element.sourceline or 0
        name = html_to_text(_field(element, "name/text"))
        if qtype == "category":
            category = category_name(_field(element, "category/text")) or None
            continue
        if qtype == "description":
            result.skipped.append(Problem(line, _(
                "“%(name)s” is a description (text without a question), not imported.")
                % {"name": name}))
            continue
        reader = READERS.get(qtype)
        if reader is None:
            label = UNSUPPORTED.get(qtype, qtype)
            result.problems.append(Problem(line, _(
                "“%(name)s”: the question type “%(type)s” is not supported.")
                % {"name": name, "type": label}))
            continue
        warnings: list[Problem] = []
        try:
            question = _common(element, name, line, warnings)
            reader(element, question, warnings)
        except _Skip as skip:
            result.problems.append(Problem(line, _("“%(name)s”: %(reason)s")
                                           % {"name": name, "reason": skip.args[0]}))
            continue
        question.category = category
        result.questions.append(question)
        result.problems.extend(warnings)
    return result


def _common(element: etree._Element, name: str, line: int,
            warnings: list[Problem]) -> QuestionData:
    raw_prompt, prompt_format = _formatted(element.find("questiontext"))
    idnumber = _field(element, "idnumber")
    mark = number(_field(element, "defaultgrade", "1") or "1")
    question = QuestionData(
        kind="", name=name, prompt_html=text_to_html(raw_prompt, prompt_format),
        default_mark=1.0 if mark is None else mark,
        shuffle_options=_flag(_field(element, "shuffleanswers"), True),
        feedback_correct=_plain(element.find("correctfeedback")),
        feedback_partial=_plain(element.find("partiallycorrectfeedback")),
        feedback_wrong=_plain(element.find("incorrectfeedback")),
        explanation=_plain(element.find("generalfeedback")),
        uid=uid_of(idnumber), source_id=idnumber,
        active=not _flag(_field(element, "hidden"), False), line=line,
    )
    _read_tags(element, question)
    _read_image(element, question, raw_prompt, warnings)
    return question


def _read_tags(element: etree._Element, question: QuestionData) -> None:
    for tag in element.findall("tags/tag"):
        apply_tag(question, _field(tag, "text"))


def _read_image(element: etree._Element, question: QuestionData, raw_prompt: str,
                warnings: list[Problem]) -> None:
    for file in element.findall("questiontext/file"):
        filename = file.get("name", "")
        if question.image is None and is_image_name(filename):
            try:
                content = base64.b64decode(_text(file), validate=False)
            except (binascii.Error, ValueError):
                content = b""
            if content:
                question.image = (filename, content)
                continue
        warnings.append(Problem(question.line, _(
            "“%(name)s”: the file “%(file)s” attached to the text was left out (a question "
            "keeps one image).") % {"name": question.name, "file": filename}, warning=True))
    inline = len(re.findall(r"<img\b", raw_prompt, re.IGNORECASE))
    if inline > (1 if question.image else 0) and not element.findall("questiontext/file"):
        warnings.append(Problem(question.line, _(
            "“%(name)s”: images inside the text were left out.") % {"name": question.name},
            warning=True))


def _answers(element: etree._Element) -> list[etree._Element]:
    return element.findall("answer")


def _choice(element: etree._Element, question: QuestionData, warnings: list[Problem]) -> None:
    single = _flag(_field(element, "single"), True)
    question.kind = "single_choice" if single else "multiple_response"
    for answer in _answers(element):
        text, text_format = _formatted(answer)
        question.options.append(OptionData(
            text=text_from(text, text_format), fraction=_fraction(answer),
            feedback=_plain(answer.find("feedback"))))


def _true_false(element: etree._Element, question: QuestionData,
                warnings: list[Problem]) -> None:
    question.kind = "true_false"
    question.shuffle_options = False
    found: dict[str, OptionData] = {}
    for answer in _answers(element):
        text = _field(answer, "text").lower()
        if text not in ("true", "false"):
            raise _Skip(_("a true/false answer must be “true” or “false”, not “%(text)s”.")
                        % {"text": text})
        found[text] = OptionData(text=text, fraction=_fraction(answer),
                                 feedback=_plain(answer.find("feedback")))
    if set(found) != {"true", "false"}:
        raise _Skip(_("a true/false question needs the answers “true” and “false”."))
    question.options = [found["true"], found["false"]]


def _matching(element: etree._Element, question: QuestionData,
              warnings: list[Problem]) -> None:
    question.kind = "matching"
    for sub in element.findall("subquestion"):
        text, text_format = _formatted(sub)
        stem = text_from(text, text_format)
        if text.strip() and not stem:
            raise _Skip(_("an item to match has no text (an image only); items must be "
                          "text here."))
        match = text_from(_field(sub, "answer/text"), "plain_text")
        if stem or match:
            question.options.append(OptionData(text=stem, match=match[:500],
                                               fraction=1.0 if stem else 0.0))


def _short_answer(element: etree._Element, question: QuestionData,
                  warnings: list[Problem]) -> None:
    question.kind = "short_answer"
    question.case_sensitive = _flag(_field(element, "usecase"), False)
    for answer in _answers(element):
        question.options.append(OptionData(
            text=text_from(_field(answer, "text"), "plain_text"), fraction=_fraction(answer),
            feedback=_plain(answer.find("feedback"))))


def _numerical(element: etree._Element, question: QuestionData,
               warnings: list[Problem]) -> None:
    question.kind = "numerical"
    for answer in _answers(element):
        value = _field(answer, "text")
        tolerance_text = _field(answer, "tolerance")
        tolerance = number(tolerance_text) if tolerance_text else None
        if tolerance_text and tolerance is None:
            raise _Skip(_("the tolerance “%(value)s” is not a number.")
                        % {"value": tolerance_text})
        question.options.append(OptionData(
            text=value, fraction=_fraction(answer),
            tolerance=abs(tolerance) if tolerance else None,
            feedback=_plain(answer.find("feedback"))))
    if element.find("units/unit") is not None:
        warnings.append(Problem(question.line, _(
            "“%(name)s”: units were left out; learners answer with the number only.")
            % {"name": question.name}, warning=True))


def _ordering(element: etree._Element, question: QuestionData,
              warnings: list[Problem]) -> None:
    question.kind = "ordering"
    question.shuffle_options = True
    answers = _answers(element)
    positions = [number(answer.get("fraction", "")) for answer in answers]
    if None not in positions and len(set(positions)) == len(positions):
        answers = [answer for _pos, answer in sorted(zip(positions, answers, strict=True),
                                                     key=lambda pair: pair[0])]
    for answer in answers:
        text, text_format = _formatted(answer)
        question.options.append(OptionData(text=text_from(text, text_format), fraction=1.0,
                                           feedback=_plain(answer.find("feedback"))))
    grading = _field(element, "gradingtype").upper()
    if grading not in ("", "ABSOLUTE_POSITION", "0"):
        warnings.append(Problem(question.line, _(
            "“%(name)s”: Moodle graded it by “%(grading)s”; here each item in its right "
            "place earns its share.") % {"name": question.name, "grading": grading},
            warning=True))
    select = _field(element, "selecttype").upper()
    count = number(_field(element, "selectcount") or "0") or 0
    if select not in ("", "ALL", "0") and 0 < count < len(answers):
        warnings.append(Problem(question.line, _(
            "“%(name)s”: Moodle showed %(count)d of the items; here all are shown.")
            % {"name": question.name, "count": int(count)}, warning=True))


READERS = {
    "multichoice": _choice,
    "truefalse": _true_false,
    "matching": _matching,
    "ddmatch": _matching,
    "shortanswer": _short_answer,
    "numerical": _numerical,
    "ordering": _ordering,
}
