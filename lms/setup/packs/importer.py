"""Write a checked course pack (format v2) into Wagtail pages and question banks.

Idempotent: the course is found by its code, lessons by slug under it, the exam by its
slug, each lesson's practice quiz by ``PRACTICE_SLUG`` under the lesson, and questions by
a uid derived from the course code and the question key. Nothing is duplicated and no
page changes identity, so learners' progress (kept against activity ids: the course code
and each page's translation_key) stays.

Editors' changes are respected: after writing a page or question the importer records a
hash of its content (``ImportedContent``); if the content no longer has that hash on the
next import, an editor changed it, and it is kept and reported unless ``force`` is set
(then a new revision is published, so the editor's version stays in the history)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import Page

from assessments.banks import question_content, question_write
from assessments.models import Question, QuestionBank, QuizPage
from assessments.validation import question_problems
from certificates.models import CertificateType
from courses.competencies import competencies_load, known_codes
from courses.models import CoursePage, LessonPage
from courses.services import course_requirements_sync

from ..coursepack import _CERTIFICATE_WORDING, _authority, catalog_ensure
from ..models import ImportedContent
from .fields import course_fields, exam_fields, lesson_fields, practice_fields, question_options
from .markdown import ImageRef, inline_html
from .reader import CoursePack, PackError, QuestionSource, pack_read

PRACTICE_SLUG = "luyen-tap"
QUESTION_NAMESPACE = uuid.UUID("0c5c9a52-6b0e-4f43-8f0f-8d2b0f1e7a31")
KEPT_MESSAGE = "edited in the CMS since the last import: kept (use --force to overwrite)"
FOREIGN_MESSAGE = "not made by the importer: kept (use --force to overwrite)"
OUTCOMES = ("created", "updated", "unchanged", "kept", "retired")


@dataclass
class ImportReport:
    """What one pack's import did, object by object."""

    pack: str
    lines: list[tuple[str, str, str]] = field(default_factory=list)  # outcome, what, note
    course: CoursePage | None = None

    def add(self, outcome: str, what: str, note: str = "") -> None:
        self.lines.append((outcome, what, note))

    @property
    def counts(self) -> Counter[str]:
        return Counter(outcome for outcome, _what, _note in self.lines)

    def summary(self) -> str:
        counts = self.counts
        return ", ".join(f"{counts.get(name, 0)} {name}" for name in OUTCOMES)


def question_uid(code: str, key: str) -> uuid.UUID:
    return uuid.uuid5(QUESTION_NAMESPACE, f"{code}/{key}")


def _plain(value: Any) -> Any:
    if isinstance(value, StreamValue):
        return _without_ids(value.stream_block.get_prep_value(value))
    return value


def _without_ids(data: Any) -> Any:
    """Stream data without the block ids Wagtail generates (they say nothing of content)."""
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    if isinstance(data, dict):
        return {key: _without_ids(value) for key, value in data.items()
                if not (key == "id" and "type" in data)}
    return data


def _digest(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_digest(page: Page, names: list[str]) -> str:
    return _digest({name: _plain(getattr(page, name)) for name in names})


def _current(page: Page) -> Page:
    """The page as an editor last saved it (a draft included)."""
    return page.get_latest_revision_as_object() if page.latest_revision_id else page


class _Writer:
    def __init__(self, pack: CoursePack, *, force: bool) -> None:
        self.pack = pack
        self.force = force
        self.report = ImportReport(pack=pack.folder.name)
        self.images: dict[Path, Any] = {}

    # --- edit detection ----------------------------------------------------------------

    def _decide(self, key: str, current: str, desired: str, what: str) -> str:
        """``write``, ``skip`` (unchanged) or ``keep`` (an editor's change)."""
        recorded = ImportedContent.objects.filter(key=key).first()
        if not self.force:
            if recorded is None:
                self.report.add("kept", what, FOREIGN_MESSAGE)
                return "keep"
            if recorded.digest != current:
                self.report.add("kept", what, KEPT_MESSAGE)
                return "keep"
        if desired == current:
            self._record(key, current)
            self.report.add("unchanged", what)
            return "skip"
        return "write"

    def _record(self, key: str, digest: str) -> None:
        ImportedContent.objects.update_or_create(
            key=key, defaults={"digest": digest, "pack": self.pack.folder.name})

    # --- pages -------------------------------------------------------------------------

    def page(self, *, parent: Page, model: type[Page], page: Page | None, slug: str,
             fields: dict[str, Any], what: str, identity: dict[str, Any] | None = None) -> Page:
        """Create or update one page; ``identity`` holds fields set only on creation."""
        names = list(fields)
        if page is None:
            page = model(slug=slug, **(identity or {}), **fields)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self._record(f"page:{page.pk}", page_digest(_current(page), names))
            self.report.add("created", what)
            return page
        current = _current(page)
        before = page_digest(current, names)
        for name, value in fields.items():
            setattr(current, name, value)
        decision = self._decide(f"page:{page.pk}", before, page_digest(current, names), what)
        if decision != "write":
            return page
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision().publish()
        page.refresh_from_db()
        self._record(f"page:{page.pk}", page_digest(_current(page), names))
        self.report.add("updated", what)
        return page

    # --- questions ---------------------------------------------------------------------

    def question(self, bank: QuestionBank, source: QuestionSource) -> Question:
        uid = question_uid(self.pack.code, source.key)
        fields: dict[str, Any] = {
            "bank_id": bank.pk, "kind": source.kind,
            "prompt": inline_html(source.prompt["vi"]),
            "prompt_en": inline_html(source.prompt["en"]),
            "competency": source.competency, "difficulty": source.difficulty,
            "explanation": source.explanation["vi"].strip(),
            "explanation_en": source.explanation["en"].strip(), "active": True,
        }
        options = question_options(source)
        desired = {**fields, "options": options}
        what = f"question {source.key}"
        question = Question.objects.filter(uid=uid).first()
        if question is None:
            question = Question(uid=uid, name=source.key[:255])
            question_write(question=question, fields=fields, options=options)
            self._record(f"question:{uid}", _digest(question_content(question)))
            self.report.add("created", what)
            return question
        decision = self._decide(f"question:{uid}", _digest(question_content(question)),
                                _digest(desired), what)
        if decision == "write":
            question_write(question=question, fields=fields, options=options)
            self._record(f"question:{uid}", _digest(question_content(question)))
            self.report.add("updated", what)
        return question

    def bank(self, name: str, description: str, sources: list[QuestionSource]) -> QuestionBank:
        bank, _created = QuestionBank.objects.get_or_create(
            name=name, defaults={"description": description})
        keep = {question_uid(self.pack.code, s.key) for s in sources}
        for source in sources:
            self.question(bank, source)
        imported = set(ImportedContent.objects.filter(key__startswith="question:")
                       .values_list("key", flat=True))
        for question in bank.questions.filter(active=True).exclude(uid__in=keep):
            if f"question:{question.uid}" in imported:  # the pack dropped it: no more draws
                question.active = False
                question.save(update_fields=["active", "updated_at"])
                self._record(f"question:{question.uid}", _digest(question_content(question)))
                self.report.add("retired", f"question {question.name}")
        return bank

    # --- images ------------------------------------------------------------------------

    def image(self, ref: ImageRef) -> Any:
        if ref.path not in self.images:
            content = ref.path.read_bytes()
            model = get_image_model()
            digest = hashlib.sha1(content).hexdigest()  # Wagtail's own file_hash
            image = model.objects.filter(file_hash=digest).first()
            if image is None:
                image = model(title=ref.path.stem[:255],
                              file=ImageFile(ref.path.open("rb"), name=ref.path.name))
                if ref.path.suffix.lower() == ".svg":
                    from willow.image import Image as WillowImage

                    with ref.path.open("rb") as handle:
                        width, height = WillowImage.open(handle).get_size()
                    image.width, image.height = int(width), int(height)
                image._set_image_file_metadata()
                image.save()
            self.images[ref.path] = image
        return self.images[ref.path]

    def blocks(self, blocks: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        return [(kind, {"image": self.image(value), "alt": value.alt[:255], "caption": ""})
                if isinstance(value, ImageRef) else (kind, value) for kind, value in blocks]


def _in_order(parent: Page, pages: list[Page]) -> None:
    """Put ``pages`` last under ``parent`` in the given order (only if they are not)."""
    paths = [Page.objects.get(pk=page.pk).path for page in pages]
    if paths == sorted(paths):
        return
    for page in pages:
        Page.objects.get(pk=page.pk).move(Page.objects.get(pk=parent.pk), pos="last-child")


def _problems_of_options(pack: CoursePack) -> list[str]:
    """The assessments' own rules on each question's options (a safety net)."""
    problems = []
    for source in pack.all_questions():
        for problem in question_problems(source.kind, question_options(source)):
            problems.append(f"{source.file.name}: question {source.key}: {problem}")
    return problems


@transaction.atomic
def pack_write(pack: CoursePack, *, force: bool = False) -> ImportReport:
    problems = _problems_of_options(pack)
    if problems:
        raise PackError(problems)
    writer = _Writer(pack, force=force)
    code = pack.code
    catalog = catalog_ensure()
    course = CoursePage.objects.filter(code=code).first()
    course = writer.page(parent=catalog, model=CoursePage, page=course,
                         slug=pack.folder.name, fields=course_fields(pack.course),
                         what=f"course {code}",
                         identity={"code": code})
    course = CoursePage.objects.get(pk=course.pk)
    writer.report.course = course

    practice_bank_sources = [q for lesson in pack.lessons for q in lesson.questions]
    writer.bank(f"{code}: {PRACTICE_SLUG}",
                                f"Practice questions of the course {code} (course pack).",
                                practice_bank_sources)
    exam_bank = writer.bank(f"{code}: {pack.exam['slug']}",
                            f"Final exam bank of the course {code} (course pack).",
                            pack.exam_questions)
    steps: list[Page] = []
    for lesson in pack.lessons:
        existing = LessonPage.objects.child_of(course).filter(slug=lesson.slug).first()
        page = writer.page(parent=course, model=LessonPage, page=existing, slug=lesson.slug,
                           fields=lesson_fields(lesson, writer.blocks),
                           what=f"lesson {lesson.slug}")
        steps.append(page)
        if lesson.questions:
            questions = [Question.objects.get(uid=question_uid(code, q.key))
                         for q in lesson.questions]
            practice = QuizPage.objects.child_of(page).filter(slug=PRACTICE_SLUG).first()
            writer.page(parent=page, model=QuizPage, page=practice, slug=PRACTICE_SLUG,
                        fields=practice_fields(questions),
                        what=f"practice quiz of {lesson.slug}")
    exam = QuizPage.objects.child_of(course).filter(slug=pack.exam["slug"]).first()
    steps.append(writer.page(parent=course, model=QuizPage, page=exam, slug=pack.exam["slug"],
                             fields=exam_fields(pack.exam, exam_bank),
                             what=f"exam {pack.exam['slug']}"))
    _in_order(course, steps)
    course_requirements_sync(course=course)
    certificate = pack.course.get("certificate")
    if certificate:
        CertificateType.objects.update_or_create(code=certificate["code"], defaults={
            "name": certificate["name"], "name_en": certificate.get("name_en", ""),
            "authority": _authority(certificate), "course": course,
            "validity_months": certificate.get("validity_months"),
            **{key: certificate[key] for key in _CERTIFICATE_WORDING if key in certificate},
        })
    return writer.report


def packs_import(*, folders: list[Path], force: bool = False,
                 competencies: Path | None = None) -> tuple[list[ImportReport],
                                                            dict[str, list[str]]]:
    """Load the competency frameworks, then import each pack in ``folders`` on its own
    (a refused pack does not stop the others). Returns the reports and, per refused
    folder, its problems."""
    competencies_load(folder=competencies)
    codes = known_codes(competencies)
    reports, refused = [], {}
    for folder in folders:
        try:
            pack = pack_read(folder, known_codes=codes)
            reports.append(pack_write(pack, force=force))
        except PackError as error:
            refused[str(folder)] = error.problems
        except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as error:
            # a value of the wrong type that the checks let through: nothing was written
            refused[str(folder)] = [f"{folder.name}: cannot be imported ({error!r})"]
    return reports, refused
