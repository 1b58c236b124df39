"""Roster import at province scale: preview and apply of a 50,000-row staff list, twice.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hocso_bench_roster DJANGO_SECRET_KEY=bench \\
        python bench/roster_import.py --rows 50000 [--format csv|xlsx] [--province 01]

1. Drops and creates the database (its name must start with ``hocso_bench``; without
   ``DATABASE_URL`` a temporary SQLite file is used), migrates, seeds the real agency tree
   (``lms.org.services.agencies_seed``: 34 provinces, 3,321 communes) and makes an HR manager
   of one province (default 01, Hà Nội: 126 communes and wards).
2. First import: ROWS people, all new (realistic Vietnamese names, the province's real
   commune codes, mixed positions, e-mails and phones), as one CSV (or XLSX) file:
   ``roster_preview`` then ``roster_apply`` timed separately.
3. Second import, the same people: 5 % changed (half renamed or re-positioned, half moved
   to another commune), 1 % bad rows (unknown agency code, agency of another province,
   malformed e-mail, duplicate staff ID), 0.5 % gone and as many newcomers, declared the
   complete list of the province (so the gone are marked as left): preview and apply timed.
4. Prints rows/s, the queries of each step, and the process's peak memory (max RSS).

Target (issue 7): 50,000 rows in under a minute, preview + apply, on PostgreSQL.
Never run by the tests.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _setup import bench_database, bench_django  # noqa: E402
from national_data import FAMILY, FAMILY_WEIGHTS, GIVEN, MIDDLE  # noqa: E402

HEADER = ["Họ và tên", "Mã cán bộ", "Mã cơ quan", "Vị trí", "Email", "Số điện thoại"]
POSITIONS = ["civil_servant", "it_official", "leader", "commune_official", "community_team"]
POSITION_LABELS = {"leader": "Lãnh đạo", "commune_official": "Cán bộ cấp xã"}
POSITION_SHARES = [0.71, 0.03, 0.05, 0.13, 0.08]


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=50_000)
    p.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    p.add_argument("--province", default="01", help="the province's official code")
    p.add_argument("--seed", type=int, default=2026)
    return p.parse_args()




def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def people_draw(rng: random.Random, count: int, communes: list[str], first: int = 0
                ) -> list[list[str]]:
    rows = []
    for i in range(first, first + count):
        family = rng.choices(FAMILY, FAMILY_WEIGHTS)[0]
        name = f"{family} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        position = rng.choices(POSITIONS, POSITION_SHARES)[0]
        given = _ascii(name).split()
        email = f"{given[-1]}.{''.join(w[0] for w in given[:-1])}{i}@{communes[0]}.gov.vn" \
            if rng.random() < 0.9 else ""
        phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.6 else ""
        rows.append([name, f"CB{i:07d}", rng.choice(communes),
                     POSITION_LABELS.get(position, position), email, phone])
    return rows


def second_roster(rng: random.Random, first: list[list[str]], communes: list[str],
                  other_province_commune: str) -> tuple[list[list[str]], dict[str, int]]:
    """The same people with 5 % changed or moved, 1 % bad rows, 0.5 % gone, as many new."""
    rows = [list(r) for r in first]
    n = len(rows)
    picked = rng.sample(range(n), int(n * 0.065))  # 5 % changed, 1 % bad, 0.5 % gone
    changed, bad, gone = (picked[:int(n * 0.05)], picked[int(n * 0.05):int(n * 0.06)],
                          set(picked[int(n * 0.06):]))
    for k, i in enumerate(changed):
        if k % 2:
            rows[i][2] = rng.choice([c for c in communes if c != rows[i][2]])
        elif k % 4 == 0:
            rows[i][0] = rows[i][0] + " Anh"
        else:
            rows[i][3] = "it_official" if rows[i][3] != "it_official" else "leader"
    duplicates = []
    for k, i in enumerate(bad):
        kind = k % 4
        if kind == 0:
            rows[i][2] = "99999"
        elif kind == 1:
            rows[i][2] = other_province_commune
        elif kind == 2:
            rows[i][4] = "not-an-email@"
        else:  # a second row for someone already listed (the row itself stays good)
            duplicates.append([rows[i][0] + " Trùng", *rows[i][1:]])
    kept = [row for i, row in enumerate(rows) if i not in gone]
    kept += people_draw(rng, len(gone) - len(duplicates), communes, first=n)
    kept += duplicates  # so the file keeps n rows
    return kept, {"changed": len(changed), "bad": len(bad), "gone": len(gone)}


def file_bytes(rows: list[list[str]], kind: str) -> bytes:
    if kind == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cán bộ")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def timed(label: str, fn):
    """fn's value, seconds and number of SQL statements (counted, not logged)."""
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        began = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - began
    return value, seconds, count[0]


def one_import(label: str, data: bytes, kind: str, manager, rows: int, complete_for=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lms.org.rosters import roster_apply, roster_preview

    record, preview_s, preview_q = timed("preview", lambda: roster_preview(
        user=manager, upload=SimpleUploadedFile(f"roster.{kind}", data),
        complete_for=complete_for))
    assert record.status == "previewed", record.message
    result, apply_s, apply_q = timed("apply", lambda: roster_apply(
        roster_import=record, user=manager))
    record = result.roster_import
    total = preview_s + apply_s
    print(f"\n{label}: {rows} rows, {kind.upper()} {len(data) / 1024 / 1024:.1f} MB")
    print(f"    preview {preview_s:6.1f} s ({rows / preview_s:,.0f} rows/s, {preview_q} queries)")
    print(f"    apply   {apply_s:6.1f} s ({rows / apply_s:,.0f} rows/s, {apply_q} queries)")
    print(f"    total   {total:6.1f} s ({rows / total:,.0f} rows/s) -> "
          f"{'under' if total < 60 else 'NOT under'} a minute")
    print(f"    created {record.created}, updated {record.updated}, moved {record.moved}, "
          f"unchanged {record.unchanged}, marked left {record.marked_left}, rejoined "
          f"{record.rejoined}, errors {record.errors}; ids returned for enrolment: "
          f"{len(result.newcomer_ids)}")
    print(f"    peak memory so far (max RSS): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return record


def main() -> None:
    args = _arguments()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-roster-") as directory:
        tmp = Path(directory)
        url, postgres = bench_database(tmp)
        bench_django(url, tmp / "media", name="roster")
        from django.core.management import call_command
        from django.db import connection

        from lms.org.models import Agency, AgencyKind, Person, User
        from lms.org.services import agencies_seed, manager_scope_set

        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        seeded = agencies_seed()
        province = Agency.objects.get(code=args.province)
        communes = list(province.get_children().values_list("code", flat=True))
        other = (Agency.objects.filter(kind__in=[AgencyKind.COMMUNE, AgencyKind.WARD])
                 .exclude(path__startswith=province.path).values_list("code", flat=True)
                 .first())
        manager = User.objects.create(username="bench-hr")
        manager_scope_set(user=manager, agency=province)
        print(f"{'PostgreSQL' if postgres else 'SQLite'}, {os.cpu_count()} cores; "
              f"{seeded.created} agencies seeded; {province.name}: {len(communes)} communes; "
              f"set-up {time.perf_counter() - began:.1f} s; "
              f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

        first = people_draw(rng, args.rows, communes)
        data = file_bytes(first, args.format)
        one_import("1. first import, all new", data, args.format, manager, args.rows)
        with connection.cursor() as cursor:  # statistics as a running database would have
            cursor.execute("ANALYZE")

        second, made = second_roster(rng, first, communes, other)
        data = file_bytes(second, args.format)
        print(f"\n   second file: {made['changed']} changed or moved, {made['bad']} bad rows, "
              f"{made['gone']} gone and {made['gone']} new; complete list of {province.name}")
        one_import("2. second import, update path", data, args.format, manager, len(second),
                   complete_for=province)
        print(f"\n   people in the database: {Person.objects.count()}, of whom left: "
              f"{Person.objects.filter(left_on__isnull=False).count()}")

        from lms.org.roster import roster_parse

        for kind in ("csv", "xlsx"):
            blob = file_bytes(second, kind)
            began = time.perf_counter()
            roster_parse(data=blob)
            print(f"   reading alone ({kind.upper()}, {len(blob) / 1024 / 1024:.1f} MB): "
                  f"{time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
