"""A roster import enrols its newcomers on the rules that bind them; people who left are
bound by no rule."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.assignments.selectors import assignment_counts
from lms.org.models import Person
from lms.org.services import manager_scope_set
from lms.records.models import Registration

from ..factories import UserFactory
from ..rosters import csv_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(client, tree):
    user = UserFactory(username="hr-hanoi")
    manager_scope_set(user=user, agency=tree["hanoi"])
    client.force_login(user)
    return client


def _import(client, rows, **extra) -> None:
    response = client.post(reverse("roster:upload"),
                           {"file": upload(csv_bytes(rows), "ds.csv"), **extra})
    assert response.status_code == 302, response.content
    client.post(response["Location"].rstrip("/") + "/apply/")


def test_a_later_import_enrols_the_newcomers_the_rule_binds(hr, rule, course,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _import(hr, [
            ["Nguyễn Văn An", "HN001", "00097", "civil_servant", "an@example.vn", ""],
            ["Trần Thị Bình", "HN002", "00004", "leader", "binh@example.vn", ""],
        ])
    an, binh = Person.objects.get(staff_id="HN001"), Person.objects.get(staff_id="HN002")
    enrolled = set(Registration.objects.filter(activity_id=course.activity_id)
                   .values_list("user_id", flat=True))
    assert an.user_id in enrolled  # a civil servant of Hà Nội: bound by the rule
    assert binh.user_id not in enrolled  # a leader: not bound


def test_people_who_left_are_bound_by_no_rule(staff, rule, tree):
    before = assignment_counts(assignment=rule, root=tree["hanoi"])
    Person.objects.filter(pk=staff["an"].pk).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1))
    after = assignment_counts(assignment=rule, root=tree["hanoi"])
    assert after.assigned == before.assigned - 1
