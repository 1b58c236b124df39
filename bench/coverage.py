"""Coverage figures for a large agency tree: how long one coverage page's figures take.

    python bench/coverage.py [PEOPLE]            # a throw-away SQLite file
    DATABASE_URL=postgres://…/hocso_bench DJANGO_SECRET_KEY=x python bench/coverage.py

Builds the real agency tree, PEOPLE people (default 100,000) spread over all communes,
marks 60% trained and 30% certified, then times ``coverage_for`` at national, provincial
and commune level. Never point it at a database you care about: it adds rows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates.models import Certificate, CertificateType  # noqa: E402
from lms.org.models import Agency, AgencyKind, Person, User  # noqa: E402
from lms.org.services import agencies_seed  # noqa: E402
from lms.records.models import Progress  # noqa: E402
from lms.reports.selectors import coverage_for  # noqa: E402
from tests.factories import build_course  # noqa: E402


def main(people: int) -> None:
    call_command("migrate", verbosity=0)
    agencies_seed()
    course = build_course(code=f"BENCH-{int(time.time())}")
    certificate_type = CertificateType.objects.get(course=course)
    communes = list(Agency.objects.filter(kind__in=[AgencyKind.COMMUNE, AgencyKind.WARD,
                                                    AgencyKind.SPECIAL_ZONE]))
    start = time.perf_counter()
    prefix = f"b{int(time.time())}-"
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{i}", password="!") for i in range(people)], batch_size=5000)
    Person.objects.bulk_create(
        [Person(user=u, full_name=f"Người {i}", agency=communes[i % len(communes)],
                position="civil_servant") for i, u in enumerate(users)], batch_size=5000)
    Progress.objects.bulk_create(
        [Progress(user=u, activity_id=course.activity_id, completed=True)
         for i, u in enumerate(users) if i % 10 < 6], batch_size=5000)
    now = timezone.now()
    Certificate.objects.bulk_create(
        [Certificate(serial=f"{prefix}{i}", user=u, certificate_type=certificate_type,
                     holder_name="x", course_title="x", issued_at=now)
         for i, u in enumerate(users) if i % 10 < 3], batch_size=5000)
    print(f"people: {people} (built in {time.perf_counter() - start:.1f} s)")
    for label, code in (("nation", "VN"), ("province (Hà Nội)", "01"),
                        ("commune (Phường Hồng Hà)", "00097")):
        root = Agency.objects.get(code=code)
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            result = coverage_for(root=root, certificate_type=certificate_type)
            timings.append(time.perf_counter() - t0)
        print(f"{label}: headcount {result.root.headcount}, trained {result.root.trained}, "
              f"certified {result.root.certified}, {len(result.children)} rows below; "
              f"best of 3: {min(timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
