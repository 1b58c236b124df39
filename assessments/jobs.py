"""Default schedules of the assessment jobs (created if missing, never overwritten)."""

from django.utils.translation import gettext_noop

from lms.jobs import JobSpec

JOBS = [
    JobSpec(
        name="assessments.close_expired_attempts",
        task="assessments.tasks.close_expired_attempts",
        minute="*",
        expire_seconds=55,
        description=gettext_noop(
            "Grade timed quiz attempts whose time ran out while the learner was away "
            "(every minute)."
        ),
    ),
]
