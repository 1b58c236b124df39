from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "lms.assignments"
    label = "assignments"
    verbose_name = _("Rosters and assignments")

    def ready(self) -> None:
        from lms.jobs import schedules_on_migrate

        schedules_on_migrate(self, jobs_module="lms.assignments.jobs")
