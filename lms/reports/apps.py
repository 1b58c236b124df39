from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lms.reports"
    label = "reports"
    verbose_name = _("Coverage reports")

    def ready(self) -> None:
        from lms.jobs import schedules_on_migrate

        schedules_on_migrate(self, jobs_module="lms.reports.jobs")
