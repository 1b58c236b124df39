from django.core.management.base import BaseCommand

from courses.services import course_requirements_sync_all


class Command(BaseCommand):
    help = "Re-declare in the learning records what completes each course (safe to re-run)."

    def handle(self, *args, **options) -> None:
        count = course_requirements_sync_all()
        self.stdout.write(self.style.SUCCESS(f"Completion rules synced for {count} courses."))
