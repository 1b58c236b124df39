from django.core.management.base import BaseCommand

from lms.org.services import agencies_seed


class Command(BaseCommand):
    help = (
        "Create or update the agency tree: the central branch from "
        "content/central_agencies.yaml, the 34 provinces and 3,321 communes from the "
        "vietnamadminunits package. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        result = agencies_seed()
        self.stdout.write(self.style.SUCCESS(
            f"Agencies: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        ))
        if result.conflicts:
            self.stdout.write(self.style.WARNING(
                "Moved to another parent, left in place: " + ", ".join(result.conflicts)
            ))
