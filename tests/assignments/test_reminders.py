import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from certificates.models import Certificate, CertificateType
from lms.assignments.models import Assignment, LearnerReminder, ManagerDigest
from lms.assignments.reminders import (
    last_reminder_date,
    learner_reminders_send,
    manager_digests_send,
)
from lms.org.models import ManagerScope
from tests.factories import UserFactory, build_course

from .conftest import CIVIL, complete

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 10)  # a Wednesday


def on(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminder_dates(settings):
    settings.HOCSO_ASSIGNMENT_REMINDER_DAYS = [14, 7, 3, 1]
    settings.HOCSO_ASSIGNMENT_OVERDUE_EVERY_DAYS = 7
    due = TODAY
    assert last_reminder_date(due, due - datetime.timedelta(days=15)) is None
    assert last_reminder_date(due, due - datetime.timedelta(days=14)) == on(-14)
    assert last_reminder_date(due, due - datetime.timedelta(days=10)) == on(-14)
    assert last_reminder_date(due, due - datetime.timedelta(days=1)) == on(-1)
    assert last_reminder_date(due, due) == on(-1)
    assert last_reminder_date(due, on(1)) == on(1)  # the day after
    assert last_reminder_date(due, on(7)) == on(1)
    assert last_reminder_date(due, on(8)) == on(8)  # then weekly
    assert last_reminder_date(due, on(20)) == on(15)


def test_the_job_run_twice_the_same_day_sends_each_reminder_once(staff, tree, course):
    Assignment.objects.create(course=course, agency=tree["hanoi"], positions=[CIVIL],
                              due_on=on(7))
    first = learner_reminders_send(today=TODAY)
    assert (first.sent, first.already_sent) == (3, 0)
    assert recipients() == ["an@example.vn", "binh@example.vn", "dao@example.vn"]
    second = learner_reminders_send(today=TODAY)
    assert (second.sent, second.already_sent) == (0, 3)
    assert len(mail.outbox) == 3
    assert LearnerReminder.objects.filter(day=TODAY).count() == 3
    # the next day is no reminder date: nothing; three days before the due date: again
    assert learner_reminders_send(today=on(1)).sent == 0
    assert learner_reminders_send(today=on(4)).sent == 3
    assert len(mail.outbox) == 6


def test_one_digest_lists_all_open_items_in_both_languages(staff, tree, course):
    other = build_course(code="AI", title="Trí tuệ nhân tạo", certificate=False)
    Assignment.objects.create(course=course, agency=tree["hanoi"], positions=[CIVIL],
                              due_on=on(-1))  # overdue since yesterday
    Assignment.objects.create(course=other, agency=tree["hong_ha"], due_on=on(40),
                              title="AI cho công chức")  # far off, still listed
    learner_reminders_send(today=TODAY)
    to_an = [m for m in mail.outbox if m.to == ["an@example.vn"]]
    assert len(to_an) == 1
    body = to_an[0].body
    assert "Kính gửi an" in body and "Dear an" in body
    assert body.index("Kính gửi") < body.index("Dear")
    assert "Kỹ năng số cơ bản: hạn 09/03/2027, đã quá hạn 1 ngày" in body
    assert "AI cho công chức: hạn 19/04/2027, còn 40 ngày" in body
    assert "overdue by 1 day" in body and "40 days left" in body
    assert body.index("Kỹ năng số cơ bản") < body.index("AI cho công chức")
    assert "/my/" in body


def test_never_to_people_who_finished_or_have_no_address(staff, tree, course):
    Assignment.objects.create(course=course, agency=tree["hanoi"], positions=[CIVIL],
                              due_on=on(1))
    complete(staff["an"].user, course.activity_id)
    staff["binh"].user.email = ""
    staff["binh"].user.save()
    summary = learner_reminders_send(today=TODAY)
    assert recipients() == ["dao@example.vn"]
    assert summary.sent == 1


def test_a_certificate_rule_is_done_by_a_valid_certificate(staff, tree, course):
    certificate_type = CertificateType.objects.get(course=course)
    Assignment.objects.create(certificate_type=certificate_type, agency=tree["hong_ha"],
                              due_on=on(3))
    complete(staff["binh"].user, course.activity_id)  # trained is not certified
    Certificate.objects.create(serial="HS-A-1", user=staff["an"].user,
                               certificate_type=certificate_type, holder_name="an",
                               course_title="x", issued_at=timezone.now())
    learner_reminders_send(today=TODAY)
    assert recipients() == ["binh@example.vn"]


def test_a_failed_send_is_tried_again_by_the_next_run(staff, tree, course):
    Assignment.objects.create(course=course, agency=tree["hong_ha"], due_on=on(14))
    with mock.patch("lms.assignments.reminders.send_mail", side_effect=OSError("smtp down")):
        summary = learner_reminders_send(today=TODAY)
    assert (summary.sent, summary.failed) == (0, 2)
    assert not LearnerReminder.objects.exists()
    # the next day is no reminder date, yet the missed reminder goes out
    assert learner_reminders_send(today=on(1)).sent == 2
    assert learner_reminders_send(today=on(1)).sent == 0


def test_archived_rules_and_people_outside_remind_nobody(staff, tree, course):
    Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=on(1),
                              active=False)
    Assignment.objects.create(course=course, agency=tree["laocai"], due_on=on(30))
    assert learner_reminders_send(today=TODAY).sent == 0
    assert mail.outbox == []


def test_people_are_read_in_batches(staff, tree, course):
    Assignment.objects.create(course=course, agency=tree["nation"], due_on=on(7))
    assert learner_reminders_send(today=TODAY, batch_size=2).sent == 5


@pytest.fixture
def managers(tree):
    hanoi = UserFactory(email="hr.hanoi@example.vn", first_name="Lan")
    ManagerScope.objects.create(user=hanoi, agency=tree["hanoi"])
    laocai = UserFactory(email="hr.laocai@example.vn")
    ManagerScope.objects.create(user=laocai, agency=tree["laocai"])
    silent = UserFactory(email="")
    ManagerScope.objects.create(user=silent, agency=tree["hanoi"])
    return {"hanoi": hanoi, "laocai": laocai, "silent": silent}


def test_managers_get_the_overdue_digest_once_per_iso_week(staff, tree, course, managers):
    Assignment.objects.create(course=course, agency=tree["local"], positions=[CIVIL],
                              due_on=on(-3))
    complete(staff["dao"].user, course.activity_id)
    summary = manager_digests_send(today=TODAY)
    assert (summary.sent, summary.no_address) == (2, 1)
    by_address = {m.to[0]: m for m in mail.outbox}
    hanoi = by_address["hr.hanoi@example.vn"]
    assert "2 người" in hanoi.subject
    assert "- an — Phường Hồng Hà" in hanoi.body and "- binh — Phường Hồng Hà" in hanoi.body
    assert "dao" not in hanoi.body and "em —" not in hanoi.body
    assert "/hr/assignments/" in hanoi.body and "status=overdue" in hanoi.body
    assert "- em — Phường Sa Pa" in by_address["hr.laocai@example.vn"].body
    # again on Friday and Sunday of the same ISO week: nothing; next Monday: again
    assert manager_digests_send(today=on(2)).sent == 0
    assert manager_digests_send(today=on(4)).already_sent == 2
    assert len(mail.outbox) == 2
    assert manager_digests_send(today=on(5)).sent == 2
    assert set(ManagerDigest.objects.values_list("week", flat=True)) == {"2027-W10",
                                                                        "2027-W11"}


def test_managers_with_nothing_overdue_get_nothing(staff, tree, course, managers, settings):
    Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=on(3))
    summary = manager_digests_send(today=TODAY)
    assert (summary.sent, summary.nothing_overdue) == (0, 2)
    assert mail.outbox == []


def test_the_digest_lists_the_first_people_and_counts_the_rest(staff, tree, course,
                                                               managers, settings):
    settings.HOCSO_ASSIGNMENT_DIGEST_PEOPLE = 1
    Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=on(-1))
    manager_digests_send(today=TODAY)
    body = next(m for m in mail.outbox if m.to == ["hr.hanoi@example.vn"]).body
    assert "… và 3 người khác." in body and "… and 3 more." in body
