from django.core.management.base import BaseCommand, CommandError

from courses.competencies import FrameworkError, competencies_load


class Command(BaseCommand):
    help = ("Load the competency frameworks of content/competencies/ into the Competency "
            "table (by code; idempotent). import_course_packs runs it too.")

    def handle(self, *args, **options) -> None:
        try:
            counts = competencies_load()
        except FrameworkError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(", ".join(f"{n} {name}" for name, n in counts.items()))
