"""Reads for the catalogue, course outlines and a learner's own learning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from lms.org.models import User
from lms.records import selectors as records
from lms.records.models import Progress, RequirementRule

from .cmi5_structure import langstring_pick
from .models import CatalogPage, Cmi5Au, Cmi5UnitPage, CoursePage, LessonPage


@dataclass
class OutlineItem:
    page: Page
    requirements: list[tuple[str, str]] = field(default_factory=list)
    done: bool = False
    is_quiz: bool = False
    is_cmi5: bool = False
    waiting_for: OutlineItem | None = None  # in a sequential course: the step to do first

    @property
    def locked(self) -> bool:
        """Closed until an earlier required step is done (sequential courses only)."""
        return self.waiting_for is not None

    @property
    def optional(self) -> bool:
        """A step the course does not need (a cmi5 unit whose AUs all have moveOn
        NotApplicable): listed, never counted."""
        return not self.requirements


@dataclass
class Outline:
    course: CoursePage
    items: list[OutlineItem] = field(default_factory=list)
    enrolled: bool = False
    completed: bool = False

    @property
    def required_items(self) -> list[OutlineItem]:
        return [item for item in self.items if not item.optional]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.required_items if item.done)

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        required = self.required_items
        return round(100 * self.done_count / len(required)) if required else 0

    @property
    def next_item(self) -> OutlineItem | None:
        """Where the learner resumes: the first required step not yet done (never a locked
        one: in a sequential course the first step not done is the one that is open)."""
        return next((item for item in self.required_items
                     if not item.done and not item.locked), None)

    @property
    def minutes_left(self) -> int:
        return sum(getattr(item.page, "estimated_minutes", 0) or 0
                   for item in self.required_items if not item.done)


def _is_step(page: Page) -> bool:
    return hasattr(page, "course_requirement") or hasattr(page, "course_requirements")


def step_requirements(page: Page) -> list[tuple[str, str]]:
    """What the course needs of one of its pages: (activity IRI, rule) pairs. A lesson or
    a quiz names one (``course_requirement``); a cmi5 unit one per AU (or none)."""
    many = getattr(page, "course_requirements", None)
    if many is not None:
        return list(many())
    return [page.course_requirement()]


def course_steps(*, course: CoursePage) -> list[Page]:
    """The live pages a learner goes through, in order (lessons, cmi5 units, the quiz)."""
    return [page for page in course.get_children().live().specific() if _is_step(page)]


def course_outline(*, course: CoursePage, user: User | AnonymousUser) -> Outline:
    steps = [(step, step_requirements(step)) for step in course_steps(course=course)]
    outline = Outline(course=course)
    progress = records.progress_map(
        user=user, activity_ids=[course.activity_id,
                                 *(a for _, reqs in steps for a, _rule in reqs)])
    outline.enrolled = records.registration_for(user=user,
                                                activity_id=course.activity_id) is not None
    outline.completed = records.requirement_met(progress.get(course.activity_id),
                                                RequirementRule.COMPLETED)
    for step, requirements in steps:
        is_cmi5 = isinstance(step, Cmi5UnitPage)
        outline.items.append(OutlineItem(
            page=step, requirements=requirements, is_cmi5=is_cmi5,
            done=bool(requirements) and all(records.requirement_met(progress.get(a), rule)
                                            for a, rule in requirements),
            is_quiz=getattr(step, "is_exam", False),
        ))
    if sequence_applies(course=course, user=user):
        steps_lock(outline.items)
    return outline


def sequence_applies(*, course: CoursePage, user: User | AnonymousUser) -> bool:
    """Whether the lessons-in-order rule binds ``user`` on ``course``: a sequential course,
    a logged-in learner. Anonymous readers of a public course read freely (nothing is
    recorded for them) and superusers (editors checking a course) are never held back."""
    return bool(course.sequential and user.is_authenticated and not user.is_superuser)


def steps_lock(items: list[OutlineItem]) -> None:
    """Lock every step that comes after a required step not yet done; each locked step
    names that first undone step (the one to finish first). Optional steps are never
    awaited, but are locked like the others when they come after an undone step."""
    first_undone: OutlineItem | None = None
    for item in items:
        item.waiting_for = first_undone
        if first_undone is None and not item.optional and not item.done:
            first_undone = item


@dataclass
class PublicCourse:
    """A course of the citizens' catalogue, with what a citizen needs to choose it."""

    course: CoursePage
    lesson_count: int


def public_courses() -> list[PublicCourse]:
    """The live courses readable without an account (``CoursePage.public``), in catalogue
    order, each with its number of live lessons (two queries whatever their number)."""
    courses = list(CoursePage.objects.live().public().filter(public=True).order_by("path"))
    if not courses:
        return []
    under_a_course = Q()
    for course in courses:
        under_a_course |= Q(path__startswith=course.path, depth=course.depth + 1)
    counts: dict[str, int] = {}
    for path in LessonPage.objects.live().filter(under_a_course).values_list("path", flat=True):
        parent = path[: -Page.steplen]
        counts[parent] = counts.get(parent, 0) + 1
    return [PublicCourse(course=course, lesson_count=counts.get(course.path, 0))
            for course in courses]


def course_containing(*, page: Page) -> CoursePage | None:
    """The course a page belongs to (the page itself if it is a course), or None for a
    page outside any course (the catalogue, the site root)."""
    if isinstance(page, CoursePage):
        return page
    if isinstance(page, CatalogPage) or page.depth <= 2:
        return None
    return CoursePage.objects.ancestor_of(page).only("public").first()


def public_course_count() -> int:
    return CoursePage.objects.live().public().filter(public=True).count()


def catalog_courses(*, catalog: CatalogPage, user: User | AnonymousUser) -> list[Outline]:
    courses = CoursePage.objects.child_of(catalog).live().order_by("path")
    return [course_outline(course=course, user=user) for course in courses]


def _step_context(*, page: Page, user: User | AnonymousUser) -> dict[str, Any]:
    """The course, its outline, whether this step is done, and the steps around it."""
    course = page.get_parent().specific
    outline = course_outline(course=course, user=user)
    items = outline.items
    index = next((i for i, item in enumerate(items) if item.page.pk == page.pk), None)
    if index is None:  # a page not live, seen in preview
        return {"course": course, "outline": outline, "step_done": False,
                "previous_item": None, "next_item": None}
    return {
        "course": course,
        "outline": outline,
        "step_done": items[index].done,
        "previous_item": items[index - 1] if index > 0 else None,
        "next_item": items[index + 1] if index + 1 < len(items) else None,
    }


def lesson_context(*, lesson: LessonPage, user: User | AnonymousUser) -> dict[str, Any]:
    context = _step_context(page=lesson, user=user)
    context["lesson_done"] = context.pop("step_done")
    return context


def my_learning(*, user: User) -> list[Outline]:
    """The courses the learner is enrolled on, most recently enrolled first."""
    activity_ids = records.registered_activity_ids(user=user)
    by_activity = {course.activity_id: course for course in CoursePage.objects.live()}
    return [course_outline(course=by_activity[a], user=user)
            for a in activity_ids if a in by_activity]


# --- cmi5 units ------------------------------------------------------------------------

AU_STATUS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "passed": _("Passed"),
    "failed": _("Not passed yet"),
}
MOVE_ON_LABELS = {
    "Passed": _("To finish: pass it."),
    "Completed": _("To finish: complete it."),
    "CompletedAndPassed": _("To finish: complete it and pass it."),
    "CompletedOrPassed": _("To finish: complete it or pass it."),
    "NotApplicable": _("Optional: not needed to finish the course."),
}


@dataclass
class AuItem:
    au: Cmi5Au
    activity_id: str
    title: str
    description: str
    status: str
    satisfied: bool

    @property
    def status_label(self) -> str:
        return str(AU_STATUS_LABELS[self.status])

    @property
    def move_on_label(self) -> str:
        return str(MOVE_ON_LABELS[self.au.move_on])

    @property
    def required(self) -> bool:
        return self.au.requirement_rule is not None


def au_status(row: Progress | None) -> str:
    """not_started, in_progress (launched), completed, passed, or failed."""
    if row is None:
        return "not_started"
    if row.success:
        return "passed"
    if row.completed:
        return "completed"
    if row.success is False:
        return "failed"
    return "in_progress"


def cmi5_unit_context(*, unit: Cmi5UnitPage, user: User | AnonymousUser,
                      language: str = "vi") -> dict[str, Any]:
    """A cmi5 unit page: its AUs with the learner's status on each, and the course around."""
    aus = unit.aus()
    ids = {au.pk: unit.au_activity_id(au) for au in aus}
    progress = records.progress_map(user=user, activity_ids=ids.values())
    items = []
    for au in aus:
        row = progress.get(ids[au.pk])
        rule = au.requirement_rule
        items.append(AuItem(
            au=au, activity_id=ids[au.pk],
            title=langstring_pick(au.title, language) or au.publisher_id,
            description=langstring_pick(au.description, language),
            status=au_status(row),
            satisfied=rule is None or records.requirement_met(row, rule),
        ))
    context = _step_context(page=unit, user=user)
    context["unit_done"] = context.pop("step_done")
    context["aus"] = items
    return context
