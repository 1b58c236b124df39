import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from certificates.jobs import JOBS
from lms.jobs import periodic_tasks_ensure

pytestmark = pytest.mark.django_db


def test_default_schedule_exists_after_migrate():
    task = PeriodicTask.objects.get(name="certificates.issue_due_certificates")
    assert task.task == "certificates.tasks.issue_due_certificates"
    assert task.enabled is True
    assert task.crontab.minute == "*/10"
    assert task.expire_seconds == 540


def test_operator_edit_is_never_overwritten():
    task = PeriodicTask.objects.get(name="certificates.issue_due_certificates")
    task.enabled = False
    task.crontab.minute = "0"
    task.crontab.save()
    task.save()
    assert periodic_tasks_ensure(JOBS, timezone=settings.TIME_ZONE) == []
    task.refresh_from_db()
    assert (task.enabled, task.crontab.minute) == (False, "0")


def test_deleted_schedule_is_recreated():
    PeriodicTask.objects.filter(name="certificates.issue_due_certificates").delete()
    assert periodic_tasks_ensure(JOBS, timezone=settings.TIME_ZONE) == [
        "certificates.issue_due_certificates"]


def test_beat_scheduler_reads_the_schedule_from_the_database():
    from django_celery_beat.schedulers import DatabaseScheduler

    from lms.celery import app

    scheduler = DatabaseScheduler(app=app, lazy=True)
    schedule = scheduler.all_as_schedule()
    assert "certificates.issue_due_certificates" in schedule
    assert schedule["certificates.issue_due_certificates"].task == (
        "certificates.tasks.issue_due_certificates")


def test_runjobs_runs_the_scheduled_jobs_inline(course, learner, capsys):
    from django.core.management import call_command

    from certificates.models import Certificate
    from lms.records import services as records
    from lms.records import vocab

    records.statement_record(user=learner, statement=records.statement_build(
        user=learner, verb_id=vocab.COMPLETED, activity_id=course.activity_id))
    call_command("runjobs")
    assert "certificates.issue_due_certificates: {'issued': 1, 'renewed': 0, 'skipped': 0}" in (
        capsys.readouterr().out)
    assert Certificate.objects.filter(user=learner).count() == 1


def test_expired_attempts_are_closed_every_minute_by_default():
    task = PeriodicTask.objects.get(name="assessments.close_expired_attempts")
    assert task.task == "assessments.tasks.close_expired_attempts"
    assert (task.enabled, task.crontab.minute) == (True, "*")
