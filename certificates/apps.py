from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from lms.jobs import schedules_on_migrate

        schedules_on_migrate(self, jobs_module="certificates.jobs")
