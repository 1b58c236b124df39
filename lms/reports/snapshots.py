"""The daily coverage snapshot: per agency (its whole subtree), certificate type and
position category, the headcount and how many are enrolled, in progress, trained and
certified at the end of a day.

Per certificate type, one grouped query counts the people of each agency (a row per agency
and position, not per person), the counts are rolled up the tree in memory by
materialised-path prefix (a commune's people count once in the commune, once in its
province and once nationally), and that day's rows for the type are replaced in one
transaction. A run killed half-way loses at most the type it was writing; the next run
writes it again. Past days can be taken too: every figure is read as of the end of the
day (enrolment, completion and certificate dates), so a history can be rebuilt."""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from certificates.models import CertificateType
from certificates.selectors import certificates_valid
from lms.org.models import Agency, Person
from lms.records.models import Progress, Registration
from lms.records.selectors import started_exists

from .models import CoverageSnapshot

logger = logging.getLogger(__name__)

FIGURES = ("headcount", "enrolled", "in_progress", "trained", "certified")


@dataclass
class SnapshotSummary:
    day: datetime.date
    agencies: int = 0
    rows: int = 0
    seconds: float = 0.0


def _end_of(day: datetime.date) -> datetime.datetime:
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start) - datetime.timedelta(microseconds=1)


def _leaf_counts(certificate_type: CertificateType, end: datetime.datetime
                 ) -> list[dict[str, int]]:
    """Figures per (agency, position) of the people attached to that very agency."""
    course_id = certificate_type.course.activity_id
    enrolled = Registration.objects.filter(user_id=OuterRef("user_id"), activity_id=course_id,
                                           created_at__lte=end)
    trained = Progress.objects.filter(
        Q(completed_at__isnull=True) | Q(completed_at__lte=end),
        user_id=OuterRef("user_id"), activity_id=course_id, completed=True)
    certified = certificates_valid(now=end).filter(user_id=OuterRef("user_id"),
                                                   certificate_type=certificate_type)
    return list(
        Person.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=end.date()))
        .annotate(is_enrolled=Exists(enrolled), is_trained=Exists(trained),
                  is_started=started_exists(activity_id=course_id),
                                is_certified=Exists(certified))
        .values("agency_id", "position")
        .annotate(headcount=Count("pk"),
                  enrolled=Count("pk", filter=Q(is_enrolled=True)),
                  in_progress=Count("pk", filter=Q(is_enrolled=True, is_started=True,
                                                     is_trained=False)),
                  trained=Count("pk", filter=Q(is_trained=True)),
                  certified=Count("pk", filter=Q(is_certified=True)))
        .order_by()
    )


def _rolled_up(leaves: list[dict[str, int]]) -> dict[tuple[int, str], list[int]]:
    """Each leaf's figures added to its agency and to every ancestor of it."""
    paths = dict(Agency.objects.values_list("pk", "path"))
    by_path = {path: pk for pk, path in paths.items()}
    step = Agency.steplen
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0] * len(FIGURES))
    for leaf in leaves:
        path = paths[leaf["agency_id"]]
        values = [leaf[name] for name in FIGURES]
        for end in range(step, len(path) + 1, step):
            counter = totals[(by_path[path[:end]], leaf["position"])]
            for index, value in enumerate(values):
                counter[index] += value
    return totals


def snapshot_take(*, certificate_type: CertificateType, day: datetime.date
                  ) -> set[tuple[int, str]]:
    """Write ``day``'s snapshot of one certificate type (replacing any earlier one of that
    day); returns the (agency, position) of each row written."""
    totals = _rolled_up(_leaf_counts(certificate_type, _end_of(day)))
    rows = [
        CoverageSnapshot(day=day, agency_id=agency_id, certificate_type=certificate_type,
                         position=position, **dict(zip(FIGURES, values, strict=True)))
        for (agency_id, position), values in totals.items()
    ]
    with transaction.atomic():
        CoverageSnapshot.objects.filter(certificate_type=certificate_type, day=day).delete()
        CoverageSnapshot.objects.bulk_create(rows, batch_size=5000)
    return set(totals)


def snapshots_take(*, day: datetime.date | None = None) -> SnapshotSummary:
    """Take ``day``'s snapshot (today by default) for every certificate type."""
    began = time.perf_counter()
    summary = SnapshotSummary(day=day or timezone.localdate())
    agencies: set[int] = set()
    for certificate_type in CertificateType.objects.select_related("course"):
        written = snapshot_take(certificate_type=certificate_type, day=summary.day)
        summary.rows += len(written)
        agencies.update(agency_id for agency_id, _ in written)
    summary.agencies = len(agencies)
    summary.seconds = round(time.perf_counter() - began, 3)
    logger.info("coverage snapshot of %s: %s rows for %s agencies in %.1f s", summary.day,
                summary.rows, summary.agencies, summary.seconds)
    return summary
