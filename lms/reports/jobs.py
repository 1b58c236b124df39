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
    JobSpec(
        name="reports.send_weekly_reports",
        task="lms.reports.tasks.send_weekly_reports",
        minute="0",
        hour="7",
        day_of_week="1",
        expire_seconds=12 * 3600,
        description=gettext_noop(
            "E-mail each HR manager the week's coverage report of their subtree, as an XLSX "
            "file (Mondays at 07:00; a re-run the same week sends nothing twice)."
        ),
    ),
]
