"""The daily coverage snapshot: figures per agency subtree, position and day, rolled up
once, as of the end of the day; the job replaces a day's rows."""

import datetime

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateType
from certificates.services import certificate_revoke
from lms.org.models import PositionCategory
from lms.records.models import Progress
from lms.reports.models import CoverageSnapshot, Target
from lms.reports.services import targets_load
from lms.reports.snapshots import snapshots_take
from lms.reports.tasks import take_coverage_snapshot

from .conftest import complete_course

pytestmark = pytest.mark.django_db
CIVIL, IT = PositionCategory.CIVIL_SERVANT, PositionCategory.IT_OFFICIAL


def _figures(agency, position=None, day=None):
    rows = CoverageSnapshot.objects.filter(agency=agency, day=day or timezone.localdate())
    if position:
        rows = rows.filter(position=position)
    totals = {name: 0 for name in ("headcount", "enrolled", "in_progress", "trained",
                                   "certified")}
    for row in rows:
        for name in totals:
            totals[name] += getattr(row, name)
    return tuple(totals.values())


def test_figures_roll_up_the_tree_once(tree, people):
    summary = snapshots_take()
    assert summary.rows == CoverageSnapshot.objects.count() > 0
    #        headcount, enrolled, in progress, trained, certified
    assert _figures(tree["hong_ha"]) == (4, 3, 1, 2, 1)
    assert _figures(tree["hong_ha"], IT) == (1, 1, 0, 1, 1)
    assert _figures(tree["hong_ha"], CIVIL) == (3, 2, 1, 1, 0)
    assert _figures(tree["ba_dinh"]) == (0, 0, 0, 0, 0)  # nobody there: no rows
    assert _figures(tree["hanoi"]) == (4, 3, 1, 2, 1)
    assert _figures(tree["sa_pa"]) == (1, 1, 0, 1, 0)
    assert _figures(tree["laocai"]) == (1, 1, 0, 1, 0)
    assert _figures(tree["nation"]) == (5, 4, 1, 3, 1)
    assert summary.agencies == 6  # two wards, two provinces, local level, nation


def test_a_rerun_replaces_the_day(tree, people, course):
    first = take_coverage_snapshot.delay().get()
    assert first["day"] == timezone.localdate().isoformat()
    complete_course(people["chau"].user, course)
    snapshots_take()
    assert _figures(tree["nation"]) == (5, 4, 0, 4, 1)
    assert CoverageSnapshot.objects.filter(day=timezone.localdate()).count() == first["rows"]


def test_a_past_day_counts_what_was_true_then(tree, people, course):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Progress.objects.filter(user=people["binh"].user, activity_id=course.activity_id).update(
        completed_at=timezone.now() - datetime.timedelta(days=3))
    certificate = Certificate.objects.get()
    certificate_revoke(certificate=certificate, actor=None, reason="Cấp nhầm")
    snapshots_take(day=yesterday)
    # yesterday: only Bình had completed (3 days ago); enrolments and the certificate
    # are from today
    assert _figures(tree["nation"], day=yesterday) == (5, 0, 0, 1, 0)
    snapshots_take()
    assert _figures(tree["nation"]) == (5, 4, 1, 3, 0)  # revoked today: not certified
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=10))
    snapshots_take(day=yesterday)
    assert _figures(tree["nation"], day=yesterday)[4] == 1  # revoked after yesterday


def test_national_targets_load_for_existing_certificate_types(course):
    CertificateType.objects.filter(course=course).update(code="kns-cb")
    loaded = targets_load()
    assert [target.code for target in loaded] == ["ky-nang-so-co-ban-2027"]
    target = Target.objects.get()
    assert (target.rate, target.measure, target.deadline) == (100, "trained",
                                                              datetime.date(2027, 12, 31))
    assert target.position_codes() == [choice.value for choice in PositionCategory]
    assert "2629/QĐ-TTg" in target.source
    assert targets_load()[0].pk == target.pk  # a re-load updates, never duplicates


def test_enrolment_alone_is_no_progress_and_people_who_left_count_until_they_left(
        tree, people, course):
    from courses.services import course_enrol

    course_enrol(user=people["dung"].user, course=course)  # as an assignment rule would
    people["binh"].left_on = timezone.localdate()
    people["binh"].save()
    snapshots_take(day=timezone.localdate() - datetime.timedelta(days=1))
    snapshots_take()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # today: Dũng enrolled but not started; Bình gone (left today)
    assert _figures(tree["hong_ha"]) == (3, 3, 1, 1, 1)
    # yesterday Bình still worked there
    assert _figures(tree["hong_ha"], day=yesterday)[0] == 4
