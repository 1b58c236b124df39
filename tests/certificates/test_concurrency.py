"""Two workers issuing at the same moment still give one certificate per learner."""

import os

import pytest

from certificates.models import Certificate
from certificates.services import certificates_issue_due
from lms.records import services as records
from lms.records import vocab
from tests.factories import PersonFactory, build_course
from tests.racing import run_together

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_runs_issue_each_certificate_once(tree):
    course = build_course(code="KNS-PAR")
    learners = [PersonFactory(agency=tree["hong_ha"]).user for _ in range(12)]
    for user in learners:
        records.statement_record(user=user, statement=records.statement_build(
            user=user, verb_id=vocab.COMPLETED, activity_id=course.activity_id))
    results, errors = run_together(lambda: certificates_issue_due(batch_size=4), threads=3)
    assert errors == []
    assert sum(r.issued for r in results) == 12
    assert Certificate.objects.count() == 12
    assert set(Certificate.objects.values_list("user_id", flat=True)) == {u.pk for u in learners}
