"""The same visit sent twice at the same moment (a retry racing the first send) is stored
once (PostgreSQL: SQLite serialises writers, so there is no race to test)."""

from __future__ import annotations

import os

import pytest

from lms.community.models import Visit
from lms.community.services import visit_record
from lms.records.models import Statement
from tests.racing import run_together

from .conftest import payload

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_resends_store_one_visit(team_a, people):
    user = people["an"].user
    data = payload(team_a, phone="0912345678", consent=True)
    results, errors = run_together(lambda: visit_record(user=user, data=data)[1],
                                   threads=4, timeout=60)
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert Visit.objects.count() == 1
    assert Statement.objects.filter(pk=data["id"]).count() == 1
