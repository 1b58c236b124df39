"""Default schedules of the report jobs (created if missing, never overwritten)."""

from django.utils.translation import gettext_noop

from lms.jobs import JobSpec

JOBS = [
    JobSpec(
        name="reports.take_coverage_snapshot",
        task="lms.reports.tasks.take_coverage_snapshot",
        minute="30",
        hour="23",
        expire_seconds=3 * 3600,
        description=gettext_noop(
            "Write today's coverage figures of every agency, certificate type and position "
            "category, which the dashboard reads (daily at 23:30; a re-run replaces them)."
        ),
    ),
]
