from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.competencies import FrameworkError
from lms.setup.packs.importer import packs_import
from lms.setup.packs.reader import pack_folders


class Command(BaseCommand):
    help = ("Import course packs (format v2, content/README.md) into pages and question "
            "banks. Idempotent; content an editor changed in the CMS since the last import "
            "is kept unless --force.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path,
                            help="Course folders, or folders of course folders. Default: "
                                 "every folder of content/courses/.")
        parser.add_argument("--force", action="store_true",
                            help="Overwrite content edited in the CMS (a new revision; the "
                                 "editor's version stays in the revision history).")

    def handle(self, *args, **options) -> None:
        paths = options["paths"] or [Path(settings.BASE_DIR) / "content" / "courses"]
        folders: list[Path] = []
        for path in paths:
            if (path / "course.yaml").is_file():
                folders.append(path)
            elif path.is_dir():
                folders.extend(pack_folders(path))
            else:
                raise CommandError(f"{path}: not a course folder (no course.yaml) nor a "
                                   "folder of course folders")
        if not folders:
            self.stdout.write("No course packs found.")
            return
        try:
            reports, refused = packs_import(folders=folders, force=options["force"])
        except FrameworkError as error:
            raise CommandError(str(error)) from error
        for report in reports:
            self.stdout.write(f"{report.pack}: {report.summary()}")
            for outcome, what, note in report.lines:
                if outcome in ("kept", "retired"):
                    self.stdout.write(f"  {what}: {note or outcome}")
        for folder, problems in refused.items():
            self.stderr.write(f"{folder}: refused, nothing imported:")
            for problem in problems:
                self.stderr.write(f"  {problem}")
        if refused:
            raise CommandError(f"{len(refused)} of {len(folders)} course packs refused.")
