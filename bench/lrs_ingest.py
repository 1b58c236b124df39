"""xAPI ingest and query benchmark: HọcSố's LRS on PostgreSQL against Ralph 5.1, same
machine, same run, same load.

    /work/venv/bin/python bench/lrs_ingest.py                       # 10,000,000 stored
    /work/venv/bin/python bench/lrs_ingest.py --statements 200000   # a quick run
    /work/venv/bin/python bench/lrs_ingest.py --reuse               # keep the loaded DB
    ... --reuse --wait-quiet 30 --py-spy   # wait for an idle machine; where time goes
    ... --reuse --no-ralph --experiment no-projection --only batch,single
    ... --reuse --no-ralph --get-limit 100 --only agent,activity,id

1. (Re)creates the throw-away database ``hocso_bench`` (drop + create; ``--reuse`` keeps
   a loaded one), migrates, adds an xAPI client, 100k learners, their registrations, and
   COPYs N statements (+ relation rows, + progress rows) shaped as the LRS stores them.
2. Starts gunicorn ``lms.wsgi`` (DEBUG off) and measures: POSTs of 100-statement
   batches, single-statement POSTs, GET by agent, by activity, by statementId.
3. Starts Ralph 5.1 (filesystem backend made to append, uvicorn, Basic auth) from its
   own venv (/work/ralph-venv) and runs the same load.
4. Prints the table, the configuration and the ratios. Exits 1 on any failed request.

Never point it at a database you care about: it drops ``--database``.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import lrs_db  # noqa: E402
import lrs_http  # noqa: E402
import lrs_servers  # noqa: E402
import lrs_spy  # noqa: E402
from lrs_data import Corpus  # noqa: E402
from lrs_report import Outcome, report  # noqa: E402

BYTES_PER_STATEMENT = 2600  # measured at 10M: 2.2 KB (table, 10 indexes, relation, progress)
CLIENT_KEY = "bench"


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--statements", type=int, default=10_000_000)
    p.add_argument("--learners", type=int, default=100_000)
    p.add_argument("--courses", type=int, default=100, help="20 activities each")
    p.add_argument("--reuse", action="store_true", help="keep a loaded database")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--database", default="hocso_bench")
    p.add_argument("--site-url", default="https://hocso.gov.vn")
    p.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--batch-concurrency", type=int, default=4)
    p.add_argument("--single-concurrency", type=int, default=8)
    p.add_argument("--get-concurrency", type=int, default=4)
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    p.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    p.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    p.add_argument("--conn-max-age", type=int, default=None,
                   help="DATABASE_CONN_MAX_AGE for the server (default: the settings')")
    p.add_argument("--get-limit", type=int, default=0,
                   help="limit= on filtered GETs (default: none, the server's page size)")
    p.add_argument("--experiment", choices=["no-projection"], default=None,
                   help="no-projection: the server skips the progress projection "
                   "(to measure the rest of the write path; not a production setting)")
    p.add_argument("--load-only", action="store_true", help="prepare the database and stop")
    p.add_argument("--wait-quiet", type=float, default=0, metavar="MINUTES",
                   help="before measuring, wait up to MINUTES for the machine to be idle "
                   "(other users' CPU under 0.25 cores over 10 s)")
    p.add_argument("--py-spy", action="store_true",
                   help="sample HọcSố's workers with py-spy in every phase and print where "
                   "their time went (from /work/pyspy-venv)")
    p.add_argument("--keep", action="store_true",
                   help="keep the work directory (server logs, Ralph's store, py-spy samples)")
    p.add_argument("--no-ralph", action="store_true")
    p.add_argument("--no-hocso", action="store_true", help="only Ralph (harness tests)")
    p.add_argument("--ralph-workers", type=int, default=1)
    p.add_argument("--only", default="", help="comma-separated phases: batch,single,agent,"
                   "activity,id (default: all)")
    return p.parse_args()


def _django(url: str, site_url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-loader")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["HOCSO_SITE_URL"] = site_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()


def _prepare(args: argparse.Namespace, url: str) -> tuple[Corpus, int, dict[str, float]]:
    timings: dict[str, float] = {}
    if not args.reuse:
        need = args.statements * BYTES_PER_STATEMENT
        free = shutil.disk_usage("/var/lib/postgresql" if Path("/var/lib/postgresql").exists()
                                 else "/").free
        lrs_db.log(f"disk: {free / 1e9:.0f} GB free, about {need / 1e9:.1f} GB needed")
        if need * 1.3 > free:
            raise SystemExit("not enough disk for this many statements")
        lrs_db.database_recreate(f"{args.pg}/postgres", args.database)
    _django(url, args.site_url)
    t0 = time.perf_counter()
    lrs_db.migrate()
    timings["migrate"] = time.perf_counter() - t0
    client_id = lrs_db.client_ensure(CLIENT_KEY, "bench-secret")
    t0 = time.perf_counter()
    learners = lrs_db.learners_ensure(url, args.learners)
    from django.conf import settings

    corpus = Corpus(home_page=settings.XAPI_ACCOUNT_HOMEPAGE,
                    activity_base=settings.XAPI_ACTIVITY_BASE, courses=args.courses,
                    learner_ids=learners, client_key=CLIENT_KEY)
    lrs_db.check_shape(corpus, client_id=client_id)
    if not args.reuse:
        lrs_db.catalogue_load(url, corpus)
        timings["learners"] = time.perf_counter() - t0
        lrs_db.log(f"{len(learners)} learners, {len(corpus.activities)} activities; "
                   f"loading {args.statements:,} statements")
        step = max(args.statements // 10, 1)
        marks = [step]

        def progress(done: int) -> None:
            if done >= marks[0]:
                lrs_db.log(f"  {done:,} statements copied")
                marks[0] += step

        timings.update(lrs_db.statements_load(url, corpus, count=args.statements,
                                              client_id=client_id, progress=progress))
    return corpus, client_id, timings


def _bodies(corpus: Corpus, *, count: int, per_request: int, seed: int) -> list[bytes]:
    rng = random.Random(f"{seed}-{time.time_ns()}")  # new ids on every run (--reuse)
    if per_request == 1:
        return [corpus.post_statement(rng).encode() for _ in range(count)]
    return [("[" + ",".join(corpus.post_statement(rng) for _ in range(per_request)) + "]"
             ).encode() for _ in range(count)]


def _write_phases(args: argparse.Namespace, corpus: Corpus, path: str, *, batch_cap: int,
                  single_cap: int, seed: int) -> list[lrs_http.Phase]:
    """Fresh statements, pre-built for the phase at up to ``cap`` statements/s."""
    n_batches = int(args.duration * batch_cap / args.batch_size) + 20
    n_singles = int(args.duration * single_cap) + 20
    phases = []
    if "batch" in args.phases:
        phases.append(lrs_http.Phase(
            f"POST batches of {args.batch_size}", "POST",
            [(path, b) for b in _bodies(corpus, count=n_batches, per_request=args.batch_size,
                                        seed=seed)],
            args.batch_size, args.batch_concurrency, args.duration))
    if "single" in args.phases:
        phases.append(lrs_http.Phase(
            "POST single statements", "POST",
            [(path, b) for b in _bodies(corpus, count=n_singles, per_request=1,
                                        seed=seed + 1)],
            1, args.single_concurrency, args.duration))
    return phases


def _read_phases(args: argparse.Namespace, path: str, sample: lrs_db.Sample
                 ) -> list[lrs_http.Phase]:
    limit = f"&limit={args.get_limit}" if args.get_limit else ""
    kinds = [("agent", "GET by agent",
              [f"{path}?agent={quote(a)}{limit}" for a in sample.agents]),
             ("activity", "GET by activity",
              [f"{path}?activity={quote(a, safe='')}{limit}" for a in sample.activities]),
             ("id", "GET by statementId", [f"{path}?statementId={s}"
                                           for s in sample.statement_ids])]
    phases = []
    for key, name, paths in kinds:
        if key in args.phases and paths:
            random.Random(7).shuffle(paths)
            phases.append(lrs_http.Phase(name, "GET", [(p, None) for p in paths], 0,
                                         args.get_concurrency, args.duration, cycle=True))
    return phases


def _headers(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json"}


def _measure(server: lrs_servers.Server, phases: list[lrs_http.Phase],
             headers: dict[str, str], *, spy_dir: Path | None = None, first: int = 0,
             db_url: str | None = None) -> list[lrs_http.Result]:
    results = []
    for n, phase in enumerate(phases, start=first):
        lrs_db.log(f"{server.name}: {phase.name} ({phase.concurrency} connections, "
                   f"{phase.duration:.0f} s)")
        spy_file = spy_dir / f"py-spy-{n}.txt" if spy_dir else None
        spy = spy_file and lrs_spy.start(server.process.pid, seconds=phase.duration,
                                         output=spy_file)
        result = lrs_http.run(phase, host=lrs_servers.HOST, port=server.port,
                              headers=headers, server_root=server.process.pid,
                              db_pids=db_url and (lambda: lrs_db.backend_pids(db_url)))
        if spy and spy_file:
            spy.wait()
            result.profile = lrs_spy.breakdown(spy_file)
        lrs_db.log(f"  {result.rate:,.0f}/s, p95 {result.percentile(0.95):.0f} ms, "
                   f"{result.error_count} errors")
        results.append(result)
    return results


def _run_hocso(args: argparse.Namespace, url: str, corpus: Corpus, workdir: Path,
               outcome: Outcome) -> None:
    config = lrs_servers.GunicornConfig(args.workers, args.worker_class, args.threads)
    extra = {} if args.conn_max_age is None else {
        "DATABASE_CONN_MAX_AGE": str(args.conn_max_age)}
    outcome.hocso_config = config.describe() + (
        f", DATABASE_CONN_MAX_AGE={args.conn_max_age}" if extra else
        ", DATABASE_CONN_MAX_AGE from settings (persistent connections)")
    writes = _write_phases(args, corpus, "/xapi/statements", batch_cap=15000,
                           single_cap=3000, seed=11)
    started = datetime.datetime.now(datetime.UTC)
    if args.experiment:
        outcome.hocso_config += f"; EXPERIMENT {args.experiment}"
    server = lrs_servers.hocso_start(database_url=url, site_url=args.site_url,
                                     config=config, workdir=workdir, extra_env=extra,
                                     config_file=args.experiment and lrs_servers.BENCH /
                                     f"lrs_gunicorn_{args.experiment.replace('-', '_')}.py")
    try:
        headers = _headers(CLIENT_KEY, "bench-secret")
        warm = _read_phases(args, "/xapi/statements", lrs_db.sample(url, args.site_url,
                                                                    size=200))
        posted = lrs_http.warm_up(writes + warm, host=lrs_servers.HOST, port=server.port,
                                  headers=headers)
        spy_dir = workdir if args.py_spy else None
        outcome.hocso = _measure(server, writes, headers, spy_dir=spy_dir, db_url=url)
        sample = lrs_db.sample(url, args.site_url)
        outcome.hocso_stored = lrs_db.statement_count(url)
        outcome.environment = lrs_db.environment(url)
        outcome.hocso += _measure(server, _read_phases(args, "/xapi/statements", sample),
                                  headers, spy_dir=spy_dir, first=len(outcome.hocso),
                                  db_url=url)
    finally:
        server.stop()
    written = posted + sum(r.statements for r in outcome.hocso)
    found = lrs_db.stored_since(url, started)
    outcome.hocso_check = (written, found)


def _ralph_sample(workdir: Path, home_page: str) -> lrs_db.Sample:
    import orjson

    ids, agents, activities = [], set(), set()
    path = workdir / "ralph-store" / "fs_lrs.jsonl"
    lines = path.read_bytes().splitlines() if path.exists() else []
    for line in random.Random(5).sample(lines, min(5000, len(lines))):
        statement = orjson.loads(line)
        ids.append(statement["id"])
        agents.add(orjson.dumps(statement["actor"]).decode())
        activities.add(statement["object"]["id"])
    return lrs_db.Sample(ids, sorted(agents), sorted(activities), len(lines))


def _run_ralph(args: argparse.Namespace, corpus: Corpus, workdir: Path,
               outcome: Outcome) -> None:
    outcome.ralph_config = (f"Ralph 5.1.0, uvicorn, {args.ralph_workers} worker(s), "
                            "filesystem backend (append)")
    writes = _write_phases(args, corpus, "/xAPI/statements", batch_cap=3000,
                           single_cap=600, seed=21)
    server = lrs_servers.ralph_start(workdir=workdir, username="bench",
                                     password="bench-secret", workers=args.ralph_workers)
    try:
        headers = _headers("bench", "bench-secret")
        posted = lrs_http.warm_up(writes, host=lrs_servers.HOST, port=server.port,
                                  headers=headers)
        outcome.ralph = _measure(server, writes, headers)
        sample = _ralph_sample(workdir, args.site_url)
        outcome.ralph_stored = sample.stored
        outcome.ralph += _measure(server, _read_phases(args, "/xAPI/statements", sample),
                                  headers)
    finally:
        server.stop()
    outcome.ralph_check = (posted + sum(r.statements for r in outcome.ralph),
                           lrs_servers.ralph_store_count(workdir))


def _wait_quiet(minutes: float) -> str:
    """Wait until the machine is idle (the measurement must not share it), at most
    ``minutes``; says how it went."""
    deadline = time.monotonic() + minutes * 60
    while True:
        busy = lrs_http.machine_busy_over(10.0)
        if busy < 0.25:
            message = f"machine idle before measuring ({busy:.2f} cores busy over 10 s)"
            break
        if time.monotonic() > deadline:
            message = (f"machine NOT idle before measuring ({busy:.2f} cores busy over 10 s "
                       f"after waiting {minutes:.0f} min)")
            break
        lrs_db.log(f"waiting for an idle machine: {busy:.2f} cores busy")
        time.sleep(20)
    lrs_db.log(message)
    return message


def main() -> int:
    args = _args()
    args.phases = set((args.only or "batch,single,agent,activity,id").split(","))
    url = f"{args.pg}/{args.database}"
    outcome = Outcome(load_before=os.getloadavg())
    workdir = Path(tempfile.mkdtemp(prefix="lrs-bench-"))
    lrs_db.log(f"work directory {workdir}; load average {os.getloadavg()}")
    corpus, _client_id, outcome.load_timings = _prepare(args, url)
    outcome.args = args
    if args.load_only:
        lrs_db.log(f"loaded: {outcome.load_timings}; sizes {lrs_db.table_sizes(url)}")
        return 0
    if args.wait_quiet:
        outcome.quiet = _wait_quiet(args.wait_quiet)
    if not args.no_hocso:
        _run_hocso(args, url, corpus, workdir, outcome)
    if not args.no_ralph:
        _run_ralph(args, corpus, workdir, outcome)
    outcome.load_after = os.getloadavg()
    outcome.sizes = lrs_db.table_sizes(url)
    status = report(outcome)
    if status == 0 and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"\nserver logs, Ralph's store and py-spy samples kept in {workdir}")
    return status


if __name__ == "__main__":
    sys.exit(main())
