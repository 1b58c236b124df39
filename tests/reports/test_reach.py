"""The reach selector: a visit counts once at every level (children add up to the totals,
the nation is the sum of its provinces, a two-service visit is one visit), the period and
its months, active teams against teams with a visit, and a handful of grouped queries."""

import datetime

import pytest
from django.utils import timezone

from lms.community.models import Service
from lms.reports.reach import PAST_MONTHS, reach_for, reach_period

from .reach_factories import END, START, reach_tree_build, team, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reach_tree(db):
    return reach_tree_build()


def _children(reach):
    return [(row.agency.code, row.visits, row.citizens, row.teams_active, row.teams)
            for row in reach.children]


def test_counts_roll_up_once(reach_tree):
    nation = reach_for(root=reach_tree.rvn, start=START, end=END)
    totals = nation.totals
    # the two-service visit is one visit, of 3 citizens, in the totals
    assert (totals.visits, totals.citizens, totals.communes_reached) == (4, 14, 2)
    assert _children(nation) == [("RP1", 4, 14, 3, 2), ("RP2", 0, 0, 0, 1)]
    provinces = [reach_for(root=reach_tree.rp1, start=START, end=END),
                 reach_for(root=reach_tree.rp2, start=START, end=END)]
    for name in ("visits", "citizens", "teams_active", "teams", "communes_reached"):
        assert getattr(totals, name) == sum(getattr(p.totals, name) for p in provinces), name
    for reach in (nation, *provinces):
        assert sum(row.visits for row in reach.children) == reach.totals.visits
        assert sum(row.citizens for row in reach.children) == reach.totals.citizens
        assert sum(m.visits for m in reach.by_month) == reach.totals.visits
        assert sum(m.citizens for m in reach.by_month) == reach.totals.citizens
    # province → communes: only those with a team or a visit (RC22 has neither)
    assert _children(provinces[0]) == [("RC11", 3, 10, 2, 1), ("RC12", 1, 4, 1, 1)]
    assert _children(provinces[1]) == [("RC21", 0, 0, 0, 1)]
    commune = reach_for(root=reach_tree.rc11, start=START, end=END)
    assert (commune.totals.visits, commune.totals.citizens, commune.children) == (3, 10, [])


def test_by_service_counts_a_visit_in_each_of_its_services(reach_tree):
    reach = reach_for(root=reach_tree.rvn, start=START, end=END)
    assert [(row.code, row.visits, row.citizens) for row in reach.by_service] == [
        ("vneid", 2, 5), ("public_service", 1, 4), ("payment", 1, 3), ("safety", 1, 5),
        ("other", 0, 0)]
    assert [row.label for row in reach.by_service] == [str(s.label) for s in Service]
    # more service-visits than visits: the two-service visit is in two rows, once in totals
    assert sum(row.visits for row in reach.by_service) == reach.totals.visits + 1


def test_a_service_listed_twice_or_unknown_counts_once_or_not_at_all(reach_tree):
    visit(team(reach_tree.rc22), datetime.date(2026, 2, 1), ["other", "other", "fax"], 2)
    reach = reach_for(root=reach_tree.rc22, start=START, end=END)
    assert [(row.code, row.visits, row.citizens) for row in reach.by_service
            if row.visits] == [("other", 1, 2)]
    assert (reach.totals.visits, reach.totals.citizens) == (1, 2)


def test_period_and_month_zeros(reach_tree):
    reach = reach_for(root=reach_tree.rvn, start=START, end=END)
    assert (reach.start, reach.end) == (START, END)
    assert [(m.month, m.visits, m.citizens) for m in reach.by_month] == [
        ("2026-01", 1, 3), ("2026-02", 0, 0), ("2026-03", 3, 11), ("2026-04", 0, 0)]
    december = reach_for(root=reach_tree.rvn, start=datetime.date(2025, 12, 1),
                         end=datetime.date(2025, 12, 31))
    assert (december.totals.visits, december.totals.citizens) == (1, 7)
    assert _children(december) == [("RP1", 0, 0, 0, 2), ("RP2", 1, 7, 1, 1)]
    # both ends included
    day = reach_for(root=reach_tree.rvn, start=datetime.date(2026, 3, 20),
                    end=datetime.date(2026, 3, 20))
    assert (day.totals.visits, [m.month for m in day.by_month]) == (2, ["2026-03"])
    with pytest.raises(ValueError):
        reach_for(root=reach_tree.rvn, start=END, end=START)


def test_default_period_is_the_last_twelve_whole_months_and_this_one(reach_tree):
    today = timezone.localdate()
    start, end = reach_period()
    assert end == today
    assert start.day == 1
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == PAST_MONTHS
    visit(team(reach_tree.rc22), today, ["vneid"], 6)
    reach = reach_for(root=reach_tree.rc22)
    assert len(reach.by_month) == PAST_MONTHS + 1
    assert reach.by_month[-1].month == f"{today:%Y-%m}"
    assert (reach.by_month[-1].visits, reach.by_month[-1].citizens) == (1, 6)
    assert reach_period(end=datetime.date(2026, 1, 10)) == (datetime.date(2025, 1, 1),
                                                            datetime.date(2026, 1, 10))


def test_teams_active_against_teams(reach_tree):
    reach = reach_for(root=reach_tree.rc11, start=START, end=END)
    # the disbanded team's visit counts; the team is not an active team any more
    assert (reach.totals.teams_active, reach.totals.teams) == (2, 1)
    reach = reach_for(root=reach_tree.rp2, start=START, end=END)
    assert (reach.totals.teams_active, reach.totals.teams) == (0, 1)


def test_a_few_grouped_queries_whatever_the_tree(reach_tree, django_assert_max_num_queries):
    for root in (reach_tree.rvn, reach_tree.rp1, reach_tree.rc11):
        with django_assert_max_num_queries(6):
            reach_for(root=root, start=START, end=END)
