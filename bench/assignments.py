"""Enrolling a whole rule: how long ``assignments_sync`` takes for PEOPLE people.

    DATABASE_URL=postgres://…/hocso_bench DJANGO_SECRET_KEY=x python bench/assignments.py [PEOPLE]
    python bench/assignments.py [PEOPLE]     # a throw-away SQLite file

Builds a small tree (one province, 100 communes), PEOPLE civil servants (default 50,000)
and one course, then times one rule's enrolment (Registration rows and their
``registered`` statements stored through the LRS, progress projected), then a second run
(nothing left to do), then the reminder job and the counts of the rule. Never point it at
a database you care about: it adds rows.
"""

from __future__ import annotations

import datetime
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

from django.conf import settings  # noqa: E402

settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # nothing sent

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from lms.assignments.models import Assignment  # noqa: E402
from lms.assignments.reminders import learner_reminders_send  # noqa: E402
from lms.assignments.selectors import assignment_counts  # noqa: E402
from lms.assignments.services import assignments_sync  # noqa: E402
from lms.org.models import Agency, AgencyKind, Person, User  # noqa: E402
from lms.records import vocab  # noqa: E402
from lms.records.models import Registration, Statement  # noqa: E402
from tests.factories import build_course  # noqa: E402


def main(people: int) -> None:
    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    root = Agency.add_root(code=f"B{stamp}", name="Bench", kind=AgencyKind.NATION)
    province = root.add_child(code=f"B{stamp}P", name="Tỉnh bench", kind=AgencyKind.PROVINCE)
    communes = [Agency.objects.get(pk=province.pk).add_child(
        code=f"B{stamp}C{i}", name=f"Xã {i}", kind=AgencyKind.COMMUNE) for i in range(100)]
    course = build_course(code=f"BENCH-{stamp}", certificate=False)
    start = time.perf_counter()
    users = User.objects.bulk_create(
        [User(username=f"b{stamp}-{i}", password="!", email=f"b{i}@example.vn")
         for i in range(people)], batch_size=5000)
    Person.objects.bulk_create(
        [Person(user=u, full_name=f"Người {i}", agency=communes[i % len(communes)],
                position="civil_servant") for i, u in enumerate(users)], batch_size=5000)
    print(f"database: {connection.vendor}; people: {people} "
          f"(built in {time.perf_counter() - start:.1f} s)")
    rule = Assignment.objects.create(course=course, agency=province,
                                     due_on=timezone.localdate() + datetime.timedelta(days=7))
    t0 = time.perf_counter()
    summary = assignments_sync(assignment=rule)
    elapsed = time.perf_counter() - t0
    registered = Registration.objects.filter(activity_id=course.activity_id).count()
    statements = Statement.objects.filter(activity_id=course.activity_id,
                                          verb_id=vocab.REGISTERED).count()
    print(f"enrol one rule: {summary.enrolled} people in {elapsed:.1f} s "
          f"({summary.enrolled / elapsed:.0f} people/s); {registered} registrations, "
          f"{statements} registered statements")
    t0 = time.perf_counter()
    again = assignments_sync(assignment=rule)
    print(f"second run: {again.enrolled} enrolled in {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    counts = assignment_counts(assignment=rule, root=province)
    print(f"counts of the rule: {counts.assigned} assigned, {counts.not_started} not started "
          f"in {(time.perf_counter() - t0) * 1000:.0f} ms")
    t0 = time.perf_counter()
    reminders = learner_reminders_send()
    print(f"reminder job: {reminders.sent} digests in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
