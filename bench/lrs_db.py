"""The benchmark's PostgreSQL database: recreate it, migrate, add the xAPI client, and
load millions of statements with COPY (secondary indexes and constraints dropped first and
rebuilt after, as the fastest way to fill a big table).

Django must be set up (``DATABASE_URL`` pointing at the bench database) before the
functions that use the ORM are called.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
import psycopg
from lrs_data import RELATION_COLUMNS, STATEMENT_COLUMNS, Corpus

LEARNER_PREFIX = "bench-l"
BIG_TABLES = ("records_statement", "records_statementrelation")
_CHUNK = 4 << 20


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def database_recreate(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def client_ensure(key: str, secret: str) -> int:
    """The xAPI client the load generator authenticates as (read and write, every agency),
    made or updated through the LRS's client services."""
    from lms.records.clients import client_create, client_rotate_secret, client_update
    from lms.records.models import Client

    client = Client.objects.filter(key=key).first()
    if client is None:
        client, _ = client_create(name="Benchmark", can_read=True, can_write=True, key=key,
                                  secret=secret)
    else:
        client_update(client=client, name="Benchmark", agency=None, can_read=True,
                      can_write=True, is_active=True)
        client_rotate_secret(client=client, secret=secret)
    return client.pk


def _copy(conn: psycopg.Connection, table: str, columns: Iterable[str],
          lines: Iterable[str], *, freeze: bool = False) -> None:
    cols = ", ".join(columns)
    with conn.cursor() as cur, cur.copy(
            f"COPY {table} ({cols}) FROM STDIN{' WITH (FREEZE)' if freeze else ''}") as copy:
        buf, size = [], 0
        for line in lines:
            buf.append(line)
            size += len(line)
            if size > _CHUNK:
                copy.write("".join(buf))
                buf, size = [], 0
        if buf:
            copy.write("".join(buf))


def learners_ensure(url: str, count: int) -> list[tuple[int, str]]:
    """``count`` learner accounts (users named bench-l…), created by COPY if missing."""
    with psycopg.connect(url) as conn:
        have = conn.execute("SELECT count(*) FROM org_user WHERE username LIKE %s",
                            (LEARNER_PREFIX + "%",)).fetchone()[0]
        if have < count:
            now = datetime.datetime.now(datetime.UTC).isoformat()
            _copy(conn, "org_user", ("password", "is_superuser", "username", "first_name",
                                     "last_name", "email", "is_staff", "is_active",
                                     "date_joined", "xapi_id"),
                  (f"!\tf\t{LEARNER_PREFIX}{i:07d}\t\t\t\tf\tt\t{now}\t{uuid.uuid4()}\n"
                   for i in range(have, count)))
            conn.commit()
        rows = conn.execute(
            "SELECT id, xapi_id::text FROM org_user WHERE username LIKE %s ORDER BY username "
            "LIMIT %s", (LEARNER_PREFIX + "%", count)).fetchall()
    return [(pk, name) for pk, name in rows]


def catalogue_load(url: str, corpus: Corpus) -> None:
    """Registrations (one per learner and course) and course requirements."""
    with psycopg.connect(url) as conn:
        now = datetime.datetime.now(datetime.UTC).isoformat()
        _copy(conn, "records_registration",
              ("user_id", "activity_id", "registration", "created_at"),
              (f"{corpus.learners[li][0]}\t{corpus.courses[c].iri}\t"
               f"{corpus.registrations[li][k]}\t{now}\n"
               for li, courses in enumerate(corpus.enrolments)
               for k, c in enumerate(courses)))
        _copy(conn, "records_activityrequirement", ("parent_id", "child_id", "rule"),
              (f"{p}\t{c}\t{r}\n" for p, c, r in corpus.requirements()))
        conn.commit()


@dataclass(frozen=True)
class _Schema:
    constraints: list[tuple[str, str, str, str]]  # (name, table, definition, type)
    indexes: list[tuple[str, str]]  # (name, definition)


def _schema(conn: psycopg.Connection) -> _Schema:
    tables = list(BIG_TABLES)
    constraints = conn.execute(
        "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid), "
        "c.contype FROM pg_constraint c WHERE c.contype IN ('p', 'u', 'f') AND "
        "(c.conrelid = ANY(%s::regclass[]) OR c.confrelid = ANY(%s::regclass[]))",
        (tables, tables)).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
        "WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))", (tables,)).fetchall()
    return _Schema(constraints, indexes)


def _drop(conn: psycopg.Connection, schema: _Schema) -> None:
    for name, table, _definition, _type in sorted(schema.constraints,
                                                  key=lambda c: c[3] != "f"):
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in schema.indexes:
        conn.execute(f"DROP INDEX {name}")
    conn.commit()


def _rebuild(conn: psycopg.Connection, schema: _Schema) -> None:
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET max_parallel_maintenance_workers = 2")
    steps = [(f"{name}", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
             for name, table, definition, kind in schema.constraints if kind != "f"]
    steps += list(schema.indexes)
    steps += [(f"{name}", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
              for name, table, definition, kind in schema.constraints if kind == "f"]
    for name, sql in steps:
        t0 = time.perf_counter()
        conn.execute(sql)
        conn.commit()
        log(f"  {name}: {time.perf_counter() - t0:.0f} s")


def statements_load(url: str, corpus: Corpus, *, count: int, client_id: int,
                    progress: Callable[[int], None] | None = None) -> dict[str, float]:
    """COPY ``count`` statements (and their relation rows) into the empty statement tables,
    rebuild indexes and constraints, fill the progress projection, analyze. Returns the
    seconds each step took."""
    timings: dict[str, float] = {}
    end = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    start = end - datetime.timedelta(days=365)
    with psycopg.connect(url) as main, psycopg.connect(url) as side:
        schema = _schema(main)
        _drop(main, schema)
        t0 = time.perf_counter()
        # TRUNCATE + COPY FREEZE in one transaction: rows are written frozen, no vacuum.
        main.execute("TRUNCATE records_statement")
        side.execute("TRUNCATE records_statementrelation")
        relations: list[str] = []
        cols = ", ".join(STATEMENT_COLUMNS)
        rel_cols = ", ".join(RELATION_COLUMNS)
        with main.cursor() as cur, cur.copy(
                f"COPY records_statement ({cols}) FROM STDIN WITH (FREEZE)") as copy, \
                side.cursor() as rel_cur, rel_cur.copy(
                f"COPY records_statementrelation ({rel_cols}) FROM STDIN WITH (FREEZE)"
                ) as rel_copy:
            buf, size, done = [], 0, 0
            for row, relation in corpus.copy_rows(count=count, client_id=client_id,
                                                  start=start, end=end):
                buf.append(row)
                size += len(row)
                if relation:
                    relations.append(relation)
                if size > _CHUNK:
                    copy.write("".join(buf))
                    rel_copy.write("".join(relations))
                    done += len(buf)
                    buf, size, relations = [], 0, []
                    if progress:
                        progress(done)
            copy.write("".join(buf))
            rel_copy.write("".join(relations))
        main.commit()
        side.commit()
        timings["copy"] = time.perf_counter() - t0
        log(f"COPY done in {timings['copy']:.0f} s; rebuilding indexes and constraints")
        t0 = time.perf_counter()
        _rebuild(main, schema)
        timings["indexes"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        _progress_fill(main)
        timings["progress"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        main.autocommit = True
        main.execute("ANALYZE")
        main.execute("CHECKPOINT")
        timings["analyze"] = time.perf_counter() - t0
    return timings


def _progress_fill(conn: psycopg.Connection) -> None:
    """The progress rows the projection would hold for the loaded statements."""
    adl = "http://adlnet.gov/expapi/verbs/"
    conn.execute("SET work_mem = '512MB'")
    conn.execute(
        "INSERT INTO records_progress (user_id, activity_id, completed, success, "
        "score_scaled, completed_at, updated_at) "
        "SELECT user_id, activity_id, bool_or(verb_id = ANY(%(done)s)), "
        "CASE WHEN bool_or(verb_id = %(passed)s) THEN true "
        "WHEN bool_or(verb_id = %(failed)s) THEN false END, "
        "max((payload->'result'->'score'->>'scaled')::float) "
        "FILTER (WHERE verb_id IN (%(passed)s, %(failed)s)), "
        "min(timestamp) FILTER (WHERE verb_id = ANY(%(done)s)), max(stored) "
        "FROM records_statement WHERE user_id IS NOT NULL AND activity_id <> '' "
        "GROUP BY user_id, activity_id",
        {"done": [adl + "completed", adl + "passed", adl + "failed"],
         "passed": adl + "passed", "failed": adl + "failed"})
    conn.commit()


def check_shape(corpus: Corpus, *, client_id: int) -> None:
    """The COPY rows must be what the LRS itself would store: each generated statement is
    run through the LRS's validator and its row and relation builders, and the columns
    compared. Raises ``AssertionError`` naming the first difference."""
    from lms.records import storage
    from lms.records.xapi.validation import validate_statement

    now = datetime.datetime.now(datetime.UTC)
    columns = STATEMENT_COLUMNS
    for row, relation in corpus.copy_rows(count=200, client_id=client_id,
                                          start=now - datetime.timedelta(days=1), end=now):
        values = dict(zip(columns, row.rstrip("\n").split("\t"), strict=True))
        payload = orjson.loads(values["payload"])
        sent = {k: v for k, v in payload.items() if k not in ("stored", "authority", "version")}
        validate_statement(sent, version="1.0.3")
        expected = storage._row(storage._normalised(payload), user_id=int(values["user_id"]),
                                client_id=client_id, stored=now)
        for column in ("verb_id", "activity_id", "actor_key", "object_key"):
            assert values[column] == getattr(expected, column), (column, values[column])
        assert values["registration"] == str(expected.registration), "registration"
        assert (values["ref_id"] == "\\N") == (expected.ref_id is None), "ref_id"
        assert payload == storage._normalised(payload), "payload not in stored form"
        relations = {tuple(line.split("\t")[1:]) for line in [relation.rstrip("\n")]
                     } if relation else set()
        assert relations == storage._relations(payload), ("relations", relations)
    rng = random.Random(1)
    for _ in range(50):
        validate_statement(orjson.loads(corpus.post_statement(rng)), version="1.0.3")


@dataclass(frozen=True)
class Sample:
    """Existing statement ids, agents (as JSON text) and activities to GET."""

    statement_ids: list[str]
    agents: list[str]
    activities: list[str]
    stored: int


def sample(url: str, home_page: str, *, size: int = 5000) -> Sample:
    with psycopg.connect(url) as conn:
        stored = conn.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = "
                              "'records_statement'").fetchone()[0]
        percent = min(100.0, max(0.001, size * 200 / max(stored, 1)))
        rows = conn.execute(
            "SELECT id::text, actor_key, activity_id FROM records_statement "
            f"TABLESAMPLE SYSTEM ({percent}) LIMIT %s", (size,)).fetchall()
    prefix = f"account:{home_page}|"
    agents = sorted({key[len(prefix):] for _, key, _ in rows if key.startswith(prefix)})
    return Sample(
        statement_ids=[sid for sid, _, _ in rows],
        agents=[orjson.dumps({"objectType": "Agent", "account": {
            "homePage": home_page, "name": name}}).decode() for name in agents],
        activities=sorted({activity for _, _, activity in rows if activity}),
        stored=stored)


def statement_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM records_statement").fetchone()[0]


def backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends connected to the benchmark database (the server's)."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url) as conn:
        me = conn.info.backend_pid
        return [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
            (name, me)).fetchall()]


def stored_since(url: str, since: datetime.datetime) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM records_statement WHERE stored >= %s",
                            (since,)).fetchone()[0]


def environment(url: str) -> str:
    """PostgreSQL's memory and durability settings and the kernel's page cache now."""
    with psycopg.connect(url) as conn:
        settings = dict(conn.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('shared_buffers', 'synchronous_commit', 'server_version')").fetchall())
    with open("/proc/meminfo") as f:
        meminfo = {line.split(":")[0]: line.split()[1] for line in f}
    return (f"PostgreSQL {settings.get('server_version')}: shared_buffers "
            f"{settings.get('shared_buffers')}, synchronous_commit "
            f"{settings.get('synchronous_commit')}; page cache {int(meminfo['Cached']) >> 20} GB "
            f"of {int(meminfo['MemTotal']) >> 20} GB RAM")


def table_sizes(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = "
            "ANY(%s)", (list(BIG_TABLES) + ["records_progress"],)).fetchall())

