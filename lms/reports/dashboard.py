"""Reads of the coverage dashboard, from the daily snapshots: an agency's figures against a
national target, its children ranked, its history and the forecast. The page, the exports
and the API all read these functions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Sum
from django.utils import timezone

from certificates.selectors import certificates_valid
from lms.org.models import Agency, Person, PositionCategory
from lms.org.selectors import agency_subtree_q
from lms.records.models import Progress
from lms.records.selectors import started_exists

from .forecast import Forecast, forecast
from .models import CoverageSnapshot, Measure, Target
from .snapshots import FIGURES

HISTORY_DAYS = 365
PEOPLE_PAGE = 50


@dataclass(frozen=True)
class Figures:
    headcount: int = 0
    enrolled: int = 0
    in_progress: int = 0
    trained: int = 0
    certified: int = 0

    def count(self, measure: str) -> int:
        return self.certified if measure == Measure.CERTIFIED else self.trained

    def rate(self, measure: str) -> float | None:
        """Percent of the headcount reached by ``measure``; None when nobody counts."""
        return 100 * self.count(measure) / self.headcount if self.headcount else None


@dataclass(frozen=True)
class AgencyFigures:
    agency: Agency
    figures: Figures
    rate: float | None
    gap: int  # people still to reach the target's rate (0 when met)

    @property
    def has_children(self) -> bool:
        return self.agency.numchild > 0


@dataclass(frozen=True)
class Dashboard:
    target: Target
    day: datetime.date | None  # the snapshot read; None: no snapshot yet
    root: AgencyFigures
    children: list[AgencyFigures]  # ranked: highest rate first
    history: list[tuple[datetime.date, float]]
    forecast: Forecast
    positions: list[tuple[str, Figures]]  # (label, figures) per position category


def _figures(row: dict) -> Figures:
    return Figures(**{name: row[name] or 0 for name in FIGURES})


def _gap(figures: Figures, target: Target) -> int:
    needed = -(-figures.headcount * target.rate // 100)  # ceiling: 50 % of 3 people is 2
    return max(needed - figures.count(target.measure), 0)


def _with_rate(agency: Agency, figures: Figures, target: Target) -> AgencyFigures:
    return AgencyFigures(agency=agency, figures=figures, rate=figures.rate(target.measure),
                         gap=_gap(figures, target))


def snapshot_latest_day(*, target: Target) -> datetime.date | None:
    return (CoverageSnapshot.objects.filter(certificate_type_id=target.certificate_type_id)
            .aggregate(day=Max("day"))["day"])


def figures_by_agency(*, target: Target, agency_ids: list[int],
                      day: datetime.date) -> dict[int, Figures]:
    """Each agency's figures (its whole subtree) for the target's positions on ``day``."""
    rows = (CoverageSnapshot.objects
            .filter(certificate_type_id=target.certificate_type_id, day=day,
                    agency_id__in=agency_ids, position__in=target.position_codes())
            .values("agency_id").annotate(**{name: Sum(name) for name in FIGURES})
            .order_by())
    return {row["agency_id"]: _figures(row) for row in rows}


def figures_by_position(*, target: Target, agency: Agency,
                        day: datetime.date) -> list[tuple[str, Figures]]:
    """(label, figures) of the agency for each position category (all of them, not only
    the target's), in the order of ``PositionCategory``."""
    rows = (CoverageSnapshot.objects
            .filter(certificate_type_id=target.certificate_type_id, day=day, agency=agency)
            .values("position").annotate(**{name: Sum(name) for name in FIGURES})
            .order_by())
    found = {row["position"]: _figures(row) for row in rows}
    return [(choice.label, found[choice.value]) for choice in PositionCategory
            if choice.value in found]


def rate_history(*, target: Target, agency: Agency, until: datetime.date,
                 days: int = HISTORY_DAYS) -> list[tuple[datetime.date, float]]:
    """(day, rate %) of the agency for each snapshot day of the last ``days``."""
    rows = (CoverageSnapshot.objects
            .filter(certificate_type_id=target.certificate_type_id, agency=agency,
                    position__in=target.position_codes(),
                    day__gt=until - datetime.timedelta(days=days), day__lte=until)
            .values("day").annotate(**{name: Sum(name) for name in FIGURES})
            .order_by("day"))
    history = []
    for row in rows:
        rate = _figures(row).rate(target.measure)
        if rate is not None:
            history.append((row["day"], round(rate, 2)))
    return history


def dashboard_for(*, target: Target, agency: Agency) -> Dashboard:
    """The agency against the target, from the latest snapshot: a handful of queries
    whatever the size of the subtree."""
    day = snapshot_latest_day(target=target)
    children = list(agency.get_children().only("pk", "code", "name", "path", "depth",
                                               "numchild", "kind"))
    figures = (figures_by_agency(target=target, agency_ids=[agency.pk, *(c.pk for c in children)],
                                 day=day) if day else {})
    ranked = sorted(
        (_with_rate(child, figures[child.pk], target) for child in children
         if child.pk in figures and figures[child.pk].headcount),
        key=lambda row: (-(row.rate or 0), row.agency.name))
    history = rate_history(target=target, agency=agency, until=day) if day else []
    return Dashboard(
        target=target, day=day,
        root=_with_rate(agency, figures.get(agency.pk, Figures()), target),
        children=ranked, history=history,
        forecast=forecast(points=history, target=float(target.rate), deadline=target.deadline),
        positions=figures_by_position(target=target, agency=agency, day=day) if day else [],
    )


@dataclass(frozen=True)
class PeopleBehind:
    people: list[Person]    # each with ``is_started``
    next_after: str | None  # the cursor of the next page, None at the end
    overdue: bool           # the target's deadline has passed


AGENCIES_PER_PAGE = 200  # a page reads at most this many units, however empty they are


def _cursor(text: str | None) -> tuple[str, int]:
    """``"<agency path>:<person id>"`` → (path, id); anything else → the start."""
    path, _, pk = (text or "").partition(":")
    return (path, int(pk)) if path.isalnum() and pk.isdigit() else ("", 0)


def people_behind(*, target: Target, agency: Agency, after: str | None = None,
                  limit: int = PEOPLE_PAGE) -> PeopleBehind:
    """People of the subtree, in the target's positions, who have not reached it (not
    trained, or not certified), with whether they have started; unit by unit in tree order,
    then by person id, a page at a time. Each unit is one indexed query, so a page costs
    the same in a commune and for the whole country (no scan, no total count)."""
    course_id = target.certificate_type.course.activity_id
    if target.measure == Measure.CERTIFIED:
        reached = Exists(certificates_valid().filter(
            user_id=OuterRef("user_id"), certificate_type_id=target.certificate_type_id))
    else:
        reached = Exists(Progress.objects.filter(user_id=OuterRef("user_id"),
                                                 activity_id=course_id, completed=True))
    behind = (Person.objects.filter(position__in=target.position_codes()).exclude(reached)
              .filter(left_on__isnull=True)
              .annotate(is_started=started_exists(activity_id=course_id))
              .select_related("agency").order_by("pk"))
    start_path, start_pk = _cursor(after)
    units = (Agency.objects.filter(agency_subtree_q(agency), path__gte=start_path)
             .order_by("path").values_list("pk", "path")[:AGENCIES_PER_PAGE + 1])
    people: list[Person] = []
    next_after = None
    for index, (unit_id, path) in enumerate(units):
        if index == AGENCIES_PER_PAGE:
            next_after = f"{path}:0"
            break
        found = behind.filter(agency_id=unit_id)
        if path == start_path:
            found = found.filter(pk__gt=start_pk)
        people.extend(found[:limit + 1 - len(people)])
        if len(people) > limit:
            people = people[:limit]
            next_after = f"{people[-1].agency.path}:{people[-1].pk}"
            break
    return PeopleBehind(people=people, next_after=next_after,
                        overdue=timezone.localdate() > target.deadline)
