import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from lms.assignments.models import Assignment
from lms.records.models import Registration

from .conftest import days

pytestmark = pytest.mark.django_db


def test_default_schedules_exist_after_migrate():
    tasks = {t.name: t for t in PeriodicTask.objects.filter(name__startswith="assignments.")}
    assert tasks["assignments.sync"].task == "lms.assignments.tasks.assignments_sync"
    assert (tasks["assignments.sync"].crontab.hour,
            tasks["assignments.sync"].crontab.minute) == ("1", "30")
    reminders = tasks["assignments.send_reminders"]
    assert reminders.task == "lms.assignments.tasks.send_assignment_reminders"
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("7", "30")
    digests = tasks["assignments.send_overdue_digests"]
    assert digests.task == "lms.assignments.tasks.send_overdue_digests"
    assert digests.crontab.day_of_week == "1"


def test_runjobs_runs_the_assignment_jobs(staff, tree, course, capsys):
    Assignment.objects.create(course=course, agency=tree["hong_ha"], due_on=days(7))
    call_command("runjobs")
    out = capsys.readouterr().out
    assert "assignments.sync: {'rules': 1, 'enrolled': 2}" in out
    assert "assignments.send_reminders: {" in out and "'sent': 2" in out
    assert "assignments.send_overdue_digests: {" in out
    assert Registration.objects.filter(activity_id=course.activity_id).count() == 2
