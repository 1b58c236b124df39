from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Set up the embedded default (migrate, seed demo data) and serve it on :8000."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true",
                            help="Set up and seed, then stop without serving.")

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        # a development signing key for the certificates (kept if it exists)
        call_command("certificates_dev_key", stdout=self.stdout)
        call_command("seed_demo", stdout=self.stdout)
        if options["no_serve"]:
            return
        self.stdout.write(f"Serving on http://{options['addrport']}/ (Ctrl+C to stop)")
        call_command("runserver", options["addrport"], use_reloader=False)
