from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_schedules(sender: AppConfig, **kwargs: object) -> None:
    from django.conf import settings

    from lms.jobs import periodic_tasks_ensure

    from .jobs import JOBS

    periodic_tasks_ensure(JOBS, timezone=settings.TIME_ZONE)


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedules, sender=self,
                             dispatch_uid="assessments.ensure_schedules")
