"""The little world the browser tests walk through: a province with two wards, a course,
a learner part-way through it, an HR manager of the province with a national target, an
assignment and today's coverage snapshot."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from certificates.models import CertificateType
from courses.models import CoursePage, LessonPage
from courses.services import course_enrol, lesson_complete
from lms.assignments.services import assignment_create
from lms.org.models import Agency, AgencyKind, User
from lms.org.services import manager_scope_set
from lms.reports.models import Target
from lms.reports.snapshots import snapshots_take
from tests.factories import PersonFactory, UserFactory, agency, build_course

PROVINCE = "Thành phố Hà Nội"


@dataclass
class World:
    province: Agency
    course: CoursePage
    lessons: list[LessonPage]
    learner: User
    manager: User
    target: Target


def world_build() -> World:
    province = agency(PROVINCE, kind=AgencyKind.PROVINCE, code="01")
    hong_ha = agency("Phường Hồng Hà", parent=province, kind=AgencyKind.WARD, code="00097")
    agency("Phường Ba Đình", parent=Agency.objects.get(pk=province.pk), kind=AgencyKind.WARD,
           code="00004")
    course = build_course(code="KNS-J", lessons=2, questions=3)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    learner = PersonFactory(agency=hong_ha, full_name="Nguyễn Thị Ánh Tuyết").user
    PersonFactory(agency=Agency.objects.get(code="00004"), full_name="Lò Văn Sùng")
    course_enrol(user=learner, course=course)
    lesson_complete(user=learner, lesson=lessons[0])
    manager = UserFactory(username="hr-hanoi")
    province = Agency.objects.get(pk=province.pk)
    manager_scope_set(user=manager, agency=province)
    target = Target.objects.create(
        code="kns-2027", name="100% được đào tạo kỹ năng số cơ bản",
        certificate_type=CertificateType.objects.get(course=course), measure="trained",
        rate=100, deadline=datetime.date(2027, 12, 31))
    assignment_create(agency=province, due_on=timezone.localdate() + datetime.timedelta(30),
                      by=manager, course=course, title="Kỹ năng số 2026")
    snapshots_take()
    return World(province=province, course=course, lessons=lessons, learner=learner,
                 manager=manager, target=target)
