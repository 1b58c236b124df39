"""Build a course's Wagtail pages from a course pack (YAML in content/). Idempotent: pages
are matched by course code and slug, and updated in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from wagtail.models import Page, Site

from assessments.models import QuizPage
from certificates.models import CertificateType
from courses.models import CatalogPage, CoursePage, LessonPage
from courses.services import course_requirements_sync


def catalog_ensure() -> CatalogPage:
    """The catalogue at the site root (replacing Wagtail's welcome page on a new site)."""
    catalog = CatalogPage.objects.first()
    if catalog is not None:
        return catalog
    root = Page.get_first_root_node()
    catalog = CatalogPage(title="Khóa học", slug="khoa-hoc", intro=(
        "Các khóa học kỹ năng số cho cán bộ, công chức, viên chức và tổ công nghệ số cộng đồng."))
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


def _questions(questions: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [
        ("single_choice", {
            "prompt": q["prompt"],
            "choices": [{"text": c["text"], "correct": bool(c.get("correct"))}
                        for c in q["choices"]],
            "explanation": q.get("explanation", ""),
        })
        for q in questions
    ]


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
            "questions": _questions(quiz["questions"]),
        })
    course_requirements_sync(course=course)
    certificate = pack.get("certificate")
    if certificate:
        CertificateType.objects.update_or_create(code=certificate["code"], defaults={
            "name": certificate["name"], "name_en": certificate.get("name_en", ""),
            "issuer_name": certificate.get("issuer_name", "HọcSố"), "course": course,
        })
    return course
