"""The catalogue's search and filters, and the "continue learning" strip of the home page.

The catalogue holds a few dozen courses: they are filtered in Python, which gives the same
accent-insensitive search on SQLite and PostgreSQL ("ky nang so" finds "Kỹ năng số")."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from lms.org.models import User

from .models import CatalogPage, Competency, CoursePage
from .selectors import Outline, course_outline, my_learning

QUERY_MAX_LENGTH = 100
CONTINUE_LIMIT = 3

# (lowest, highest) estimated minutes, both included; None: no upper bound.
DURATIONS: dict[str, tuple[int, int | None, Any]] = {
    "le30": (0, 30, _("30 minutes or less")),
    "30-60": (31, 60, _("30 minutes to 1 hour")),
    "1-3h": (61, 180, _("1 to 3 hours")),
    "gt3h": (181, None, _("More than 3 hours")),
}

# Frameworks without domains (their codes have two segments, e.g. dmbok.quality) form one
# topic each.
FRAMEWORK_TOPICS: dict[str, Any] = {
    "dmbok": _("Data management"),
    "ndg": _("National data governance"),
}


def fold(text: str) -> str:
    """Lower case without diacritics, spaces collapsed: "Kỹ năng SỐ" → "ky nang so"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    topic: str = ""
    competency: str = ""
    duration: str = ""

    @property
    def active(self) -> bool:
        return any((self.q, self.topic, self.competency, self.duration))


@dataclass
class CatalogEntry:
    """A course as the catalogue lists it: its outline (progress) and its topics' names."""

    outline: Outline
    topics: list[str] = field(default_factory=list)

    @property
    def course(self) -> CoursePage:
        return self.outline.course


def _domain_codes() -> set[str]:
    return set(Competency.objects.filter(kind="domain").values_list("code", flat=True))


def topic_of(code: str, *, domains: set[str]) -> str:
    """The topic of a competence code: its domain when its framework has domains
    (dc.1.3 → dc.1), else its framework (dmbok.quality → dmbok)."""
    parts = code.split(".")
    for length in range(1, len(parts) + 1):
        prefix = ".".join(parts[:length])
        if prefix in domains:
            return prefix
    return parts[0]


def _topic_labels(topics: Iterable[str]) -> dict[str, str]:
    topics = set(topics)
    rows = {c.code: c for c in Competency.objects.filter(code__in=topics)}
    labels = {}
    for topic in topics:
        if topic in rows:
            labels[topic] = rows[topic].local_name
        else:
            labels[topic] = str(FRAMEWORK_TOPICS.get(topic, topic))
    return labels


def _live_courses(catalog: CatalogPage) -> list[CoursePage]:
    return list(CoursePage.objects.child_of(catalog).live().order_by("path"))


def catalog_options(*, catalog: CatalogPage) -> dict[str, list[Choice]]:
    """The choices of the filter form: the topics and competences the live courses of the
    catalogue use (in framework order), and the duration bands."""
    courses = _live_courses(catalog)
    used = {code for course in courses for code in course.competencies or []}
    domains = _domain_codes()
    labels = _topic_labels(topic_of(code, domains=domains) for code in used)
    rows = {c.code: c for c in Competency.objects.filter(code__in=used)}
    order = {code: (rows[code].framework, rows[code].position) if code in rows else ("~", 0)
             for code in used}
    competencies = [
        Choice(code, f"{code} {rows[code].local_name}" if code in rows else code)
        for code in sorted(used, key=lambda c: (*order[c], c))]
    topics = sorted((Choice(value, label) for value, label in labels.items()),
                    key=lambda choice: fold(choice.label))
    durations = [Choice(key, str(label)) for key, (_low, _high, label) in DURATIONS.items()]
    return {"topics": topics, "competencies": competencies, "durations": durations}


def catalog_filters(*, params: Mapping[str, str],
                    options: dict[str, list[Choice]]) -> CatalogFilters:
    """The filters of a request's query string; a value that is not one of the choices is
    ignored (an old bookmark keeps working)."""

    def pick(name: str, choices: list[Choice]) -> str:
        value = str(params.get(name) or "").strip()
        return value if value in {choice.value for choice in choices} else ""

    return CatalogFilters(
        q=" ".join(str(params.get("q") or "").split())[:QUERY_MAX_LENGTH],
        topic=pick("topic", options["topics"]),
        competency=pick("competency", options["competencies"]),
        duration=pick("duration", options["durations"]),
    )


def _matches(course: CoursePage, *, words: list[str], topic: str, competency: str,
             duration: str, domains: set[str]) -> bool:
    codes = course.competencies or []
    if competency and competency not in codes:
        return False
    if topic and not any(topic_of(code, domains=domains) == topic for code in codes):
        return False
    if duration:
        low, high, _label = DURATIONS[duration]
        minutes = course.estimated_minutes or 0
        if minutes < low or (high is not None and minutes > high):
            return False
    if words:
        text = fold(" ".join((course.title, course.title_en, course.summary,
                              course.summary_en, course.code)))
        return all(word in text for word in words)
    return True


def catalog_search(*, catalog: CatalogPage, user: User | AnonymousUser, q: str = "",
                   topic: str = "", competency: str = "",
                   duration: str = "") -> list[CatalogEntry]:
    """The live courses of the catalogue that match every filter given, in catalogue
    order: ``q`` (every word in the title or summary, Vietnamese or English, accents and
    case ignored), ``topic`` (a competence domain, see ``topic_of``), ``competency`` (a
    code) and ``duration`` (a key of ``DURATIONS``; an unknown key is ignored)."""
    words = fold(q).split()
    domains = _domain_codes()
    duration = duration if duration in DURATIONS else ""
    found = [course for course in _live_courses(catalog)
             if _matches(course, words=words, topic=topic, competency=competency,
                         duration=duration, domains=domains)]
    labels = _topic_labels(topic_of(code, domains=domains)
                           for course in found for code in course.competencies or [])
    entries = []
    for course in found:
        topics = dict.fromkeys(topic_of(code, domains=domains)
                               for code in course.competencies or [])
        entries.append(CatalogEntry(outline=course_outline(course=course, user=user),
                                    topics=[labels[t] for t in topics]))
    return entries


def continue_learning(*, user: User | AnonymousUser,
                      limit: int = CONTINUE_LIMIT) -> list[Outline]:
    """The courses the learner has started and not finished, most recently enrolled
    first, each with its next step and percent done."""
    if not user.is_authenticated:
        return []
    started = [outline for outline in my_learning(user=user)
               if not outline.completed and outline.next_item is not None]
    return started[:limit]


def catalog_page_context(*, catalog: CatalogPage, user: User | AnonymousUser,
                         params: Mapping[str, str]) -> dict[str, Any]:
    """Everything the catalogue page shows: the filter form, the matching courses, the
    number of live courses, and the learner's courses in progress."""
    options = catalog_options(catalog=catalog)
    filters = catalog_filters(params=params, options=options)
    entries = catalog_search(catalog=catalog, user=user, q=filters.q, topic=filters.topic,
                             competency=filters.competency, duration=filters.duration)
    total = len(entries) if not filters.active else len(_live_courses(catalog))
    return {
        "filters": filters,
        "options": options,
        "entries": entries,
        "total_courses": total,
        "continue_outlines": continue_learning(user=user),
    }


def proven_by_topic(proven: list[tuple[Any, list[CoursePage]]]) -> list[tuple[str, list]]:
    """The learner's proven competences (``competencies.proven_competencies``) grouped by
    topic (see ``topic_of``), topics and competences kept in framework order."""
    domains = _domain_codes()
    groups: dict[str, list] = {}
    for competence, courses in proven:
        groups.setdefault(topic_of(competence.code, domains=domains), []).append(
            (competence, courses))
    labels = _topic_labels(groups)
    return [(labels[topic], items) for topic, items in groups.items()]
