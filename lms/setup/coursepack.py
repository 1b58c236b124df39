"""Build a course's Wagtail pages from a course pack (YAML in content/). Idempotent: pages
are matched by course code and slug, and updated in place."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Page, Site

from assessments.banks import question_from_data
from assessments.formats.common import OptionData, QuestionData
from assessments.formats.validate import problems_of
from assessments.models import Question, QuestionBank, QuizPage
from certificates.models import CertificateType, IssuingAuthority
from courses.models import CatalogPage, CoursePage, LessonPage
from courses.services import course_requirements_sync

_CERTIFICATE_WORDING = ("heading", "heading_en", "statement", "statement_en",
                        "renewal_window_days")
_AUTHORITY_FIELDS = ("name", "name_en", "signer_name", "signer_title", "signer_title_en",
                     "location")


def _authority(certificate: dict) -> IssuingAuthority:
    """The pack's issuing authority (``issuer``), created or updated by its code; a pack
    with only the older ``issuer_name`` gets an authority of that name."""
    name = certificate.get("issuer_name", "HọcSố")
    issuer = certificate.get("issuer") or {"code": slugify(name)[:32], "name": name}
    authority, _ = IssuingAuthority.objects.update_or_create(code=issuer["code"], defaults={
        key: issuer[key] for key in _AUTHORITY_FIELDS if key in issuer})
    return authority


_CATALOG_EN = {"title_en": "Courses", "intro_en": (
    "Digital-skills courses for cadres, civil servants, public employees and community "
    "digital teams.")}


def catalog_ensure() -> CatalogPage:
    """The catalogue at the site root (replacing Wagtail's welcome page on a new site)."""
    catalog = CatalogPage.objects.first()
    if catalog is not None:
        if not catalog.title_en:  # made before pages had English
            CatalogPage.objects.filter(pk=catalog.pk).update(**_CATALOG_EN)
            catalog.refresh_from_db()
        return catalog
    root = Page.get_first_root_node()
    catalog = CatalogPage(title="Khóa học", slug="khoa-hoc", intro=(
        "Các khóa học kỹ năng số cho cán bộ, công chức, viên chức và tổ công nghệ số cộng đồng."),
        **_CATALOG_EN)
    root.add_child(instance=catalog)
    catalog.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=catalog,
                            is_default_site=True, site_name="HọcSố")
    else:
        old_root = site.root_page
        site.root_page = catalog
        site.site_name = "HọcSố"
        site.save()
        if old_root.pk != catalog.pk and old_root.depth == 2 and not old_root.get_children():
            old_root.delete()
    return catalog


def _body(blocks: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for block in blocks:
        if block["type"] == "text":
            out.append(("text", block["html"]))
        elif block["type"] == "callout":
            out.append(("callout", {"kind": block.get("kind", "info"),
                                    "title": block.get("title", ""), "body": block["html"]}))
        else:
            raise ValueError(f"unknown block type {block['type']!r}")
    return out


_PACK_NAMESPACE = uuid.UUID("5b0f6f43-8f4e-4d7b-9a53-3c1f1c7f3e0a")


def _options(question: dict[str, Any]) -> list[dict[str, Any]]:
    """A question's options in the pack: ``choices`` with ``correct`` (single choice), or
    ``options`` with their own ``fraction`` / ``match`` / ``tolerance``."""
    if "choices" in question:
        return [{"text": c["text"], "fraction": 1 if c.get("correct") else 0,
                 "feedback": c.get("feedback", "")} for c in question["choices"]]
    return question.get("options", [])


def _question_data(item: dict[str, Any], uid: uuid.UUID) -> QuestionData:
    return QuestionData(
        kind=item.get("kind", "single_choice"), name=item.get("name", ""),
        prompt_html=item.get("prompt_html") or f"<p>{escape(item['prompt'])}</p>",
        options=[OptionData(text=str(o.get("text", "")), match=o.get("match", ""),
                            fraction=float(o.get("fraction", 0)), tolerance=o.get("tolerance"),
                            feedback=o.get("feedback", ""))
                 for o in _options(item)],
        competency=item.get("competency", ""), difficulty=item.get("difficulty", 2),
        explanation=item.get("explanation", ""),
        feedback_correct=item.get("feedback_correct", ""),
        feedback_wrong=item.get("feedback_wrong", ""), uid=str(uid),
    )


def _question_bank(code: str, quiz: dict[str, Any]) -> list[tuple[str, Any]]:
    """The quiz's questions as a bank of their own (one per course quiz), updated in place:
    each question's identity is derived from the course code, quiz slug and position (or
    ``key``), so a re-import changes questions, never duplicates them. A question the
    editor's rules refuse stops the import with its number and reason."""
    bank, _created = QuestionBank.objects.get_or_create(name=f"{code}: {quiz['title']}")
    blocks = []
    for index, item in enumerate(quiz["questions"], start=1):
        uid = uuid.uuid5(_PACK_NAMESPACE, f"{code}/{quiz['slug']}/{item.get('key', index)}")
        data = _question_data(item, uid)
        problems = problems_of(data)
        if problems:
            raise ValueError(f"{code} quiz question {index}: "
                             + "; ".join(str(p.reason) for p in problems))
        question = question_from_data(bank, data,
                                      question=Question.objects.filter(uid=uid).first())
        blocks.append(("question", {"question": question}))
    return blocks


_QUIZ_RULES = ("kind", "time_limit_minutes", "max_attempts", "cooldown_minutes",
               "grading_method", "review_policy", "shuffle_questions",
               "allow_retake_after_pass")


def _upsert_child(parent: Page, model: type[Page], slug: str, fields: dict[str, Any]) -> Page:
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    page.save_revision().publish()
    return page


@transaction.atomic
def course_pack_load(*, path: Path) -> CoursePage:
    pack = yaml.safe_load(path.read_text(encoding="utf-8"))
    catalog = catalog_ensure()
    course = CoursePage.objects.filter(code=pack["code"]).first()
    fields = {"title": pack["title"], "summary": pack["summary"],
              "estimated_minutes": pack["estimated_minutes"],
              "target_positions": pack.get("target_positions", [])}
    if course is None:
        course = CoursePage(code=pack["code"], slug=pack["code"].lower(), **fields)
        catalog.add_child(instance=course)
    else:
        for name, value in fields.items():
            setattr(course, name, value)
    course.save_revision().publish()
    for lesson in pack["lessons"]:
        _upsert_child(course, LessonPage, lesson["slug"], {
            "title": lesson["title"], "summary": lesson.get("summary", ""),
            "estimated_minutes": lesson.get("estimated_minutes", 10),
            "body": _body(lesson["body"]),
        })
    quiz = pack.get("quiz")
    if quiz:
        _upsert_child(course, QuizPage, quiz["slug"], {
            "title": quiz["title"], "intro": quiz.get("intro", ""),
            "pass_mark": quiz.get("pass_mark", 80),
            "estimated_minutes": quiz.get("estimated_minutes", 10),
            "questions": _question_bank(pack["code"], quiz),
            **{rule: quiz[rule] for rule in _QUIZ_RULES if rule in quiz},
        })
    course_requirements_sync(course=course)
    certificate = pack.get("certificate")
    if certificate:
        CertificateType.objects.update_or_create(code=certificate["code"], defaults={
            "name": certificate["name"], "name_en": certificate.get("name_en", ""),
            "authority": _authority(certificate), "course": course,
            "validity_months": certificate.get("validity_months"),
            **{key: certificate[key] for key in _CERTIFICATE_WORDING if key in certificate},
        })
    return course
