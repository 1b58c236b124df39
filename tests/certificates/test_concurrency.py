"""Workers issuing at the same moment still give one certificate per learner and cycle."""

import os

import pytest

from certificates.models import Certificate, CertificateType
from certificates.services import certificates_issue_due
from tests.factories import PersonFactory, build_course
from tests.racing import run_together

from .helpers import age, complete, pass_exam

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_runs_issue_each_certificate_once(tree):
    course = build_course(code="KNS-PAR")
    learners = [PersonFactory(agency=tree["hong_ha"]).user for _ in range(12)]
    for user in learners:
        complete(user, course)
    results, errors = run_together(lambda: certificates_issue_due(batch_size=4), threads=3)
    assert errors == []
    assert sum(r.issued for r in results) == 12
    assert Certificate.objects.count() == 12
    assert set(Certificate.objects.values_list("user_id", flat=True)) == {u.pk for u in learners}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_runs_renew_each_certificate_once(tree):
    from assessments.models import QuizPage

    course = build_course(code="KNS-REN")
    quiz = QuizPage.objects.child_of(course).get()
    CertificateType.objects.filter(course=course).update(validity_months=12,
                                                         renewal_window_days=60)
    learners = [PersonFactory(agency=tree["ba_dinh"]).user for _ in range(6)]
    for user in learners:
        complete(user, course)
    certificates_issue_due()
    for certificate in Certificate.objects.all():
        age(certificate, days=330)
    for user in learners:
        pass_exam(user, quiz)
    results, errors = run_together(certificates_issue_due, threads=3)
    assert errors == []
    assert sum(r.renewed for r in results) == 6
    assert Certificate.objects.filter(cycle=2).count() == 6
    assert Certificate.objects.count() == 12
