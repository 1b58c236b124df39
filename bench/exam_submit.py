"""Exam submission benchmark: 1,000 learners finish a 30-question exam at the same moment,
against PostgreSQL; submissions graded per second and latency on this machine.

    /work/venv/bin/python bench/exam_submit.py                    # 1,000 learners
    /work/venv/bin/python bench/exam_submit.py --reuse            # keep the DB: new attempts
    ... --reuse --workers 2 --worker-class gthread --threads 4    # another server set-up

1. Setup (timed, reported): (re)creates the throw-away database ``hocso_bench_exam``
   (``--reuse`` keeps it), migrates, makes a question bank of every kind, an exam drawing
   ``--questions`` at random (45-minute limit), the learners with logged-in sessions, and
   starts and saves every learner's attempt through the assessment services (about 70% of
   the answers right), so that only the final submission is left.
2. Starts gunicorn ``lms.wsgi`` (DEBUG off, 3 sync workers: the best of 2, 3, 4, 6 sync
   and 2 x 4 gthread on this 2-core machine) on port 8200, warms it up with a few spare
   learners, then fires every learner's final POST .../submit/ (the whole form, as the quiz
   page sends it, with its CSRF token) from ``--concurrency`` connections at once.
3. Checks the database: every attempt submitted and graded as expected, every slot
   graded, one ``answered`` statement per answered question and one ``passed``/``failed``
   per attempt, nothing stored twice.
4. Second round: 200 other learners each submit TWICE at the same moment; each attempt
   must be graded once and no statement stored twice.

Exits 1 on any failed request or check. Never point it at a database you care about: it
drops ``--database``.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import exam_data  # noqa: E402
import lrs_db  # noqa: E402
import lrs_http  # noqa: E402
from exam_data import Submission  # noqa: E402
from lrs_servers import HOST, ROOT, Server  # noqa: E402

PORT = 8200


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--learners", type=int, default=1000)
    p.add_argument("--questions", type=int, default=30, help="drawn per attempt")
    p.add_argument("--bank", type=int, default=120, help="questions in the bank")
    p.add_argument("--double", type=int, default=200,
                   help="learners of the double-submit round (0: skip it)")
    p.add_argument("--concurrency", type=int, default=200, help="connections at once")
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    p.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    p.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    p.add_argument("--conn-max-age", type=int, default=None,
                   help="DATABASE_CONN_MAX_AGE for the server (default: the settings')")
    p.add_argument("--reuse", action="store_true",
                   help="keep the database of a previous run; only attempts are made anew")
    p.add_argument("--setup-only", action="store_true", help="prepare, then stop")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    p.add_argument("--database", default="hocso_bench_exam")
    p.add_argument("--port", type=int, default=PORT)
    p.add_argument("--keep", action="store_true", help="keep the server logs")
    p.add_argument("--wait-quiet", type=float, default=0, metavar="MINUTES",
                   help="before measuring, wait up to MINUTES for the machine to be idle "
                   "(under 0.25 cores busy over 10 s)")
    return p.parse_args()


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SECRET_KEY"] = exam_data.SECRET_KEY
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()


def _timed(timings: dict[str, float], name: str, fn, *args, **kwargs):
    t0 = time.perf_counter()
    value = fn(*args, **kwargs)
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0
    lrs_db.log(f"  {name}: {timings[name]:.1f} s")
    return value


def _setup(args: argparse.Namespace, url: str, warm: int
           ) -> tuple[dict[str, list[Submission]], dict[str, float]]:
    timings: dict[str, float] = {}
    if not args.reuse:
        lrs_db.database_recreate(f"{args.pg}/postgres", args.database)
    _django(url)
    _timed(timings, "migrate", lrs_db.migrate)
    quiz = _timed(timings, "bank, course and exam", exam_data.quiz_ensure,
                  questions=args.questions, bank_size=args.bank)
    groups = {"main": ("m", args.learners), "double": ("d", args.double), "warm": ("w", warm)}
    subs = {}
    for seed, (name, (prefix, count)) in enumerate(groups.items()):
        users = _timed(timings, "learners", exam_data.learners_ensure, prefix, count)
        cookies = _timed(timings, "sessions", exam_data.sessions_make, users)
        lrs_db.log(f"starting and saving {len(users)} attempts ({name})")
        subs[name] = _timed(timings, "attempts started and saved", exam_data.attempts_prepare,
                            quiz, users, cookies, seed=seed)
    with psycopg.connect(url, autocommit=True) as conn:
        _timed(timings, "vacuum analyze", conn.execute, "VACUUM ANALYZE")
    return subs, timings


def _server(args: argparse.Namespace, url: str, workdir: Path) -> tuple[Server, str]:
    with socket.socket() as s:  # refuse to start if the port is taken
        s.bind((HOST, args.port))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "CELERY_", "HOCSO_", "DATABASE_"))}
    env.update({"DATABASE_URL": url, "DJANGO_SECRET_KEY": exam_data.SECRET_KEY,
                "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
                "PYTHONPATH": str(ROOT), "DJANGO_LOG_LEVEL": "WARNING"})
    if args.conn_max_age is not None:
        env["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)
    command = [str(Path(sys.executable).parent / "gunicorn"), "lms.wsgi",
               "--bind", f"{HOST}:{args.port}", "--workers", str(args.workers),
               "--worker-class", args.worker_class, "--threads", str(args.threads),
               "--backlog", "2048", "--timeout", "300"]
    log = workdir / "gunicorn.log"
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    server = Server("HọcSố", process, args.port, log)
    try:
        lrs_http.wait_ready(HOST, args.port, "/xapi/about", timeout=90, alive=server.alive)
    except RuntimeError:
        server.stop()
        print(log.read_text()[-3000:], file=sys.stderr)
        raise
    shown = " ".join(shlex.quote(c) for c in command[1:])
    conn = "" if args.conn_max_age is None else f"DATABASE_CONN_MAX_AGE={args.conn_max_age} "
    return server, f"{conn}gunicorn {shown}"


@dataclass
class Round:
    name: str
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    already: int = 0  # responses that said "already submitted" (a messages cookie)
    cpu: dict[str, float] = field(default_factory=dict)  # cores, over the round

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0


class CpuWatch(threading.Thread):
    """CPU used while it runs, in cores: the whole machine, this process, gunicorn's
    processes and the PostgreSQL backends of ``database`` (sampled every 0.2 s, since
    backends come and go with DATABASE_CONN_MAX_AGE), and everything else."""

    def __init__(self, server_pid: int | None, database: str) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.database = server_pid, database
        self.last: dict[tuple[str, int], float] = {}
        self.done = threading.Event()
        self.machine0, self.client0 = lrs_http._machine_busy()[0], lrs_http._client_cpu()
        self.first: dict[int, float] = {pid: cpu for (_g, pid), cpu in self._sample().items()}
        self.start()

    def _sample(self) -> dict[tuple[str, int], float]:
        pids = {("gunicorn", pid) for pid in (
            lrs_http.process_tree(self.server_pid) if self.server_pid else [])}
        marker = f" {self.database} ".encode()
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    command = f.read()
            except OSError:
                continue
            if command.startswith(b"postgres: ") and marker in command:
                pids.add(("PostgreSQL", int(entry)))
        return {(group, pid): lrs_http._cpu_of([pid]) for group, pid in pids}

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.last.update(self._sample())

    def stop(self, seconds: float) -> dict[str, float]:
        self.done.set()
        self.join()
        self.last.update(self._sample())
        cpu = {"machine": lrs_http._machine_busy()[0] - self.machine0,
               "load generator": lrs_http._client_cpu() - self.client0,
               "gunicorn": 0.0, "PostgreSQL": 0.0}
        for (group, pid), value in self.last.items():
            cpu[group] += value - self.first.get(pid, 0.0)
        cpu = {k: v / seconds for k, v in cpu.items()}
        cpu["others"] = max(0.0, cpu["machine"] - cpu["load generator"] - cpu["gunicorn"]
                            - cpu["PostgreSQL"])  # other users, PostgreSQL's own processes
        return cpu


def fire(name: str, subs: list[Submission], *, port: int, concurrency: int,
         server: Server | None = None, database: str = "") -> Round:
    """POST every submission, ``concurrency`` connections at once (one connection per
    submission, as each learner is their own browser). The clock runs from the moment all
    threads are released until the last response."""
    result = Round(name, requests=len(subs))
    counter = itertools.count()
    lock = threading.Lock()
    gate = threading.Barrier(concurrency + 1)

    def worker() -> None:
        gate.wait()
        while (i := next(counter)) < len(subs):
            sub = subs[i]
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, port, timeout=600)
            try:
                conn.request("POST", sub.path, body=sub.body, headers={
                    "Cookie": sub.cookie, "Accept": "text/html",
                    "Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                data = response.read()
                latency = time.perf_counter() - t0
                location = response.getheader("Location", "")
                cookies = response.getheader("Set-Cookie") or ""
            except (OSError, http.client.HTTPException) as exc:
                status, sample = type(exc).__name__, f"{type(exc).__name__}: {exc}"
            else:
                ok = response.status == 302 and location.endswith(
                    f"/quiz/attempt/{sub.attempt_id}/")
                status = "ok" if ok else response.status
                sample = f"{response.status} {location} {data[:300]!r}"
            finally:
                conn.close()
            with lock:
                if status == "ok":
                    result.latencies.append(latency)
                    result.already += "messages=" in cookies
                else:
                    result.errors[status] += 1
                    if len(result.samples) < 5:
                        result.samples.append(sample)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    watch = CpuWatch(server.process.pid if server else None, database)
    gate.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - t0
    result.cpu = watch.stop(result.seconds)
    return result


def _environment(url: str) -> str:
    with psycopg.connect(url) as conn:
        pg = dict(conn.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
            "('server_version', 'shared_buffers', 'synchronous_commit', 'max_connections')"
        ).fetchall())
    with open("/proc/meminfo") as f:
        ram = int(f.readline().split()[1]) >> 20
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f
                      if line.startswith("model name")), "?")
    return (f"{os.cpu_count()} cores ({model}), {ram} GB RAM; PostgreSQL "
            f"{pg['server_version'].split()[0]} (shared_buffers {pg['shared_buffers']}, "
            f"synchronous_commit {pg['synchronous_commit']}, max_connections "
            f"{pg['max_connections']}), same machine")


def _wait_quiet(minutes: float) -> str:
    deadline = time.monotonic() + minutes * 60
    while True:
        busy = lrs_http.machine_busy_over(10.0)
        if busy < 0.25 or time.monotonic() > deadline:
            return f"{'idle' if busy < 0.25 else 'NOT idle'}: {busy:.2f} cores busy over 10 s"
        lrs_db.log(f"waiting for an idle machine: {busy:.2f} cores busy")
        time.sleep(20)


def _report_round(r: Round, graded: int, problems: list[str], check: exam_data.Check) -> None:
    print(f"\n{r.name}: {r.requests:,} POST .../submit/ in {r.seconds:.2f} s")
    print(f"  submissions graded per second: {graded / r.seconds:,.1f}"
          + (f" ({r.requests / r.seconds:,.1f} POSTs answered per second)"
             if r.requests != graded else ""))
    print(f"  latency ms: p50 {r.percentile(0.50):,.0f}  p95 {r.percentile(0.95):,.0f}  "
          f"p99 {r.percentile(0.99):,.0f}  max {r.percentile(1.0):,.0f}")
    print("  CPU (cores busy): " + ", ".join(f"{k} {v:.2f}" for k, v in r.cpu.items()))
    print(f"  errors: {sum(r.errors.values())} {dict(r.errors) or ''}")
    for sample in r.samples:
        print(f"    {sample}")
    print(f"  database: {check.attempts_submitted:,} attempts submitted, "
          f"{check.slots_graded:,} slots graded, {check.answered:,} answered + "
          f"{check.passed:,} passed + {check.failed:,} failed statements, "
          f"{check.duplicates} duplicated, {check.grades_wrong} graded differently than "
          "expected")
    print("  checks: " + ("all good" if not problems else "FAILED: " + "; ".join(problems)))


def main() -> int:
    args = _args()
    url = f"{args.pg}/{args.database}"
    workdir = Path(tempfile.mkdtemp(prefix="exam-bench-"))
    warm = max(8, 2 * args.workers * args.threads)
    lrs_db.log(f"setup ({'reusing' if args.reuse else 'recreating'} {args.database}); "
               f"load average {os.getloadavg()}")
    t0 = time.perf_counter()
    subs, timings = _setup(args, url, warm)
    setup_seconds = time.perf_counter() - t0
    if args.setup_only:
        return 0
    from django.utils import timezone

    quiet = _wait_quiet(args.wait_quiet) if args.wait_quiet else ""
    server, server_command = _server(args, url, workdir)
    rounds = []
    try:
        lrs_db.log(f"server up: {server_command}; warming up with {warm} submissions")
        warmed = fire("warm-up", subs["warm"], port=args.port, concurrency=warm)
        if warmed.errors:
            print(warmed.samples, file=sys.stderr)
        since = timezone.now()
        lrs_db.log(f"measuring: {len(subs['main'])} submissions, {args.concurrency} at once")
        main_round = fire(f"Round 1: {len(subs['main']):,} learners submit once",
                          subs["main"], port=args.port, concurrency=args.concurrency,
                          server=server, database=args.database)
        rounds.append((main_round, subs["main"], since))
        if subs["double"]:
            doubled = [s for s in subs["double"] for _ in range(2)]  # both copies together
            since = timezone.now()
            lrs_db.log(f"double submit: {len(doubled)} POSTs")
            rounds.append((fire(f"Round 2: {len(subs['double'])} learners submit TWICE at "
                                "once", doubled, port=args.port,
                                concurrency=min(args.concurrency, len(doubled)),
                                server=server, database=args.database), subs["double"], since))
    finally:
        server.stop()
    print("\n=== Exam submission benchmark ===")
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"machine: {_environment(url)}; load average after "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}" + (f"; before measuring {quiet}"
                                                                 if quiet else ""))
    print(f"server: {server_command}  (DEBUG off, DATABASE_CONN_MAX_AGE "
          f"{args.conn_max_age if args.conn_max_age is not None else 'from the settings'})")
    print(f"exam: {args.questions} questions drawn from a bank of {args.bank} (7 kinds), "
          f"pass mark {exam_data.PASS_MARK}%, {exam_data.TIME_LIMIT} min; load generator: "
          f"{args.concurrency} connections, one per submission")
    print(f"setup: {setup_seconds:.0f} s (" + ", ".join(
        f"{k} {v:.1f} s" for k, v in timings.items()) + ")")
    status = 0 if not warmed.errors else 1
    for r, group, since in rounds:
        check = exam_data.check(group, since=since)
        problems = check.problems(group)
        if r.name.startswith("Round 2") and r.already != len(group):
            problems.append(f"'already submitted' answers: {r.already} (expected "
                            f"{len(group)})")
        _report_round(r, len(group), problems, check)
        status |= bool(problems or r.errors)
    if status == 0 and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"\nserver log kept in {workdir}")
    return status


if __name__ == "__main__":
    sys.exit(main())
