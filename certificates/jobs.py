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
            "Issue a certificate to every learner who has met a certificate type's "
            "requirements, and renew those passed again (every 10 minutes)."
        ),
    ),
    JobSpec(
        name="certificates.send_expiry_reminders",
        task="certificates.tasks.send_expiry_reminders",
        minute="0",
        hour="8",
        expire_seconds=6 * 3600,
        description=gettext_noop(
            "E-mail holders whose certificate's renewal window has opened, and again two "
            "weeks before it ends (daily at 08:00)."
        ),
    ),
]
