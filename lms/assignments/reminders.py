"""Reminders of required courses, by e-mail (text, Vietnamese first and English below, like
the certificate reminders: the platform keeps no language per person).

Learners (daily job): a rule's reminder dates are ``HOCSO_ASSIGNMENT_REMINDER_DAYS`` days
before its due date, the day after it, then every ``HOCSO_ASSIGNMENT_OVERDUE_EVERY_DAYS``
days while overdue. A learner gets one digest listing all their open required items when
one of their open items has passed a reminder date since their last digest: so a day the
job did not run, or a send that failed, is made up by the next run instead of lost. Never
to people who finished (a done item is not open), who left (``people_active``), or who
have no e-mail address.

HR managers (weekly job): the overdue people of their subtree, counted per rule, the first
``HOCSO_ASSIGNMENT_DIGEST_PEOPLE`` listed by agency, with links to the full lists.

Each e-mail is recorded (learner × day, manager × ISO week) under a unique constraint in
the transaction that sends it: a re-run (or a second worker) sends nothing twice, and a
failed send rolls its record back so the next run tries again. People are read a batch at
a time by id, never a whole nation in one result."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from lms.mail import iso_week, managers_to_mail, render_bilingual
from lms.org.models import ManagerScope, Person

from .models import Assignment, LearnerReminder, ManagerDigest
from .selectors import (
    assignment_counts,
    assignment_open_q,
    assignments_in_scope,
    done_exists,
    overdue_people,
    people_active,
)

logger = logging.getLogger(__name__)

BATCH = 1000


def reminder_days() -> list[int]:
    return sorted({int(d) for d in getattr(settings, "HOCSO_ASSIGNMENT_REMINDER_DAYS",
                                           [14, 7, 3, 1]) if int(d) > 0}, reverse=True)


def overdue_every() -> int:
    return max(1, int(getattr(settings, "HOCSO_ASSIGNMENT_OVERDUE_EVERY_DAYS", 7)))


def last_reminder_date(due_on: datetime.date, today: datetime.date) -> datetime.date | None:
    """The latest reminder date of an item due on ``due_on`` that is not after ``today``
    (None: none yet, the due date is still far)."""
    dates = [due_on - datetime.timedelta(days=d) for d in reminder_days()]
    if today > due_on:
        late = (today - due_on).days  # 1 the day after
        dates.append(due_on + datetime.timedelta(days=1 + (late - 1) // overdue_every()
                                                 * overdue_every()))
    dates = [d for d in dates if d <= today]
    return max(dates) if dates else None


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass
class ReminderSummary:
    day: str = ""
    rules: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: int = 0


@dataclass
class _Item:
    title: str
    due_on: datetime.date
    days_left: int
    url: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left


@dataclass
class _Learner:
    person_id: int
    user_id: int
    full_name: str
    email: str
    items: list[_Item] = field(default_factory=list)


def _binds(rule: Assignment, *, path: str, position: str) -> bool:
    return path.startswith(rule.agency.path) and (not rule.positions
                                                  or position in rule.positions)


def _learner_message(learner: _Learner, today: datetime.date, my_url: str) -> tuple[str, str]:
    context = {"learner": learner, "items": learner.items, "today": today, "my_url": my_url}
    return render_bilingual(  # Vietnamese, then English
        "assignments/email/reminder.txt", context,
        subject_template="assignments/email/reminder_subject.txt")


def learner_reminders_send(*, today: datetime.date | None = None,
                           batch_size: int = BATCH) -> ReminderSummary:
    """Send today's reminder digests (see the module's notes)."""
    today = today or timezone.localdate()
    summary = ReminderSummary(day=today.isoformat())
    rules = list(Assignment.objects.filter(active=True)
                 .select_related("agency", "course", "certificate_type__course"))
    triggers = {rule.pk: last_reminder_date(rule.due_on, today) for rule in rules}
    reminding = [rule for rule in rules if triggers[rule.pk] is not None]
    summary.rules = len(reminding)
    if not reminding:
        return summary
    urls = {rule.pk: rule.target_course.full_url or _site("/") for rule in rules}
    candidates = Q(pk__in=[])
    for rule in reminding:
        candidates |= assignment_open_q(rule)
    people = (people_active().filter(candidates).filter(user__is_active=True)
              .exclude(user__email="").order_by("pk"))
    after = 0
    while True:
        batch = list(people.filter(pk__gt=after).values_list(
            "pk", "user_id", "full_name", "user__email", "position", "agency__path")[:batch_size])
        if not batch:
            break
        after = batch[-1][0]
        _remind_batch(batch, rules=rules, triggers=triggers, urls=urls, today=today,
                      summary=summary)
    logger.info("assignment reminders %s: %s sent, %s already sent, %s failed", today,
                summary.sent, summary.already_sent, summary.failed)
    return summary


def _remind_batch(batch: list[tuple], *, rules: list[Assignment],
                  triggers: dict[int, datetime.date | None], urls: dict[int, str],
                  today: datetime.date, summary: ReminderSummary) -> None:
    bound: dict[int, list[Assignment]] = defaultdict(list)
    for pk, _user, _name, _email, position, path in batch:
        bound[pk] = [rule for rule in rules if _binds(rule, path=path, position=position)]
    relevant = {rule.pk: rule for rules_of in bound.values() for rule in rules_of}
    # Which of the batch has done which rule: one query, a flag per rule that binds any.
    done = {row["pk"]: row for row in Person.objects.filter(pk__in=list(bound)).annotate(
        **{f"d{pk}": done_exists(rule) for pk, rule in relevant.items()}
    ).values("pk", *(f"d{pk}" for pk in relevant))}
    last = dict(LearnerReminder.objects.filter(user_id__in=[row[1] for row in batch])
                .values("user_id").annotate(last=Max("day")).values_list("user_id", "last"))
    for pk, user_id, full_name, email, _position, _path in batch:
        open_rules = [rule for rule in bound[pk] if not done[pk][f"d{rule.pk}"]]
        since = last.get(user_id)
        if since is not None and since >= today:
            summary.already_sent += 1
            continue
        if not any(triggers[rule.pk] is not None
                   and (since is None or triggers[rule.pk] > since) for rule in open_rules):
            continue
        learner = _Learner(person_id=pk, user_id=user_id, full_name=full_name, email=email)
        seen_courses: set[int] = set()
        for rule in sorted(open_rules, key=lambda r: (r.due_on, r.pk)):
            course = rule.target_course
            if course.pk in seen_courses:
                continue
            seen_courses.add(course.pk)
            learner.items.append(_Item(title=rule.display_title, due_on=rule.due_on,
                                       days_left=(rule.due_on - today).days,
                                       url=urls[rule.pk]))
        _send_learner(learner, today=today, summary=summary)


def _send_learner(learner: _Learner, *, today: datetime.date,
                  summary: ReminderSummary) -> None:
    try:
        with transaction.atomic():
            LearnerReminder.objects.create(user_id=learner.user_id, day=today,
                                           items=len(learner.items))
            subject, body = _learner_message(learner, today, _site(reverse(
                "courses:my_learning")))
            send_mail(subject, body, None, [learner.email])
    except IntegrityError:  # another run recorded it first
        summary.already_sent += 1
    except Exception:  # the record is rolled back: the next run tries again
        logger.exception("assignment reminder to user %s not sent", learner.user_id)
        summary.failed += 1
    else:
        summary.sent += 1


# --- HR managers ------------------------------------------------------------------------


@dataclass
class DigestSummary:
    week: str = ""
    managers: int = 0
    sent: int = 0
    already_sent: int = 0
    nothing_overdue: int = 0
    no_address: int = 0
    failed: int = 0


def manager_digest_context(*, scope: ManagerScope, today: datetime.date) -> dict[str, object]:
    """What the weekly digest of ``scope``'s subtree says: its overdue rules with counts,
    the overdue people (count and the first few, by agency), links to the full lists."""
    root = scope.agency
    rules = []
    for rule in assignments_in_scope(root=root):
        if rule.due_on >= today:
            continue
        counts = assignment_counts(assignment=rule, root=root, today=today)
        if counts.overdue:
            rules.append({"rule": rule, "counts": counts, "url": _site(
                reverse("assignments:people", args=[rule.pk]) + "?status=overdue")})
    people = overdue_people(root=root, today=today)
    first = int(getattr(settings, "HOCSO_ASSIGNMENT_DIGEST_PEOPLE", 20))
    listed = list(people[:first]) if rules else []
    total = people.count() if rules else 0
    return {"root": root, "rules": rules, "people": listed, "total": total,
            "more": max(0, total - len(listed)), "today": today, "user": scope.user,
            "list_url": _site(reverse("assignments:list"))}


def manager_digests_send(*, today: datetime.date | None = None) -> DigestSummary:
    """Send this ISO week's overdue digest to every HR manager who has not had it yet and
    has someone overdue in their subtree."""
    today = today or timezone.localdate()
    week = iso_week(today)
    summary = DigestSummary(week=week)
    done = set(ManagerDigest.objects.filter(week=week).values_list("user_id", flat=True))
    for scope in managers_to_mail(already_sent=done, summary=summary):
        context = manager_digest_context(scope=scope, today=today)
        if not context["total"]:
            summary.nothing_overdue += 1
            continue
        try:
            with transaction.atomic():
                ManagerDigest.objects.create(user_id=scope.user_id, week=week,
                                             overdue=context["total"])
                subject, body = render_bilingual(
                    "assignments/email/overdue_digest.txt", context,
                    subject_template="assignments/email/overdue_digest_subject.txt")
                send_mail(subject, body, None, [scope.user.email])
        except IntegrityError:
            summary.already_sent += 1
        except Exception:
            logger.exception("overdue digest to user %s not sent", scope.user_id)
            summary.failed += 1
        else:
            summary.sent += 1
    logger.info("overdue digests %s: %s sent, %s already sent, %s with nothing overdue",
                week, summary.sent, summary.already_sent, summary.nothing_overdue)
    return summary
