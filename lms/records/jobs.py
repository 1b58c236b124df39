"""Default schedules of the learning-record jobs (created if missing, never overwritten)."""

from django.utils.translation import gettext_noop

from lms.jobs import JobSpec

JOBS = [
    JobSpec(
        name="records.forward_sweep",
        task="lms.records.tasks.forward_sweep",
        minute="*",
        expire_seconds=50,
        description=gettext_noop(
            "Send the statements still waiting to the external LRS, when forwarding is "
            "configured (every minute)."
        ),
    ),
]
