"""The coverage dashboard: figures against a target from the snapshots, children ranked,
the forecast on a constructed history, and the manager's subtree only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import CertificateType
from lms.org.models import PositionCategory
from lms.org.services import manager_scope_set
from lms.reports.dashboard import dashboard_for
from lms.reports.models import CoverageSnapshot, Target
from lms.reports.snapshots import snapshots_take
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_figures_ranking_and_gap(tree, people, target):
    snapshots_take()
    board = dashboard_for(target=target, agency=tree["local"])
    assert board.day == timezone.localdate()
    assert (board.root.figures.headcount, board.root.figures.trained) == (5, 3)
    assert board.root.rate == pytest.approx(60.0)
    assert board.root.gap == 2
    # Lào Cai (1 of 1 trained) ranks above Hà Nội (2 of 4)
    assert [(row.agency.code, row.rate) for row in board.children] == [("15", 100.0),
                                                                        ("01", 50.0)]
    assert [(str(label), figures.headcount, figures.trained)
            for label, figures in board.positions] == [
        (str(PositionCategory.CIVIL_SERVANT.label), 4, 2),
        (str(PositionCategory.IT_OFFICIAL.label), 1, 1)]
    it_only = Target.objects.create(code="it", name="IT", certificate_type=target.certificate_type,
                                    measure="certified", rate=50, positions=["it_official"],
                                    deadline=datetime.date(2027, 12, 31))
    board = dashboard_for(target=it_only, agency=tree["hanoi"])
    assert (board.root.figures.headcount, board.root.figures.certified) == (1, 1)
    assert board.root.gap == 0


def test_forecast_from_the_history(tree, people, target):
    snapshots_take()
    today = timezone.localdate()
    # a constructed history: the nation gained 5 points a week for four weeks
    rows = CoverageSnapshot.objects.filter(day=today, agency=tree["nation"])
    for weeks in range(1, 5):
        for row in rows:
            row.pk, row.day = None, today - datetime.timedelta(weeks=weeks)
            row.trained = 0
            row.save()
    board = dashboard_for(target=target, agency=tree["nation"])
    assert [rate for _, rate in board.history] == [0.0, 0.0, 0.0, 0.0, 60.0]
    assert board.forecast.reach_on is not None
    assert board.forecast.pace_per_30_days > 0


def test_page_for_the_manager_subtree_only(client, tree, people, target):
    snapshots_take()
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["hanoi"])
    client.force_login(manager)
    url = reverse("reports:dashboard")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thành phố Hà Nội" in html and "Phường Hồng Hà" in html
    assert "Lào Cai" not in html and "Sa Pa" not in html
    assert "dung" in html and "hmong" not in html  # people behind: Hà Nội's only
    assert client.get(url, {"agency": "02665"}).status_code == 404  # Sa Pa: outside
    assert client.get(url, {"agency": "VN"}).status_code == 404     # above the scope
    ward = client.get(url, {"agency": "00097", "target": target.code})
    assert ward.status_code == 200
    assert 'id="chart-data"' in ward.content.decode()


def test_empty_states(client, tree, course):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    assert "content/targets.yaml" in page.content.decode()
    Target.objects.create(code="t", name="T", measure="trained", rate=100,
                          certificate_type=CertificateType.objects.get(course=course),
                          deadline=datetime.date(2027, 12, 31))
    page = client.get(reverse("reports:dashboard"))
    assert "runjobs" in page.content.decode()


def test_people_behind_the_target_with_their_status(tree, people, target):
    from lms.reports.dashboard import people_behind

    behind = people_behind(target=target, agency=tree["hanoi"])
    # Hà Nội: Châu started but not trained, Dũng not started; An and Bình are trained
    assert [(p.full_name, p.is_started) for p in behind.people] == [("chau", True),
                                                                       ("dung", False)]
    assert behind.next_after is None and behind.overdue is False
    first = people_behind(target=target, agency=tree["nation"], limit=1)
    assert [p.full_name for p in first.people] == ["chau"]
    second = people_behind(target=target, agency=tree["nation"], after=first.next_after,
                           limit=1)
    assert [p.full_name for p in second.people] == ["dung"]
    assert people_behind(target=target, agency=tree["laocai"]).people == []
    target.deadline = datetime.date(2020, 1, 1)
    assert people_behind(target=target, agency=tree["hanoi"]).overdue is True


def test_the_assignments_of_the_unit_on_the_dashboard(client, tree, people, target, course):
    from lms.assignments.models import Assignment

    snapshots_take()
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["hanoi"])
    client.force_login(manager)
    url = reverse("reports:dashboard")
    assert client.get(url).context["assignments"].rules == 0  # no rule: no section
    # Hà Nội's civil servants, due yesterday: Bình trained, Châu started, Dũng not started
    Assignment.objects.create(course=course, agency=tree["hanoi"],
                              positions=[PositionCategory.CIVIL_SERVANT],
                              due_on=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(url)
    totals = page.context["assignments"]
    assert (totals.rules, totals.overdue, totals.not_started) == (1, 2, 1)
    assert reverse("assignments:list") in page.content.decode()
