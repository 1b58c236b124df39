"""Default schedules of the certificate jobs (created if missing, never overwritten)."""

from django.utils.translation import gettext_noop

from lms.jobs import JobSpec

JOBS = [
    JobSpec(
        name="certificates.issue_due_certificates",
        task="certificates.tasks.issue_due_certificates",
        minute="*/10",
        expire_seconds=9 * 60,
        description=gettext_noop(
            "Issue a certificate to every learner who has completed a course with a "
            "certificate type (every 10 minutes)."
        ),
    ),
]
