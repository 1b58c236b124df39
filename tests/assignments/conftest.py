"""Fixtures of the assignment tests: people across the small tree, in two positions."""

import datetime

import pytest
from django.utils import timezone

from lms.assignments.models import Assignment
from lms.org.models import PositionCategory
from lms.records import services as records
from lms.records import vocab
from tests.factories import PersonFactory

CIVIL, IT = PositionCategory.CIVIL_SERVANT, PositionCategory.IT_OFFICIAL


def complete(user, activity_id: str) -> None:
    records.statement_record(user=user, statement=records.statement_build(
        user=user, verb_id=vocab.COMPLETED, activity_id=activity_id))


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def staff(tree):
    """Hà Nội: two civil servants in Hồng Hà, one IT official in Ba Đình, one civil
    servant in Hà Nội itself; Lào Cai: a civil servant in Sa Pa. All with e-mails."""
    made = {}
    for key, agency, position in [
        ("an", "hong_ha", CIVIL), ("binh", "hong_ha", CIVIL), ("chi", "ba_dinh", IT),
        ("dao", "hanoi", CIVIL), ("em", "sa_pa", CIVIL),
    ]:
        person = PersonFactory(agency=tree[agency], position=position, full_name=key,
                               user__email=f"{key}@example.vn")
        made[key] = person
    return made


@pytest.fixture
def rule(tree, course):
    """Every civil servant of Hà Nội takes the course, due in 30 days."""
    return Assignment.objects.create(course=course, agency=tree["hanoi"],
                                     positions=[CIVIL], due_on=days(30))
