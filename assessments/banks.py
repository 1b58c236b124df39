"""Import question banks from Moodle XML and GIFT files, and export them as Moodle XML.

An import reads the whole file first, checks every question, then saves all the good
ones in one transaction; each question left out is reported with its line and the reason.
Importing a file again updates its questions rather than adding them twice: a question is
known by its Moodle idnumber (our uid when we wrote the file) or, without one, by its type,
name, text and options within the bank."""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.log_actions import log

from .formats.common import OptionData, ParseResult, Problem, QuestionData
from .formats.export import bank_to_moodle_xml
from .formats.gift import parse_gift
from .formats.moodle_xml import parse_moodle_xml
from .formats.validate import problems_of
from .models import Question, QuestionBank, QuestionOption

MAX_IMPORT_BYTES = 50 * 1024 * 1024
IDNUMBER_NAMESPACE = uuid.UUID("8f5b3f0e-2d6c-4d0f-9a7e-6c1b5d4a3e21")
FORMATS = {".xml": "moodle_xml", ".gift": "gift", ".txt": "gift"}
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    fmt: str = ""

    @property
    def errors(self) -> list[Problem]:
        """The questions that were not imported."""
        return [problem for problem in self.problems if not problem.warning]

    @property
    def warnings(self) -> list[Problem]:
        """What did not carry over in questions that were imported."""
        return [problem for problem in self.problems if problem.warning]


def _format_of(filename: str, data: bytes) -> str:
    extension = os.path.splitext(filename.lower())[1]
    if extension in FORMATS:
        return FORMATS[extension]
    head = data.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
    return "moodle_xml" if head == b"<" else "gift"


def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    """The text of a file in UTF-8 (with or without a byte-order mark) or UTF-16 with one;
    anything else is refused with a message that says how to fix it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, Problem(line, _(
            "The file is not UTF-8 text (the first character that is not is on line "
            "%(line)d). Save it as UTF-8 (Unicode) and import it again; nothing was "
            "imported.") % {"line": line})


def _parse(data: bytes, fmt: str) -> ParseResult:
    if fmt == "moodle_xml":
        declared = _XML_ENCODING.match(data.lstrip(codecs.BOM_UTF8))
        utf8 = declared is None or declared[1].lower().replace(b"_", b"-") in (b"utf-8", b"utf8")
        if utf8 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            _text, problem = _decode(data)
            if problem:
                return ParseResult(problems=[problem])
        return parse_moodle_xml(data)
    text, problem = _decode(data)
    if problem:
        return ParseResult(problems=[problem])
    return parse_gift(text or "")


def bank_import(*, bank: QuestionBank, data: bytes, filename: str, fmt: str | None = None,
                user=None) -> ImportReport:
    """Import the questions of a Moodle XML or GIFT file into ``bank``. ``fmt`` is
    ``moodle_xml`` or ``gift``; by default it is taken from the file name or content."""
    fmt = fmt or _format_of(filename, data)
    report = ImportReport(fmt=fmt)
    if not data.strip():
        report.problems.append(Problem(1, _("The file is empty; nothing was imported.")))
        return report
    if len(data) > MAX_IMPORT_BYTES:
        report.problems.append(Problem(1, _(
            "The file is larger than %(size)d MB; split it and import the parts.")
            % {"size": MAX_IMPORT_BYTES // (1024 * 1024)}))
        return report
    parsed = _parse(data, fmt)
    report.problems.extend(parsed.problems)
    report.skipped.extend(parsed.skipped)
    valid: list[QuestionData] = []
    seen: dict[str, int] = {}
    for data_item in parsed.questions:
        problems = problems_of(data_item)
        if not problems:
            data_item.uid = _uid(bank, data_item)
            if data_item.uid in seen:
                problems = [Problem(data_item.line, _(
                    "“%(name)s” repeats the question on line %(line)d (same identifier, or "
                    "same question and answers); left out.")
                    % {"name": data_item.name, "line": seen[data_item.uid]})]
            else:
                seen[data_item.uid] = data_item.line
        if problems:
            report.problems.extend(problems)
            continue
        if data_item.image and not _is_image(data_item.image[1]):
            report.problems.append(Problem(data_item.line, _(
                "“%(name)s”: the image “%(file)s” could not be read and was left out.")
                % {"name": data_item.name, "file": data_item.image[0]}, warning=True))
            data_item.image = None
        valid.append(data_item)
    with transaction.atomic():
        for data_item in valid:
            existing = Question.objects.select_for_update().filter(uid=data_item.uid).first()
            if existing is not None and existing.bank_id != bank.pk:
                report.problems.append(Problem(data_item.line, _(
                    "“%(name)s” is already in the question bank “%(bank)s”; it was not "
                    "changed.") % {"name": data_item.name, "bank": existing.bank}))
                continue
            question = question_from_data(bank, data_item, question=existing)
            log(instance=question, action="wagtail.edit" if existing else "wagtail.create",
                user=user)
            if existing is None:
                report.created += 1
            else:
                report.updated += 1
    report.problems.sort(key=lambda problem: problem.line)
    return report


def _uid(bank: QuestionBank, data: QuestionData) -> str:
    """A question's uid: its idnumber when that is a UUID; otherwise one derived from the
    bank and the idnumber or, without one, from the question's type, name, text and
    options, so that importing the same file again does not add its questions twice."""
    if data.uid:
        return data.uid
    if data.source_id:
        return str(uuid.uuid5(IDNUMBER_NAMESPACE, f"{bank.pk}/{data.source_id}"))
    options = [(o.text, o.match, o.fraction, o.tolerance) for o in data.options]
    content = f"{bank.pk}/{data.kind}/{data.name}/{data.prompt_html}/{options!r}"
    return str(uuid.uuid5(IDNUMBER_NAMESPACE, content))


def _decimal(value: float, places: str) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(places))


def question_from_data(bank: QuestionBank, data: QuestionData, *,
                       question: Question | None = None) -> Question:
    """Save ``data`` as a question of ``bank`` (a new one, or ``question`` rewritten with
    its options replaced). ``data`` is expected to have passed ``problems_of``."""
    if question is None:
        question = Question(uid=data.uid) if data.uid else Question()
    question.bank = bank
    question.kind = data.kind
    question.name = data.name[:255]
    question.prompt = data.prompt_html
    question.competency = data.competency[:64]
    question.difficulty = data.difficulty if data.difficulty in (1, 2, 3) else 2
    question.default_mark = _decimal(data.default_mark, "0.01")
    question.shuffle_options = data.shuffle_options
    question.case_sensitive = data.case_sensitive
    question.feedback_correct = data.feedback_correct
    question.feedback_partial = data.feedback_partial
    question.feedback_wrong = data.feedback_wrong
    question.explanation = data.explanation
    question.active = data.active
    if data.image:
        question.image = _image(*data.image, title=data.name or data.image[0])
    question.save()
    QuestionOption.objects.filter(question=question).delete()
    QuestionOption.objects.bulk_create([
        QuestionOption(
            question=question, sort_order=index, text=option.text, match=option.match[:500],
            fraction=_decimal(option.fraction, "0.0000001"), feedback=option.feedback,
            tolerance=(None if option.tolerance is None
                       else _decimal(option.tolerance, "0.0000001")))
        for index, option in enumerate(data.options)
    ])
    return question


def _is_image(content: bytes) -> bool:
    try:
        with PILImage.open(io.BytesIO(content)) as picture:
            picture.verify()
    except Exception:  # noqa: BLE001 - any failure to decode means "not an image"
        return False
    return True


def _image(filename: str, content: bytes, *, title: str):
    """The Wagtail image holding ``content``: the one already stored if the same file was
    imported before, else a new one."""
    image_model = get_image_model()
    digest = hashlib.sha1(content).hexdigest()  # Wagtail's own file_hash
    existing = image_model.objects.filter(file_hash=digest).first()
    if existing is not None:
        return existing
    image = image_model(title=title[:255], file=ImageFile(io.BytesIO(content), name=filename))
    image._set_image_file_metadata()
    image.save()
    return image


def question_data(question: Question) -> QuestionData:
    """A saved question as the format writers take it."""
    image = None
    if question.image_id:
        try:
            with question.image.open_file() as file:
                image = (os.path.basename(question.image.file.name), file.read())
        except (OSError, ValueError):
            image = None
    return QuestionData(
        kind=question.kind, name=question.name or str(question), prompt_html=question.prompt,
        options=[OptionData(text=option.text, match=option.match,
                            fraction=float(option.fraction),
                            tolerance=None if option.tolerance is None
                            else float(option.tolerance),
                            feedback=option.feedback)
                 for option in question.options.all()],
        competency=question.competency, difficulty=question.difficulty,
        default_mark=float(question.default_mark), shuffle_options=question.shuffle_options,
        case_sensitive=question.case_sensitive, feedback_correct=question.feedback_correct,
        feedback_partial=question.feedback_partial, feedback_wrong=question.feedback_wrong,
        explanation=question.explanation, uid=str(question.uid), image=image,
        active=question.active,
    )


def questions_export(questions: Iterable[Question], *, category: str) -> bytes:
    return bank_to_moodle_xml((question_data(question) for question in questions), category)


def bank_export(*, bank: QuestionBank) -> bytes:
    """The bank's questions (retired ones marked hidden) as a Moodle XML file."""
    questions = (bank.questions.select_related("image").prefetch_related("options")
                 .order_by("pk"))
    return questions_export(questions, category=bank.name)


QUESTION_CONTENT_FIELDS = ("bank_id", "kind", "prompt", "prompt_en", "competency", "difficulty",
                           "explanation", "explanation_en", "active")
OPTION_CONTENT_FIELDS = ("text", "text_en", "fraction", "feedback", "feedback_en")


def question_content(question: Question) -> dict[str, object]:
    """What a question says, as plain data (to tell whether it changed): the fields a
    course pack writes and its options in order."""
    return {
        **{name: getattr(question, name) for name in QUESTION_CONTENT_FIELDS},
        "options": [{name: (float(getattr(option, name)) if name == "fraction"
                            else getattr(option, name)) for name in OPTION_CONTENT_FIELDS}
                    for option in question.options.order_by("sort_order", "pk")]
        if question.pk else [],
    }


@transaction.atomic
def question_write(*, question: Question, fields: dict[str, object],
                   options: list[dict[str, object]]) -> Question:
    """Save ``question`` with ``fields`` and exactly ``options`` (dicts of
    ``OPTION_CONTENT_FIELDS``), rewriting its existing options in place so their ids stay
    (past attempts keep their own snapshot either way)."""
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    existing = list(QuestionOption.objects.filter(question=question).order_by("sort_order", "pk"))
    for index, values in enumerate(options):
        option = existing[index] if index < len(existing) else QuestionOption(question=question)
        option.sort_order = index
        for name, value in values.items():
            setattr(option, name, _decimal(float(value), "0.0000001")  # type: ignore[arg-type]
                    if name == "fraction" else value)
        option.save()
    QuestionOption.objects.filter(pk__in=[o.pk for o in existing[len(options):]]).delete()
    return question
