"""Reads of teams and visits: a member's teams and visits, a manager's teams, a team's
reach in a month. None of them reads follow-up contacts."""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from lms.org.models import Agency, Person, PositionCategory, User
from lms.org.selectors import agency_in_subtree, agency_subtree_q

from .models import COMMUNE_KINDS, Team, Visit


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of ``month``'s month and the first day of the next."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def members_eligible(*, commune: Agency) -> QuerySet[Person]:
    """The people who may be in a team of ``commune``: community-team position, working in
    its subtree, not left."""
    return (Person.objects.filter(agency_subtree_q(commune, prefix="agency__"),
                                  position=PositionCategory.COMMUNITY_TEAM,
                                  left_on__isnull=True)
            .select_related("agency").order_by("full_name", "pk"))


def teams_of_member(*, user: User) -> list[Team]:
    """The active teams ``user`` is a current member of (community-team position, still in
    the team's commune, not left), by name."""
    person = Person.objects.select_related("agency").filter(user_id=user.pk).first()
    if person is None or person.position != PositionCategory.COMMUNITY_TEAM \
            or person.left_on is not None:
        return []
    teams = Team.objects.filter(active=True, members=person).select_related("commune")
    return [team for team in teams.order_by("name", "pk")
            if agency_in_subtree(agency=person.agency, root=team.commune)]


def team_figures(*, team: Team, month: datetime.date) -> dict[str, int]:
    """The team's reach in ``month``'s month: visits and citizens guided."""
    start, end = month_bounds(month)
    figures = Visit.objects.filter(team=team, visited_on__gte=start, visited_on__lt=end) \
        .aggregate(visits=Count("pk"), citizens=Coalesce(Sum("citizens"), 0))
    return {"visits": figures["visits"], "citizens": figures["citizens"]}


def teams_in_scope(*, root: Agency, month: datetime.date | None = None) -> QuerySet[Team]:
    """The teams of the communes in ``root``'s subtree (active first, by commune and name),
    each with ``members_count`` and, when ``month`` is given, ``month_visits`` and
    ``month_citizens`` (one query, no row multiplication)."""
    teams = (Team.objects.filter(agency_subtree_q(root, prefix="commune__"))
             .select_related("commune", "leader")
             .annotate(members_count=Coalesce(Subquery(
                 Team.members.through.objects.filter(team_id=OuterRef("pk"))
                 .values("team_id").annotate(n=Count("pk")).values("n"),
                 output_field=IntegerField()), Value(0)))
             .order_by("-active", "commune__name", "name"))
    if month is not None:
        start, end = month_bounds(month)
        visits = (Visit.objects.filter(team_id=OuterRef("pk"), visited_on__gte=start,
                                       visited_on__lt=end).values("team_id"))
        teams = teams.annotate(
            month_visits=Coalesce(Subquery(visits.annotate(n=Count("pk")).values("n"),
                                           output_field=IntegerField()), Value(0)),
            month_citizens=Coalesce(Subquery(visits.annotate(n=Sum("citizens")).values("n"),
                                             output_field=IntegerField()), Value(0)))
    return teams


def team_in_scope(*, pk: int, root: Agency) -> Team | None:
    """The team ``pk`` if its commune is in ``root``'s subtree (else None: a 404)."""
    return teams_in_scope(root=root).filter(pk=pk).first()


def communes_in_scope(*, root: Agency) -> QuerySet[Agency]:
    """The communes, wards and special zones of ``root``'s subtree, in tree order."""
    return Agency.objects.filter(agency_subtree_q(root), kind__in=COMMUNE_KINDS) \
        .order_by("path")


def visits_of_member(*, user: User, limit: int = 10) -> list[Visit]:
    """``user``'s own last visits, newest first (no follow-up contact is read)."""
    return list(Visit.objects.filter(member=user).select_related("team", "commune")
                .order_by("-visited_on", "-recorded_at")[:limit])
