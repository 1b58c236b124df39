"""Reads of assignments: who a rule binds, where each of them stands, the counts the HR
pages (and later the coverage dashboard) show, and a learner's own required items.

A person's status on a rule, each excluding the ones after it:
- ``done``: completed the course (course rule) or holds a valid certificate of the type
  (certificate rule);
- ``in_progress``: started (``lms.records.selectors.started_exists``: progress on one of
  the course's steps; an enrolment alone is not a start) and not done;
- ``not_started``: neither.
``overdue`` cuts across the last two: not done and the due date has passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from certificates.selectors import certificates_valid
from courses.models import CoursePage
from lms.org.models import Agency, Person, User
from lms.org.selectors import agency_in_subtree, agency_subtree_q
from lms.records.models import Progress
from lms.records.selectors import started_exists

from .models import Assignment

STATUSES = ("not_started", "in_progress", "done", "overdue")


def people_active() -> QuerySet[Person]:
    """The people rules bind: everyone still working. (The one place that says so: people
    who left are filtered out here and nowhere else.)"""
    return Person.objects.filter(left_on__isnull=True)


def _positions_q(assignment: Assignment, *, prefix: str = "") -> Q:
    return Q(**{f"{prefix}position__in": assignment.positions}) if assignment.positions \
        else Q()


def assignment_match_q(assignment: Assignment, *, prefix: str = "") -> Q:
    """A filter for the people (reached through ``prefix``) the rule binds: in its agency
    subtree, in one of its positions."""
    return (agency_subtree_q(assignment.agency, prefix=f"{prefix}agency__")
            & _positions_q(assignment, prefix=prefix))


def assignment_matching_people(*, assignment: Assignment) -> QuerySet[Person]:
    """The people the rule binds (wherever they work now: a person who moved matches the
    rules of their new agency)."""
    return people_active().filter(assignment_match_q(assignment))


def done_exists(assignment: Assignment, *, user_ref: str = "user_id") -> Exists:
    """Whether the learner (the outer row's ``user_ref``) has done what the rule asks."""
    if assignment.certificate_type_id:
        return Exists(certificates_valid().filter(
            user_id=OuterRef(user_ref), certificate_type_id=assignment.certificate_type_id))
    return Exists(Progress.objects.filter(user_id=OuterRef(user_ref),
                                          activity_id=assignment.course.activity_id,
                                          completed=True))


def _with_status(people: QuerySet[Person], assignment: Assignment) -> QuerySet[Person]:
    return people.annotate(
        is_done=done_exists(assignment),
        is_started=started_exists(activity_id=assignment.target_course.activity_id))


def _status_q(status: str, *, assignment: Assignment, today: datetime.date) -> Q:
    overdue = assignment.due_on < today
    return {
        "done": Q(is_done=True),
        "in_progress": Q(is_done=False, is_started=True),
        "not_started": Q(is_done=False, is_started=False),
        "overdue": Q(is_done=False) if overdue else Q(pk__in=[]),
    }.get(status, Q())


@dataclass(frozen=True)
class AssignmentCounts:
    assigned: int = 0
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def done_rate(self) -> float | None:
        return self.done / self.assigned if self.assigned else None

    def of(self, status: str) -> int:
        return getattr(self, status) if status in STATUSES else self.assigned


def _people_under(*, assignment: Assignment, root: Agency) -> QuerySet[Person]:
    return assignment_matching_people(assignment=assignment).filter(
        agency_subtree_q(root, prefix="agency__"))


def assignment_counts(*, assignment: Assignment, root: Agency,
                      today: datetime.date | None = None) -> AssignmentCounts:
    """Assigned, not started, in progress, done and overdue people of the rule within
    ``root``'s subtree: one grouped query."""
    today = today or timezone.localdate()
    people = _with_status(_people_under(assignment=assignment, root=root), assignment)
    figures = people.aggregate(
        assigned=Count("pk"),
        done=Count("pk", filter=Q(is_done=True)),
        in_progress=Count("pk", filter=Q(is_done=False, is_started=True)),
        not_started=Count("pk", filter=Q(is_done=False, is_started=False)),
    )
    overdue = (figures["assigned"] - figures["done"]) if assignment.due_on < today else 0
    return AssignmentCounts(overdue=overdue, **figures)


def assignment_people(*, assignment: Assignment, root: Agency, status: str | None = None,
                      today: datetime.date | None = None) -> QuerySet[Person]:
    """The people of the rule within ``root``'s subtree, annotated ``is_done`` and
    ``is_started``, in agency then name order; only those of ``status`` (one of
    ``STATUSES``; None or anything else: everyone)."""
    today = today or timezone.localdate()
    people = _with_status(_people_under(assignment=assignment, root=root), assignment)
    return (people.filter(_status_q(status or "", assignment=assignment, today=today))
            .select_related("agency").order_by("agency__path", "full_name", "pk"))


def person_status(person: Person, *, assignment: Assignment,
                  today: datetime.date | None = None) -> str:
    """The status of a person read by ``assignment_people``."""
    if person.is_done:
        return "done"
    today = today or timezone.localdate()
    if assignment.due_on < today:
        return "overdue"
    return "in_progress" if person.is_started else "not_started"


# --- rules in a manager's scope ---------------------------------------------------------



def ancestor_paths(agency: Agency) -> list[str]:
    """The paths of ``agency`` and of every agency above it."""
    step = Agency.steplen
    return [agency.path[:end] for end in range(step, len(agency.path) + 1, step)]


def assignments_in_scope(*, root: Agency, include_archived: bool = False
                         ) -> QuerySet[Assignment]:
    """The rules a manager of ``root`` sees: those of their subtree (they may edit them)
    and those set above it that bind their people (read only), soonest due first."""
    rules = Assignment.objects.filter(
        agency_subtree_q(root, prefix="agency__") | Q(agency__path__in=ancestor_paths(root)))
    if not include_archived:
        rules = rules.filter(active=True)
    return (rules.select_related("agency", "course", "certificate_type__course")
            .order_by("-active", "due_on", "pk"))


def assignment_visible(*, pk: int, root: Agency) -> Assignment | None:
    return assignments_in_scope(root=root, include_archived=True).filter(pk=pk).first()


def assignment_editable(*, assignment: Assignment, root: Agency) -> bool:
    """A manager edits the rules of their own subtree, not those set above it."""
    return agency_in_subtree(agency=assignment.agency, root=root)


def assignments_counted(*, root: Agency, today: datetime.date | None = None
                        ) -> list[tuple[Assignment, AssignmentCounts]]:
    """Every rule in scope with its counts within ``root``."""
    return [(rule, assignment_counts(assignment=rule, root=root, today=today)
             if rule.active else AssignmentCounts())
            for rule in assignments_in_scope(root=root, include_archived=True)]


@dataclass(frozen=True)
class AssignmentTotals:
    """Across every active rule binding people of a subtree: how many people are overdue
    on at least one, and how many have not started at least one (each person once)."""

    rules: int
    overdue: int
    not_started: int


def assignment_open_q(rule: Assignment, *, started: bool | None = None) -> Q:
    """The person (a ``Person`` row) is bound by ``rule`` and has not done it (and, when
    ``started`` is False, has not started it)."""
    condition = assignment_match_q(rule) & ~Q(done_exists(rule))
    if started is False:
        condition &= ~Q(started_exists(activity_id=rule.target_course.activity_id))
    return condition


def assignments_totals(*, root: Agency, today: datetime.date | None = None
                       ) -> AssignmentTotals:
    """Total overdue and not-started people of ``root``'s subtree across all active rules
    (for the coverage dashboard)."""
    today = today or timezone.localdate()
    rules = list(assignments_in_scope(root=root))
    if not rules:
        return AssignmentTotals(rules=0, overdue=0, not_started=0)
    overdue_q, not_started_q = Q(pk__in=[]), Q(pk__in=[])
    for rule in rules:
        not_started_q |= assignment_open_q(rule, started=False)
        if rule.due_on < today:
            overdue_q |= assignment_open_q(rule)
    people = people_active().filter(agency_subtree_q(root, prefix="agency__"))
    figures = people.aggregate(overdue=Count("pk", filter=overdue_q),
                               not_started=Count("pk", filter=not_started_q))
    return AssignmentTotals(rules=len(rules), **figures)


def overdue_people(*, root: Agency, today: datetime.date | None = None) -> QuerySet[Person]:
    """The people of ``root``'s subtree overdue on at least one active rule (each once), in
    agency then name order."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for rule in assignments_in_scope(root=root):
        if rule.due_on < today:
            condition |= assignment_open_q(rule)
    return (people_active().filter(agency_subtree_q(root, prefix="agency__"))
            .filter(condition).select_related("agency").order_by("agency__path", "full_name",
                                                                  "pk"))


# --- a learner's required items ----------------------------------------------------------


def assignments_of_person(*, person: Person) -> list[Assignment]:
    """The active rules binding ``person`` (their agency or one above it, their position)."""
    rules = (Assignment.objects.filter(active=True,
                                       agency__path__in=ancestor_paths(person.agency))
             .select_related("agency", "course", "certificate_type__course")
             .order_by("due_on", "pk"))
    return [rule for rule in rules if not rule.positions or person.position in rule.positions]


@dataclass
class RequiredItem:
    assignment: Assignment
    course: CoursePage
    due_on: datetime.date
    done: bool
    started: bool
    today: datetime.date
    outline: Any = None  # the course's outline for the learner (filled by the page)

    @property
    def overdue(self) -> bool:
        return not self.done and self.due_on < self.today

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days

    @property
    def title(self) -> str:
        return self.assignment.display_title


def required_items(*, user: User, today: datetime.date | None = None) -> list[RequiredItem]:
    """The learner's required items: open ones first, soonest due first, then the done
    ones. One item per course (the earliest due rule wins when several ask for it)."""
    person = Person.objects.select_related("agency").filter(user_id=user.pk).first()
    if person is None or not people_active().filter(pk=person.pk).exists():
        return []
    today = today or timezone.localdate()
    rules = assignments_of_person(person=person)
    if not rules:
        return []
    flags = User.objects.filter(pk=user.pk).annotate(**{
        f"d{rule.pk}": ExpressionWrapper(Q(done_exists(rule, user_ref="pk")),
                                         output_field=BooleanField())
        for rule in rules
    }, **{
        f"s{rule.pk}": ExpressionWrapper(
            Q(started_exists(activity_id=rule.target_course.activity_id, user_ref="pk")),
            output_field=BooleanField())
        for rule in rules
    }).values(*(f"{kind}{rule.pk}" for rule in rules for kind in "ds")).get()
    items: dict[int, RequiredItem] = {}
    for rule in rules:
        course = rule.target_course
        item = RequiredItem(assignment=rule, course=course, due_on=rule.due_on,
                            done=bool(flags[f"d{rule.pk}"]), started=bool(flags[f"s{rule.pk}"]),
                            today=today)
        known = items.get(course.pk)
        if known is None or (known.done and not item.done) or (
                known.done == item.done and item.due_on < known.due_on):
            items[course.pk] = item
    return sorted(items.values(), key=lambda i: (i.done, i.due_on, i.assignment.pk))
