from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender: AppConfig, **kwargs: object) -> None:
    from django.conf import settings

    from lms.jobs import periodic_tasks_ensure

    from .jobs import JOBS

    periodic_tasks_ensure(JOBS, timezone=settings.TIME_ZONE)


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedules, sender=self,
                             dispatch_uid="certificates.ensure_schedules")
