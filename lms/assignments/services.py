"""Writes of assignments: create, change and archive a rule (each enqueues the enrolment
of its people once committed), and the enrolment itself (``assignments_sync``)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import CertificateType
from courses.models import CoursePage
from lms.org.models import Agency, PositionCategory, User
from lms.records import vocab
from lms.records.models import Registration
from lms.records.services import registrations_ensure_many

from .models import Assignment
from .selectors import assignment_matching_people

logger = logging.getLogger(__name__)

SYNC_BATCH = 2000  # people read (and enrolled) at a time


def assignment_sync_enqueue(assignment: Assignment) -> None:
    """Enrol the rule's people in the background once the current transaction commits."""
    from .tasks import assignments_sync as sync_task

    transaction.on_commit(lambda: sync_task.delay(assignment_id=assignment.pk), robust=True)


def people_changed_enqueue(*, person_ids: Iterable[int]) -> None:
    """After people were added or moved (a roster import): enrol them on the rules that now
    bind them, in the background once the current transaction commits."""
    from .tasks import assignments_sync as sync_task

    ids = sorted(set(person_ids))
    if ids:
        transaction.on_commit(lambda: sync_task.delay(person_ids=ids), robust=True)


def _clean(*, course: CoursePage | None, certificate_type: CertificateType | None,
           positions: Iterable[str]) -> list[str]:
    if (course is None) == (certificate_type is None):
        raise ValidationError(_("Choose a course or a certificate, not both."))
    known = set(PositionCategory.values)
    positions = sorted(set(positions))
    unknown = [p for p in positions if p not in known]
    if unknown:
        raise ValidationError(_("Unknown position category: %(codes)s") % {
            "codes": ", ".join(unknown)})
    return positions


@transaction.atomic
def assignment_create(*, agency: Agency, due_on: datetime.date, by: User | None,
                      course: CoursePage | None = None,
                      certificate_type: CertificateType | None = None,
                      positions: Iterable[str] = (), title: str = "") -> Assignment:
    """A new rule; its people are enrolled once the transaction commits."""
    positions = _clean(course=course, certificate_type=certificate_type, positions=positions)
    assignment = Assignment.objects.create(
        title=title.strip(), course=course, certificate_type=certificate_type,
        positions=positions, agency=agency, due_on=due_on, created_by=by)
    assignment_sync_enqueue(assignment)
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, **changes: Any) -> Assignment:
    """Change a rule (any of title, course, certificate_type, positions, agency, due_on);
    people it now binds are enrolled once committed. Nobody is ever unenrolled: a
    registration, and the learning behind it, stays."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    allowed = {"title", "course", "certificate_type", "positions", "agency", "due_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"assignment_update: unknown fields {sorted(unknown)}")
    for name, value in changes.items():
        setattr(assignment, name, value)
    assignment.title = assignment.title.strip()
    assignment.positions = _clean(course=assignment.course,
                                  certificate_type=assignment.certificate_type,
                                  positions=assignment.positions)
    assignment.save()
    assignment_sync_enqueue(assignment)
    return assignment


@transaction.atomic
def assignment_archive(*, assignment: Assignment, active: bool = False) -> Assignment:
    """Archive a rule (no more enrolment, reminders or counts), or bring it back."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.active = active
    assignment.save(update_fields=["active", "updated_at"])
    if active:
        assignment_sync_enqueue(assignment)
    return assignment


@dataclass
class SyncSummary:
    rules: int = 0
    enrolled: int = 0


def _sync_one(assignment_id: int, person_ids: list[int] | None) -> int:
    """Enrol the people of one rule not yet registered on its course. The rule row stays
    locked meanwhile, so two workers syncing the same rule take turns (and the second
    finds nothing left to do)."""
    with transaction.atomic():
        rule = (Assignment.objects.select_for_update(of=("self",))
                .select_related("agency", "course", "certificate_type__course")
                .filter(pk=assignment_id, active=True).first())
        if rule is None:
            return 0
        course = rule.target_course
        activity_id = course.activity_id
        people = assignment_matching_people(assignment=rule).exclude(Exists(
            Registration.objects.filter(user_id=OuterRef("user_id"), activity_id=activity_id)))
        if person_ids is None:
            parts = [people]
        else:  # a few thousand ids per query (SQLite caps the parameters of one query)
            parts = [people.filter(pk__in=person_ids[start:start + SYNC_BATCH])
                     for start in range(0, len(person_ids), SYNC_BATCH)]
        enrolled = 0
        for part in parts:
            after = 0
            while True:
                # Read by user id, a batch at a time (never a whole nation in one result).
                user_ids = list(part.filter(user_id__gt=after).order_by("user_id")
                                .values_list("user_id", flat=True)[:SYNC_BATCH])
                if not user_ids:
                    break
                after = user_ids[-1]
                users = list(User.objects.filter(pk__in=user_ids).only("pk", "xapi_id")
                             .order_by("pk"))
                enrolled += registrations_ensure_many(
                    users=users, activity_id=activity_id, activity_type=vocab.COURSE,
                    activity_name={"vi": course.title})
        rule.synced_at = timezone.now()
        rule.save(update_fields=["synced_at"])
    return enrolled


def assignments_sync(*, assignment: Assignment | None = None,
                     person_ids: Iterable[int] | None = None) -> SyncSummary:
    """Enrol every person a rule binds who is not registered on its course yet (with the
    ``registered`` statement): one rule, or every active rule; all their people, or only
    ``person_ids`` (``Person`` ids, e.g. the people an import just added or moved).
    Idempotent: a second run enrols nobody twice."""
    ids = None if person_ids is None else sorted(set(person_ids))
    if ids == []:
        return SyncSummary()
    rule_ids = ([assignment.pk] if assignment is not None else
                list(Assignment.objects.filter(active=True).order_by("pk")
                     .values_list("pk", flat=True)))
    summary = SyncSummary()
    for rule_id in rule_ids:
        summary.rules += 1
        summary.enrolled += _sync_one(rule_id, ids)
    logger.info("assignments sync: %s rules, %s people enrolled", summary.rules,
                summary.enrolled)
    return summary
