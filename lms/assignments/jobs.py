"""Default schedules of the assignment jobs (created if missing, never overwritten)."""

from django.utils.translation import gettext_noop

from lms.jobs import JobSpec

JOBS = [
    JobSpec(
        name="assignments.sync",
        task="lms.assignments.tasks.assignments_sync",
        minute="30",
        hour="1",
        expire_seconds=4 * 3600,
        description=gettext_noop(
            "Enrol on its course everyone an active assignment binds who is not enrolled "
            "yet: a safety net behind the enrolment run when a rule or a roster changes "
            "(nightly at 01:30)."
        ),
    ),
    JobSpec(
        name="assignments.send_reminders",
        task="lms.assignments.tasks.send_assignment_reminders",
        minute="30",
        hour="7",
        expire_seconds=10 * 3600,
        description=gettext_noop(
            "E-mail each learner with required courses due soon or overdue one digest of "
            "their open required items (daily at 07:30; a re-run the same day sends "
            "nothing twice)."
        ),
    ),
    JobSpec(
        name="assignments.send_overdue_digests",
        task="lms.assignments.tasks.send_overdue_digests",
        minute="45",
        hour="7",
        day_of_week="1",
        expire_seconds=12 * 3600,
        description=gettext_noop(
            "E-mail each HR manager the overdue people of their subtree (Mondays at 07:45; "
            "a re-run the same week sends nothing twice)."
        ),
    ),
]
