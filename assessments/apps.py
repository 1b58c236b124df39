from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from lms.jobs import schedules_on_migrate

        schedules_on_migrate(self, jobs_module="assessments.jobs")
