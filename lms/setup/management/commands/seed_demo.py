from django.core.management.base import BaseCommand

from lms.setup.demo import demo_seed


class Command(BaseCommand):
    help = "Load the demo data (agencies, a course, ~200 learners, progress, certificates)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("Seeding demo data (the first run takes about a minute)…")
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<11} {login.username:<10} / {login.password}"
                              f"   ({login.note})")
