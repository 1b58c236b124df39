"""Periodic jobs: each app declares its default schedules beside its tasks; they are created
in django-celery-beat's tables on migrate if missing, and never overwritten, so an
operator's edit in the admin survives every deploy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


@dataclass(frozen=True)
class JobSpec:
    name: str  # unique name of the periodic task, shown in the admin
    task: str  # dotted name of the Celery task
    minute: str = "*"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    expire_seconds: int | None = None
    description: str = ""
    kwargs: dict[str, Any] = field(default_factory=dict)


def periodic_tasks_ensure(specs: list[JobSpec], *, timezone: str) -> list[str]:
    """Create the periodic tasks that do not exist yet (matched by name). Existing ones are
    left exactly as the operator left them. Returns the names created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = []
    for spec in specs:
        if PeriodicTask.objects.filter(name=spec.name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=spec.minute, hour=spec.hour, day_of_week=spec.day_of_week,
            day_of_month=spec.day_of_month, month_of_year=spec.month_of_year,
            timezone=timezone,
        )
        PeriodicTask.objects.create(
            name=spec.name, task=spec.task, crontab=crontab,
            expire_seconds=spec.expire_seconds, description=spec.description,
            kwargs=json.dumps(spec.kwargs),
        )
        created.append(spec.name)
    return created


def schedules_on_migrate(config: AppConfig, *, jobs_module: str) -> None:
    """After each migrate, create the default schedules (``JOBS``) ``jobs_module``
    declares for the app of ``config``, if missing."""

    def ensure(sender: AppConfig, **kwargs: object) -> None:
        from django.conf import settings

        periodic_tasks_ensure(import_module(jobs_module).JOBS, timezone=settings.TIME_ZONE)

    post_migrate.connect(ensure, sender=config, weak=False,
                         dispatch_uid=f"{config.name}.ensure_schedules")
