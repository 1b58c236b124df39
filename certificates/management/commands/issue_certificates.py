from django.core.management.base import BaseCommand

from certificates.services import certificates_issue_due


class Command(BaseCommand):
    help = "Issue every certificate that has become due (the scheduled job, run now)."

    def handle(self, *args, **options) -> None:
        summary = certificates_issue_due()
        self.stdout.write(self.style.SUCCESS(
            f"Certificates issued: {summary.issued}, already held: {summary.skipped}."))
