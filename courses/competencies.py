"""The competency frameworks (content/competencies/*.yaml): read from the files, loaded
idempotently into ``Competency`` rows so pages can show names, and the rule for the
competences a learner has proven."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from lms.org.models import User
from lms.records import selectors as records
from lms.records.models import RequirementRule

from .models import Competency, CoursePage


def competencies_folder() -> Path:
    return Path(settings.BASE_DIR) / "content" / "competencies"


class FrameworkError(ValueError):
    """A framework file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Item:
    code: str
    framework: str
    kind: str
    parent_code: str
    name: str
    name_en: str
    description: str
    description_en: str
    position: int


@dataclass
class Framework:
    path: Path
    code: str
    source: dict[str, Any]
    items: list[Item] = field(default_factory=list)


def _text(value: Any, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or "")
    return str(value or "") if language == "vi" else ""


def framework_read(path: Path) -> Framework:
    """One framework file, its items flattened in order (domains before their
    competences). Raises ``FrameworkError`` naming the file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise FrameworkError(f"{path}: cannot be read ({error})") from error
    if not isinstance(data, dict) or not data.get("framework") or "source" not in data:
        raise FrameworkError(f"{path}: needs the keys 'framework' and 'source'")
    framework = Framework(path=path, code=str(data["framework"]), source=data["source"])
    seen: set[str] = set()

    def walk(items: list[dict[str, Any]], parent: str, default_kind: str) -> None:
        for raw in items or []:
            code = str(raw.get("code") or "")
            if not code or not raw.get("name"):
                raise FrameworkError(f"{path}: every item needs a code and a name ({raw!r})")
            if code in seen:
                raise FrameworkError(f"{path}: the code {code} appears twice")
            seen.add(code)
            kind = str(raw.get("kind") or default_kind)
            framework.items.append(Item(
                code=code, framework=framework.code, kind=kind, parent_code=parent,
                name=_text(raw["name"], "vi"), name_en=_text(raw["name"], "en"),
                description=_text(raw.get("description"), "vi"),
                description_en=_text(raw.get("description"), "en"),
                position=len(framework.items)))
            walk(raw.get("items") or [], code, "competence")

    walk(data.get("items") or [], "", "item")
    return framework


def frameworks_read(folder: Path | None = None) -> list[Framework]:
    folder = folder or competencies_folder()
    return [framework_read(path) for path in sorted(folder.glob("*.yaml"))]


def known_codes(folder: Path | None = None) -> set[str]:
    """Every code the framework files define (what a course pack may use)."""
    return {item.code for framework in frameworks_read(folder) for item in framework.items}


@transaction.atomic
def competencies_load(*, folder: Path | None = None) -> dict[str, int]:
    """Create or update a ``Competency`` row per framework item (matched by code); rows
    whose code left the files are kept (pages may still name them). Returns counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {c.code: c for c in Competency.objects.all()}
    for framework in frameworks_read(folder):
        for item in framework.items:
            values = {name: getattr(item, name) for name in (
                "framework", "kind", "parent_code", "name", "name_en", "description",
                "description_en", "position")}
            row = existing.get(item.code)
            if row is None:
                Competency.objects.create(code=item.code, **values)
                counts["created"] += 1
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts


@dataclass(frozen=True)
class Named:
    """A code with its name (the code alone when the table does not know it)."""

    code: str
    local_name: str = ""
    local_description: str = ""


def competencies_named(codes: list[str]) -> list[Competency | Named]:
    rows = {c.code: c for c in Competency.objects.filter(code__in=codes)}
    return [rows.get(code) or Named(code=code) for code in codes]


def proven_competencies(*, user: User) -> list[tuple[Competency | Named, list[CoursePage]]]:
    """The competences ``user`` has proven, each with the courses that prove it.

    The rule: a competence is proven when the learner has completed a course tagged with
    it. A course is complete, in the learning records, only when every lesson is complete
    and its final exam is passed, so the exam (which draws its questions from the
    competences the course teaches) is what proves them."""
    courses = {course.activity_id: course for course in CoursePage.objects.live()
               .order_by("path") if course.competencies}
    if not user.is_authenticated or not courses:
        return []
    progress = records.progress_map(user=user, activity_ids=courses.keys())
    by_code: dict[str, list[CoursePage]] = {}
    for activity_id, course in courses.items():
        if records.requirement_met(progress.get(activity_id), RequirementRule.COMPLETED):
            for code in course.competencies:
                by_code.setdefault(code, []).append(course)
    named = competencies_named(sorted(by_code))
    order = {c.code: (getattr(c, "framework", "~"), getattr(c, "position", 0)) for c in named}
    named.sort(key=lambda c: order[c.code])
    return [(item, by_code[item.code]) for item in named]
