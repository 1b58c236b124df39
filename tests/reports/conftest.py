"""Fixtures of the coverage tests: a few people at every stage, and a national target."""

import datetime

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateType
from courses.models import LessonPage
from courses.services import course_enrol, lesson_complete
from lms.org.models import PositionCategory
from lms.records import services as records
from lms.records import vocab
from lms.reports.models import Target
from tests.factories import PersonFactory

CIVIL, IT = PositionCategory.CIVIL_SERVANT, PositionCategory.IT_OFFICIAL


def complete_course(user, course) -> None:
    records.statement_record(user=user, statement=records.statement_build(
        user=user, verb_id=vocab.COMPLETED, activity_id=course.activity_id))


@pytest.fixture
def people(tree, course):
    """Hồng Hà: an IT official certified, a civil servant trained, one who started (a
    lesson done), one not started; Sa Pa: a civil servant trained."""
    certificate_type = CertificateType.objects.get(course=course)
    made = {}
    for key, agency, position, stage in [
        ("an", "hong_ha", IT, "certified"), ("binh", "hong_ha", CIVIL, "trained"),
        ("chau", "hong_ha", CIVIL, "enrolled"), ("dung", "hong_ha", CIVIL, None),
        ("hmong", "sa_pa", CIVIL, "trained"),
    ]:
        person = PersonFactory(agency=tree[agency], position=position, full_name=key)
        if stage:
            course_enrol(user=person.user, course=course)
        if stage == "enrolled":  # and started: automatic enrolment alone is no start
            lesson_complete(user=person.user,
                            lesson=LessonPage.objects.child_of(course).first())
        if stage in {"trained", "certified"}:
            complete_course(person.user, course)
        if stage == "certified":
            Certificate.objects.create(serial=f"HS-SNAP-{key}", user=person.user,
                                       certificate_type=certificate_type, holder_name=key,
                                       course_title="x", issued_at=timezone.now())
        made[key] = person
    return made


@pytest.fixture
def target(course):
    return Target.objects.create(
        code="kns-2027", name="100% được đào tạo kỹ năng số cơ bản",
        certificate_type=CertificateType.objects.get(course=course), measure="trained",
        rate=100, deadline=datetime.date(2027, 12, 31))
