"""Coverage at national scale: the daily snapshot job and the HR dashboard on 2,000,000 people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso_bench_national DJANGO_SECRET_KEY=x \\
        python bench/national.py [--people 2000000] [--reuse] [--history 60] [--requests 50]

1. Unless ``--reuse`` finds the data already there: drops and creates the database (it must
   be ``hocso_bench_national``, or give ``--force``), migrates, seeds the real agency tree
   (34 provinces, 3,321 communes, 17 central agencies), adds a few departments under each
   ministry and province, builds two courses (basic digital skills, 14 lessons; data
   management, 6 lessons, its certificate valid 36 months) and streams PEOPLE people
   (70 % in communes), their progress (about 10 rows each), registrations (70 % enrolled)
   and certificates (about half of everyone; a few revoked; some data-management ones
   expired) in with ``COPY`` (bench/national_data.py), then ANALYZE. The time per table is
   printed. Secondary indexes stay in place during COPY by default: dropping and
   rebuilding them was not faster (300,000 people, 3,000,000 progress rows: progress in
   42.7 s with them kept, 46.0 s dropped and rebuilt, 31.6 s COPY + 14.3 s indexes;
   ``--indexes rebuild`` to measure again). During COPY the session skips the foreign-key
   triggers (``session_replication_role = replica``): the rows are made consistent, and checking
   20,000,000 references one by one would be most of the load time.
2. Times ``lms.reports.snapshots.snapshots_take()`` twice for today (the second replaces
   today's rows) and, with ``--history N``, for the N days before.
3. Times the HR dashboard (``reports:dashboard``, from the snapshots; ``--live-page`` for
   the live ``reports:coverage`` page instead) for an HR manager scoped to the nation:
   p50/p95/p99 over ``--requests`` requests for the national root, Hà Nội and a commune of
   it, and the SQL queries of one request.
4. Prints the machine: cores, PostgreSQL version, database and table sizes.

Targets (issue 6): snapshot under 10 minutes; dashboard p95 under 200 ms at every level.
Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

DATABASE = "hocso_bench_national"
BASIC_CODE, DATA_CODE = "BENCH-KNS", "BENCH-QTDL"
BASIC_LESSONS, DATA_LESSONS = 14, 6
HR_USERNAME = "bench-hr"
PROVINCE_DEPARTMENTS = ["Sở Nội vụ", "Sở Tài chính", "Sở Khoa học và Công nghệ",
                        "Sở Giáo dục và Đào tạo", "Sở Y tế"]
MINISTRY_DEPARTMENTS = ["Văn phòng", "Vụ Tổ chức cán bộ", "Cục Chuyển đổi số", "Thanh tra"]


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--people", type=int, default=2_000_000)
    p.add_argument("--reuse", action="store_true", help="keep the data if it is there")
    p.add_argument("--force", action="store_true",
                   help=f"allow a database not named {DATABASE} (it is dropped!)")
    p.add_argument("--history", type=int, default=0, help="snapshots of the N days before")
    p.add_argument("--no-snapshot", action="store_true",
                   help="with --reuse: time the dashboard on the snapshots already taken")
    p.add_argument("--live-page", action="store_true",
                   help="time the live coverage page (/hr/coverage/) instead of the dashboard")
    p.add_argument("--requests", type=int, default=50, help="dashboard requests per level")
    p.add_argument("--budget", type=float, default=300,
                   help="seconds per dashboard level at most (fewer requests if slower)")
    p.add_argument("--indexes", choices=["keep", "rebuild"], default="keep",
                   help="keep secondary indexes during COPY, or drop and rebuild them")
    p.add_argument("--seed", type=int, default=2025)
    return p.parse_args()


def _database(args: argparse.Namespace) -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    if not parsed.scheme.startswith("postgres"):
        sys.exit(f"DATABASE_URL must be postgres://…/{DATABASE}")
    if name != DATABASE and not args.force:
        sys.exit(f"refusing to drop {name!r}: the benchmark's database is {DATABASE!r} "
                 "(--force to use another, which is dropped)")
    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    return name, admin


def _database_has_data(name: str, admin: str) -> bool:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    url = os.environ["DATABASE_URL"]
    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM org_person LIMIT 10) x"
                               ).fetchone()
            return bool(row and row[0])
    except psycopg.Error:
        return False


def _database_create(name: str, admin: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django() -> None:
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-national-throwaway-key-0123456789")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()


def _step(label: str, began: float, extra: str = "") -> None:
    print(f"  {label:<34} {time.perf_counter() - began:8.1f} s{extra}", flush=True)


# -- 1. the data --------------------------------------------------------------------------------

def _departments() -> int:
    from lms.org.models import Agency, AgencyKind
    from lms.org.services import AgencySpec, agencies_seed

    specs = []
    for province in Agency.objects.filter(kind=AgencyKind.PROVINCE).order_by("path"):
        specs += [AgencySpec(code=f"{province.code}-S{n + 1}", name=f"{d} {province.name}",
                             kind=AgencyKind.UNIT, parent_code=province.code)
                  for n, d in enumerate(PROVINCE_DEPARTMENTS)]
    for ministry in Agency.objects.filter(kind__in=[AgencyKind.MINISTRY,
                                                    AgencyKind.MINISTERIAL_AGENCY]):
        specs += [AgencySpec(code=f"{ministry.code}-V{n + 1}", name=f"{d} {ministry.name}",
                             kind=AgencyKind.UNIT, parent_code=ministry.code)
                  for n, d in enumerate(MINISTRY_DEPARTMENTS)]
    return agencies_seed(specs=specs).created


def _courses():
    from national_data import Course

    from certificates.models import CertificateType
    from lms.records.models import ActivityRequirement
    from tests.factories import build_course

    made = []
    for code, lessons, title, months in (
            (BASIC_CODE, BASIC_LESSONS, "Kỹ năng số cơ bản", None),
            (DATA_CODE, DATA_LESSONS, "Quản trị dữ liệu cơ bản", 36)):
        course = build_course(code=code, lessons=lessons, title=title)
        ctype = CertificateType.objects.get(course=course)
        if months:
            ctype.validity_months = months
            ctype.save(update_fields=["validity_months"])
        children = course.get_children().specific().order_by("path")
        lesson_ids = [p.activity_id for p in children if p.specific_class.__name__ ==
                      "LessonPage"]
        quiz_id = next(p.activity_id for p in children
                       if p.specific_class.__name__ == "QuizPage")
        required = set(ActivityRequirement.objects.filter(parent_id=course.activity_id)
                       .values_list("child_id", flat=True))
        assert required == {*lesson_ids, quiz_id}, "the course requires other activities"
        made.append(Course(activity_id=course.activity_id, lessons=lesson_ids, quiz=quiz_id,
                           title=title, certificate_type_id=ctype.pk,
                           validity_days=round(months * 30.44) if months else None))
    return made


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """Indexes of ``table`` that back no constraint (primary key, unique): (name, sql)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND "
        "i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table])
    return cursor.fetchall()


def _load(table: str, columns: list[str], blocks, *, rebuild: bool) -> None:
    from django.db import connection
    from national_data import copy_into

    began = time.perf_counter()
    with connection.cursor() as c:
        cursor = c.connection.cursor()
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        indexes = _secondary_indexes(cursor, table) if rebuild else []
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        copied = copy_into(cursor, table, columns, blocks)
        index_began = time.perf_counter()
        for _, sql in indexes:
            cursor.execute(sql)
        cursor.execute("SET session_replication_role = origin")
        cursor.execute(f"SELECT count(*) FROM {table}")
        rows = cursor.fetchone()[0]
    rebuilt = (f"; indexes rebuilt in {time.perf_counter() - index_began:.1f} s"
               if indexes else "")
    _step(table, began, f"  {rows:>11,} rows (COPY {copied:.1f} s{rebuilt})")


def generate(args: argparse.Namespace) -> None:
    import national_data as data
    import numpy as np
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from certificates.models import Certificate
    from lms.org.models import Agency, AgencyKind, Person, User
    from lms.org.services import agencies_seed
    from lms.records.models import Progress, Registration

    print(f"1. data: {args.people:,} people", flush=True)
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    _step("migrate", began)
    began = time.perf_counter()
    seeded = agencies_seed().created + _departments()
    _step("agency tree", began, f"  {seeded:,} agencies")
    began = time.perf_counter()
    basic, data_course = _courses()
    _step("two courses", began)

    communes = {AgencyKind.COMMUNE, AgencyKind.WARD, AgencyKind.SPECIAL_ZONE}
    kinds = dict(Agency.objects.values_list("path", "kind"))
    agencies = list(Agency.objects.filter(kind__in=[*communes, AgencyKind.UNIT])
                    .order_by("path").values_list("pk", "name", "kind", "path"))
    is_commune = np.array([kind in communes for _, _, kind, _ in agencies])
    under_province = np.array([kinds[path[:-Agency.steplen]] == AgencyKind.PROVINCE
                               for _, _, _, path in agencies])
    rng = np.random.default_rng(args.seed)
    size = rng.lognormal(0, 0.4, len(agencies))  # agencies are not all the same size
    weights = size.copy()
    # 70 % in communes, 20 % in provinces' departments, 10 % in ministries' departments
    for mask, share in ((is_commune, 0.70), (~is_commune & under_province, 0.20),
                        (~is_commune & ~under_province, 0.10)):
        weights[mask] = size[mask] / size[mask].sum() * share
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {User._meta.db_table}")
        first_id = cursor.fetchone()[0]
    began = time.perf_counter()
    people = data.people_draw(count=args.people, weights=weights, commune=is_commune,
                              first_id=first_id, basic_lessons=BASIC_LESSONS, seed=args.seed)
    _step("draw (numpy)", began)
    stamps = data.Stamps(timezone.now().replace(hour=2, minute=0, second=0, microsecond=0))
    rebuild = args.indexes == "rebuild"
    _load(User._meta.db_table,
          ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
           "is_staff", "is_active", "date_joined", "xapi_id"],
          data.users_text(people, stamps), rebuild=rebuild)
    _load(Person._meta.db_table, ["id", "user_id", "full_name", "agency_id", "position"],
          data.persons_text(people, [pk for pk, *_ in agencies]), rebuild=rebuild)
    _load(Progress._meta.db_table,
          ["user_id", "activity_id", "completed", "success", "score_scaled", "completed_at",
           "updated_at"],
          data.progress_text(people, basic, data_course, stamps), rebuild=rebuild)
    _load(Registration._meta.db_table, ["user_id", "activity_id", "registration", "created_at"],
          data.registrations_text(people, basic, data_course, stamps), rebuild=rebuild)
    _load(Certificate._meta.db_table,
          ["serial", "user_id", "certificate_type_id", "cycle", "holder_name", "agency_name",
           "course_title", "issued_at", "expires_at", "pdf", "sha256", "status", "revoked_at",
           "revoked_reason"],
          data.certificates_text(people, basic, data_course, stamps,
                                 [name for _, name, *_ in agencies]), rebuild=rebuild)
    with connection.cursor() as cursor:
        for model in (User, Person):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
        began = time.perf_counter()
        cursor.execute("ANALYZE")
    _step("ANALYZE", began)


# -- 2. the snapshot job --------------------------------------------------------------------------

def snapshots(args: argparse.Namespace) -> None:
    print("\n2. snapshot job", flush=True)
    try:
        from lms.reports.snapshots import snapshots_take
    except ImportError as error:
        print(f"  snapshot job not available yet ({error}); skipped")
        return
    for label in ("first run (today)", "second run (today, replaces)"):
        began = time.perf_counter()
        summary = snapshots_take()
        _step(label, began, f"  {summary.agencies:,} agencies, {summary.rows:,} rows "
                            f"(job says {summary.seconds:.1f} s)")
    if args.history:
        today = datetime.date.today()
        began = time.perf_counter()
        for back in range(args.history, 0, -1):
            snapshots_take(day=today - datetime.timedelta(days=back))
        _step(f"{args.history} previous days", began,
              f"  ({(time.perf_counter() - began) / args.history:.1f} s a day)")


# -- 3. the dashboard -----------------------------------------------------------------------------

def _hr_manager():
    from lms.org.models import Agency, User
    from lms.org.services import manager_scope_set

    user, _ = User.objects.get_or_create(username=HR_USERNAME, defaults={"password": "!"})
    manager_scope_set(user=user, agency=Agency.get_first_root_node())
    return user


class _Counter:
    """An execute wrapper counting the SQL statements run."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def dashboard(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from lms.org.models import Agency, AgencyKind

    print(f"\n3. dashboard: {args.requests} requests per level "
          f"(at most {args.budget:.0f} s each), after one warm-up", flush=True)
    from certificates.models import CertificateType
    from lms.reports.models import Target

    for code, ctype, measure, rate, positions in (
            ("bench-kns-2027", BASIC_CODE, "trained", 100, []),
            ("bench-qtdl-2027", DATA_CODE, "certified", 50, ["it_official"])):
        Target.objects.get_or_create(code=code, defaults={
            "name": code, "certificate_type": CertificateType.objects.get(code=ctype.lower()),
            "measure": measure, "rate": rate, "positions": positions,
            "deadline": datetime.date(2027, 12, 31)})
    client = Client()
    client.force_login(_hr_manager())
    url = reverse("reports:coverage" if args.live_page else "reports:dashboard")
    print(f"  page: {url} (the first target: basic digital skills, trained)")
    hanoi = Agency.objects.get(code="01")
    commune = (Agency.objects.filter(path__startswith=hanoi.path, depth=hanoi.depth + 1,
                                     kind__in=[AgencyKind.COMMUNE, AgencyKind.WARD])
               .order_by("path").first())
    levels = [("nation", Agency.get_first_root_node()), ("province", hanoi),
              ("commune", commune)]
    print(f"  {'level':<10} {'agency':<28} {'people':>9} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'n':>4} {'queries':>7} {'status':>6}")
    for level, agency in levels:
        from lms.org.models import Person

        headcount = Person.objects.filter(agency__path__startswith=agency.path).count()
        address = f"{url}?agency={agency.code}"
        client.get(address)  # warm-up
        executed = _Counter()  # a wrapper counts too: the captured list came back empty here
        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(executed):
            status = client.get(address).status_code
        times, began = [], time.perf_counter()
        while len(times) < args.requests and time.perf_counter() - began < args.budget:
            t0 = time.perf_counter()
            client.get(address)
            times.append((time.perf_counter() - t0) * 1000)
        q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 \
            else times * 99
        print(f"  {level:<10} {agency.name[:28]:<28} {headcount:>9,} {q[49]:>8.0f} "
              f"{q[94]:>8.0f} {q[98]:>8.0f} {len(times):>4} {max(len(queries), executed.count):>7} "
              f"{status:>6}",
              flush=True)
    print("  targets: p95 under 200 ms at every level")


# -- 4. the machine -------------------------------------------------------------------------------

def machine() -> None:
    from django.db import connection

    print("\n4. machine", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
        version, size = cursor.fetchone()
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_table_size(oid)), "
            "pg_size_pretty(pg_indexes_size(oid)), reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
            "ORDER BY pg_total_relation_size(oid) DESC LIMIT 8")
        tables = cursor.fetchall()
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"  cores: {len(os.sched_getaffinity(0))} (of {os.cpu_count()}); "
          f"memory {memory:.0f} GB; load average {os.getloadavg()[0]:.2f}")
    print(f"  PostgreSQL: {version.split(',')[0]}; shared_buffers {buffers}")
    print(f"  database size: {size}")
    for name, table, indexes, rows in tables:
        print(f"    {name:<32} {rows:>12,} rows  table {table:>8}  indexes {indexes:>8}")


def main() -> None:
    args = _arguments()
    name, admin = _database(args)
    began = time.perf_counter()
    if args.reuse and _database_has_data(name, admin):
        _django()
        from django.core.management import call_command

        from lms.org.models import Person

        call_command("migrate", verbosity=0)  # the code may have new tables since
        print(f"1. data: reusing {name} ({Person.objects.count():,} people)")
    else:
        _database_create(name, admin)
        _django()
        generate(args)
        _step("data, all told", began)
    if not args.no_snapshot:
        snapshots(args)
    dashboard(args)
    machine()


if __name__ == "__main__":
    main()
