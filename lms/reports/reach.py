"""Reach of the community digital teams for an agency's subtree: guidance visits, citizens
guided, by service, by month, the teams, and the same for each child agency. The one
selector of the dashboard's section, the reach exports and the reach API.

Counts roll up once: a visit is counted under its ``commune`` (the team's commune when it
was recorded), so it counts once in that commune, once in its province and once
nationally; the children rows of an agency add up to its totals. Each figure is one grouped
query over the period's visits of the subtree (grouped by the child's materialised-path
prefix, by month, by service list), never a query per agency.

No citizen's data is read here: a visit names no citizen, and the follow-up phone numbers
(``FollowUpContact``) are never queried."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from lms.community.models import Service, Team, Visit
from lms.org.models import Agency
from lms.org.selectors import agency_subtree_q

PAST_MONTHS = 12  # the default period: the last 12 whole months and the current month


@dataclass(frozen=True)
class ReachTotals:
    visits: int = 0
    citizens: int = 0
    teams_active: int = 0     # distinct teams with at least one visit in the period
    teams: int = 0            # active teams of the subtree (today, whatever the period)
    communes_reached: int = 0  # distinct communes with at least one visit in the period


@dataclass(frozen=True)
class ServiceReach:
    code: str
    label: str
    visits: int    # visits that mention the service (a visit may mention several)
    citizens: int  # citizens of those visits


@dataclass(frozen=True)
class MonthReach:
    month: str  # YYYY-MM
    visits: int
    citizens: int


@dataclass(frozen=True)
class ChildReach:
    agency: Agency
    visits: int
    citizens: int
    teams_active: int
    teams: int

    @property
    def has_children(self) -> bool:
        return self.agency.numchild > 0


@dataclass(frozen=True)
class Reach:
    root: Agency
    start: datetime.date
    end: datetime.date
    totals: ReachTotals
    by_service: list[ServiceReach]  # every service, in the order of ``Service``
    by_month: list[MonthReach]      # every month of the period, oldest first, zeros too
    children: list[ChildReach]      # children of ``root`` with a team or a visit, tree order


def _month_start(day: datetime.date, *, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def reach_period(*, start: datetime.date | None = None,
                 end: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The period read: ``end`` defaults to today, ``start`` to the first day of the month
    ``PAST_MONTHS`` months before ``end``'s month (so the last 12 whole months and the
    current one). Both days are included. ``start`` after ``end`` is a ValueError."""
    end = end or timezone.localdate()
    start = start or _month_start(end, back=PAST_MONTHS)
    if start > end:
        raise ValueError("start after end")
    return start, end


def _months(start: datetime.date, end: datetime.date) -> list[str]:
    months, day = [], _month_start(start)
    while day <= end:
        months.append(f"{day:%Y-%m}")
        day = _month_start(day, back=-1)
    return months


def _visits(root: Agency, start: datetime.date, end: datetime.date) -> QuerySet[Visit]:
    return Visit.objects.filter(agency_subtree_q(root, prefix="commune__"),
                                visited_on__gte=start, visited_on__lte=end).order_by()


def _by_service(visits: QuerySet[Visit]) -> list[ServiceReach]:
    # grouped by the visit's list of services (a handful of distinct lists), then split
    # in Python: works alike on PostgreSQL and SQLite, which has no JSON "contains"
    found: Counter = Counter()
    for services, count, citizens in (visits.values("services")
                                      .annotate(n=Count("pk"), c=Sum("citizens"))
                                      .values_list("services", "n", "c")):
        codes = {code for code in services if isinstance(code, str)} \
            if isinstance(services, list) else set()
        for code in codes:  # a code listed twice counts once
            found[(code, "visits")] += count
            found[(code, "citizens")] += citizens or 0
    return [ServiceReach(code=service.value, label=str(service.label),
                         visits=found[(service.value, "visits")],
                         citizens=found[(service.value, "citizens")])
            for service in Service]


def _by_month(visits: QuerySet[Visit], start: datetime.date,
              end: datetime.date) -> list[MonthReach]:
    rows = (visits.annotate(month=TruncMonth("visited_on")).values("month")
            .annotate(n=Count("pk"), c=Sum("citizens")).values_list("month", "n", "c"))
    found = {f"{month:%Y-%m}": (count, citizens or 0) for month, count, citizens in rows}
    return [MonthReach(month=month, visits=found.get(month, (0, 0))[0],
                       citizens=found.get(month, (0, 0))[1])
            for month in _months(start, end)]


def _prefix(root: Agency) -> Substr:
    """The path of the child of ``root`` a row's commune is in (``root``'s own path, shorter,
    for a row of ``root`` itself)."""
    return Substr("commune__path", 1, len(root.path) + Agency.steplen)


def _teams(root: Agency) -> dict[str, int]:
    """Active teams of the subtree by child path prefix (a child without an active team
    but with a disbanded one: 0)."""
    return {row["prefix"]: row["active"] for row in
            Team.objects.filter(agency_subtree_q(root, prefix="commune__"))
            .annotate(prefix=_prefix(root)).values("prefix")
            .annotate(active=Count("pk", filter=Q(active=True))).order_by()}


def _children(root: Agency, visits: QuerySet[Visit], teams: dict[str, int]) -> list[ChildReach]:
    by_visits = {
        row["prefix"]: row for row in
        visits.annotate(prefix=_prefix(root)).values("prefix")
        .annotate(n=Count("pk"), c=Sum("citizens"), teams_active=Count("team", distinct=True))
    }
    # rows of ``root`` itself (a team of the commune shown) belong to no child
    length = len(root.path) + Agency.steplen
    wanted = {prefix for prefix in (*by_visits, *teams) if len(prefix) == length}
    if not wanted:
        return []
    rows = []
    for child in (Agency.objects.filter(path__in=wanted).order_by("path")
                  .only("pk", "code", "name", "path", "depth", "numchild", "kind")):
        visited = by_visits.get(child.path, {})
        rows.append(ChildReach(agency=child, visits=visited.get("n", 0),
                               citizens=visited.get("c") or 0,
                               teams_active=visited.get("teams_active", 0),
                               teams=teams.get(child.path, 0)))
    return rows


def reach_for(*, root: Agency, start: datetime.date | None = None,
              end: datetime.date | None = None) -> Reach:
    """The reach of ``root``'s subtree over the period (see ``reach_period``): totals, by
    service, by month and per child agency, in six queries whatever the subtree's size."""
    start, end = reach_period(start=start, end=end)
    visits = _visits(root, start, end)
    figures = visits.aggregate(n=Count("pk"), c=Sum("citizens"),
                               teams_active=Count("team", distinct=True),
                               communes=Count("commune", distinct=True))
    teams = _teams(root)
    totals = ReachTotals(visits=figures["n"], citizens=figures["c"] or 0,
                         teams_active=figures["teams_active"], teams=sum(teams.values()),
                         communes_reached=figures["communes"])
    return Reach(root=root, start=start, end=end, totals=totals,
                 by_service=_by_service(visits), by_month=_by_month(visits, start, end),
                 children=_children(root, visits, teams))
