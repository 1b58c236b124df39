import time

from django.core.management.base import BaseCommand
from django_celery_beat.models import PeriodicTask

from lms.celery import app


class Command(BaseCommand):
    help = (
        "Run every enabled scheduled job once, inline (the embedded default has no beat); "
        "with --every N, keep running them every N seconds."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")

    def handle(self, *args, **options) -> None:
        app.loader.import_default_modules()  # discover every app's tasks
        while True:
            for job in PeriodicTask.objects.filter(enabled=True).order_by("name"):
                task = app.tasks.get(job.task)
                if task is None:
                    self.stderr.write(f"{job.name}: unknown task {job.task}, skipped")
                    continue
                result = task.apply()
                self.stdout.write(f"{job.name}: {result.result}")
            if not options["every"]:
                return
            time.sleep(options["every"])
