"""Training coverage per agency, rolled up the agency tree.

One selector computes the figures; the HR page and the CSV export both read it.
Counts are taken per agency in one grouped query (a row per agency, not per person) and
rolled up in memory by materialised-path prefix, so a learner in a commune counts once in
the commune, once in its province and once nationally.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value

from certificates.models import CertificateType
from certificates.selectors import certificates_valid
from lms.org.models import Agency, Person
from lms.org.selectors import (
    agency_in_subtree,
    agency_subtree_q,
    agency_within,
    manager_root_of,
)
from lms.records.models import Progress
from lms.records.selectors import started_exists

# The reports' scope is the HR scope: one rule, defined in lms.org.
report_root_of = manager_root_of
report_agency = agency_within


def agency_trail(*, agency: Agency, root: Agency) -> list[Agency]:
    """The breadcrumbs from ``root`` down to ``agency``."""
    return [*(a for a in agency.get_ancestors() if agency_in_subtree(agency=a, root=root)),
            agency]


@dataclass(frozen=True)
class CoverageRow:
    agency: Agency
    headcount: int
    trained: int
    certified: int

    @property
    def trained_rate(self) -> float | None:
        return self.trained / self.headcount if self.headcount else None

    @property
    def certified_rate(self) -> float | None:
        return self.certified / self.headcount if self.headcount else None

    @property
    def has_children(self) -> bool:
        return self.agency.numchild > 0


@dataclass(frozen=True)
class Coverage:
    root: CoverageRow
    children: list[CoverageRow]
    certificate_type: CertificateType | None


def _people_with_status(*, root: Agency, certificate_type: CertificateType | None) -> QuerySet:
    people = Person.objects.filter(agency_subtree_q(root, prefix="agency__"),
                                    left_on__isnull=True)
    if certificate_type is None:
        no = Value(False, output_field=BooleanField())
        return people.annotate(is_trained=no, is_certified=no)
    return people.annotate(
        is_trained=Exists(Progress.objects.filter(
            user_id=OuterRef("user_id"), activity_id=certificate_type.course.activity_id,
            completed=True,
        )),
        is_certified=Exists(certificates_valid().filter(
            user_id=OuterRef("user_id"), certificate_type=certificate_type,
        )),
    )


def coverage_for(*, root: Agency, certificate_type: CertificateType | None) -> Coverage:
    """Headcount, trained and certified for ``root`` and each of its children (each figure
    covering the child's whole subtree)."""
    children = list(root.get_children())
    child_len = len(root.path) + Agency.steplen
    totals: dict[str, Counter] = {c.path: Counter() for c in children}
    grand = Counter()
    per_agency = (
        _people_with_status(root=root, certificate_type=certificate_type)
        .values("agency__path")
        .annotate(headcount=Count("pk"), trained=Count("pk", filter=Q(is_trained=True)),
                  certified=Count("pk", filter=Q(is_certified=True)))
        .order_by()
    )
    for counts in per_agency:
        bucket = totals.get(counts["agency__path"][:child_len])
        for counter in (grand, bucket) if bucket is not None else (grand,):
            for key in ("headcount", "trained", "certified"):
                counter[key] += counts[key]

    def row(agency: Agency, counts: Counter) -> CoverageRow:
        return CoverageRow(agency=agency, headcount=counts["headcount"],
                           trained=counts["trained"], certified=counts["certified"])

    return Coverage(
        root=row(root, grand),
        children=[row(c, totals[c.path]) for c in children],
        certificate_type=certificate_type,
    )


def coverage_people(*, root: Agency, certificate_type: CertificateType | None,
                    page: int | str = 1, per_page: int = 50) -> Page:
    """The people of the subtree with their status, a page at a time."""
    people = coverage_people_all(root=root, certificate_type=certificate_type)
    return Paginator(people, per_page).get_page(page)


def coverage_people_all(*, root: Agency,
                        certificate_type: CertificateType | None) -> QuerySet:
    return (_people_with_status(root=root, certificate_type=certificate_type)
            .select_related("agency").order_by("agency__path", "full_name", "pk"))


# A person's furthest stage for a certificate type, each excluding the ones after it.
PEOPLE_STAGES = ("not_started", "in_progress", "trained", "certified")


def people_at_stage(*, root: Agency, certificate_type: CertificateType | None,
                    status: str | None = None) -> QuerySet:
    """The people of ``root``'s subtree (as ``coverage_people_all``) with ``is_started``,
    only those whose furthest stage is ``status`` (one of ``PEOPLE_STAGES``; None or
    anything else: everyone): certified; trained (not certified); in progress (started a
    step, not trained nor certified; enrolment alone is no start); not started (none of
    these)."""
    people = coverage_people_all(root=root, certificate_type=certificate_type)
    if certificate_type is None:
        people = people.annotate(is_started=Value(False, output_field=BooleanField()))
        return people.none() if status in {"in_progress", "trained", "certified"} else people
    people = people.annotate(is_started=started_exists(
        activity_id=certificate_type.course.activity_id))
    return people.filter({
        "certified": Q(is_certified=True),
        "trained": Q(is_trained=True, is_certified=False),
        "in_progress": Q(is_started=True, is_trained=False, is_certified=False),
        "not_started": Q(is_started=False, is_trained=False, is_certified=False),
    }.get(status or "", Q()))


def person_stage(person: Person) -> str:
    """The furthest stage of a person read by ``people_at_stage``."""
    if person.is_certified:
        return "certified"
    if person.is_trained:
        return "trained"
    return "in_progress" if getattr(person, "is_started", False) else "not_started"
