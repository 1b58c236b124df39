import pytest
from django.db import transaction

from certificates.models import CertificateType
from courses.services import course_enrol, lesson_complete
from lms.assignments.models import Assignment
from lms.assignments.selectors import assignment_counts, assignment_matching_people
from lms.assignments.services import assignment_create, assignment_update, assignments_sync
from lms.assignments.tasks import assignments_sync as sync_task
from lms.records import vocab
from lms.records.models import Progress, Registration, Statement
from lms.records.services import registrations_ensure_many
from tests.factories import PersonFactory, build_course

from .conftest import CIVIL, IT, days

pytestmark = pytest.mark.django_db


def registered(course) -> set[str]:
    return set(Registration.objects.filter(activity_id=course.activity_id)
               .values_list("user__person__full_name", flat=True))


def test_a_rule_enrols_exactly_the_matching_people(staff, rule, course):
    summary = assignments_sync(assignment=rule)
    # not chi (IT official), not em (Lào Cai, outside the subtree)
    assert registered(course) == {"an", "binh", "dao"}
    assert summary.enrolled == 3
    statements = Statement.objects.filter(verb_id=vocab.REGISTERED,
                                          activity_id=course.activity_id)
    assert statements.count() == 3
    payload = statements.get(user=staff["an"].user).payload
    registration = Registration.objects.get(user=staff["an"].user)
    assert payload["actor"]["account"]["name"] == str(staff["an"].user.xapi_id)
    assert "mbox" not in payload["actor"] and "an@example.vn" not in str(payload)
    assert payload["context"]["registration"] == str(registration.registration)
    assert payload["object"]["definition"]["type"] == vocab.COURSE
    assert payload["object"]["definition"]["name"] == {"vi": course.title}


def test_a_second_sync_enrols_nobody_twice(staff, rule, course):
    course_enrol(user=staff["an"].user, course=course)  # enrolled herself before
    assert assignments_sync(assignment=rule).enrolled == 2
    assert assignments_sync(assignment=rule).enrolled == 0
    assert Registration.objects.filter(activity_id=course.activity_id).count() == 3
    assert Statement.objects.filter(verb_id=vocab.REGISTERED).count() == 3


def test_no_positions_means_every_position(staff, tree, course):
    rule = Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=days(5))
    assignments_sync(assignment=rule)
    assert registered(course) == {"an", "binh", "chi", "dao"}


def test_a_person_added_later_is_enrolled_by_a_sync_of_their_ids(staff, rule, course, tree):
    assignments_sync(assignment=rule)
    newcomer = PersonFactory(agency=tree["ba_dinh"], position=CIVIL, full_name="giang")
    outsider = PersonFactory(agency=tree["sa_pa"], position=CIVIL, full_name="ha")
    summary = assignments_sync(person_ids=[newcomer.pk, outsider.pk])
    assert summary.enrolled == 1
    assert registered(course) == {"an", "binh", "dao", "giang"}


def test_the_task_syncs_every_active_rule_and_skips_archived(staff, rule, course, tree):
    other = build_course(code="DATA", title="Quản trị dữ liệu", certificate=False)
    Assignment.objects.create(course=other, agency=tree["nation"], positions=[IT],
                              due_on=days(10), active=False)
    result = sync_task.delay().get()
    assert result == {"rules": 1, "enrolled": 3}
    assert not Registration.objects.filter(activity_id=other.activity_id).exists()


def test_creating_a_rule_enrols_its_people_once_committed(staff, tree, course,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rule = assignment_create(agency=tree["hong_ha"], due_on=days(20), by=None,
                                 course=course, positions=[CIVIL])
    assert len(callbacks) == 1
    assert registered(course) == {"an", "binh"}
    with django_capture_on_commit_callbacks(execute=True):
        assignment_update(assignment=rule, agency=tree["hanoi"])
    assert registered(course) == {"an", "binh", "dao"}
    rule.refresh_from_db()
    assert rule.synced_at is not None


def test_a_certificate_rule_enrols_on_its_course(staff, tree, course):
    certificate_type = CertificateType.objects.get(course=course)
    rule = Assignment.objects.create(certificate_type=certificate_type, agency=tree["local"],
                                     positions=[IT], due_on=days(3))
    assignments_sync(assignment=rule)
    assert registered(course) == {"chi"}
    assert rule.display_title == certificate_type.name


def test_a_rule_has_exactly_one_target(tree, course):
    from django.db import IntegrityError

    certificate_type = CertificateType.objects.get(course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(course=course, certificate_type=certificate_type,
                                  agency=tree["hanoi"], due_on=days(3))
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(agency=tree["hanoi"], due_on=days(3))


def test_a_moved_person_matches_the_rules_of_their_new_place_and_keeps_progress(
        staff, tree, course, lessons):
    in_laocai = Assignment.objects.create(course=course, agency=tree["laocai"],
                                          positions=[CIVIL], due_on=days(30))
    hanoi_only = build_course(code="HN", title="Chuyển đổi số Hà Nội", certificate=False)
    in_hanoi = Assignment.objects.create(course=hanoi_only, agency=tree["hanoi"],
                                         positions=[CIVIL], due_on=days(30))
    an = staff["an"]
    lesson_complete(user=an.user, lesson=lessons[0])
    progress_before = set(Progress.objects.filter(user=an.user).values_list(
        "activity_id", "completed"))
    an.agency = tree["sa_pa"]
    an.save()
    assignments_sync(person_ids=[an.pk])
    assert an in assignment_matching_people(assignment=in_laocai)
    assert an not in assignment_matching_people(assignment=in_hanoi)
    assert not Registration.objects.filter(user=an.user,
                                           activity_id=hanoi_only.activity_id).exists()
    assert set(Progress.objects.filter(user=an.user, activity_id__in=[
        a for a, _ in progress_before]).values_list("activity_id", "completed")) == (
        progress_before)
    counts = assignment_counts(assignment=in_laocai, root=tree["laocai"])
    assert (counts.assigned, counts.in_progress) == (2, 1)  # her lesson counts in Lào Cai


def test_enrolment_alone_is_not_a_start(staff, rule, course, lessons):
    assignments_sync(assignment=rule)
    counts = assignment_counts(assignment=rule, root=rule.agency)
    assert (counts.assigned, counts.not_started, counts.in_progress, counts.done) == (3, 3, 0, 0)
    lesson_complete(user=staff["an"].user, lesson=lessons[0])
    counts = assignment_counts(assignment=rule, root=rule.agency)
    assert (counts.not_started, counts.in_progress) == (2, 1)


def test_bulk_registration_leaves_registered_learners_alone(staff, course):
    users = [staff[k].user for k in ("an", "binh", "chi")]
    registration, _ = course_enrol(user=users[0], course=course)
    created = registrations_ensure_many(users=users, activity_id=course.activity_id,
                                        activity_type=vocab.COURSE,
                                        activity_name={"vi": course.title}, batch_size=2)
    assert created == 2
    assert Registration.objects.get(user=users[0]).registration == registration.registration
    assert Statement.objects.filter(verb_id=vocab.REGISTERED, user=users[0]).count() == 1
    assert Statement.objects.filter(verb_id=vocab.REGISTERED).count() == 3
    assert registrations_ensure_many(users=users, activity_id=course.activity_id) == 0


def test_people_changed_are_enrolled_once_committed(staff, rule, course, tree,
                                                    django_capture_on_commit_callbacks):
    from lms.assignments.services import people_changed_enqueue

    newcomer = PersonFactory(agency=tree["hong_ha"], position=CIVIL, full_name="khanh")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        people_changed_enqueue(person_ids=[newcomer.pk, newcomer.pk])
    assert len(callbacks) == 1
    assert registered(course) == {"khanh"}
