"""Sampling the server's workers with py-spy during a phase (``lrs_ingest.py --py-spy``)
and summing where their time went, by step of the statement resource.

py-spy lives in its own venv (/work/pyspy-venv), installed from PyPI on first use. Time
a worker spends waiting for PostgreSQL is counted under the step that waits (psycopg's
wait loop shows as active to py-spy), so the shares are of wall time, not CPU time.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

VENV = Path("/work/pyspy-venv")
PY_SPY = VENV / "bin" / "py-spy"
REQUIREMENT = "py-spy==0.4.3"

# (marker in a stack, step): the first marker found names the step.
_STEPS = [
    ("project (lms/records/projection.py", "progress projection (per statement)"),
    ("_user_ids (lms/records/storage.py", "learner lookup"),
    ("bulk_create", "INSERT statements + relations"),
    ("_void_targets", "voiding"),
    ("Atomic.__exit__", "COMMIT"),
    ("Atomic.__enter__", "BEGIN"),
    ("validate_statement", "validation"),
    ("authenticate", "authentication"),
    ("statements_find", "statement query (GET)"),
    ("statement_get", "statement by id (GET)"),
    ("statement_format", "formatting statements (GET)"),
    ("json_response", "JSON response"),
    ("statements_store (lms/records/storage.py", "store: id check and the rest"),
]


def install() -> Path:
    if not PY_SPY.exists():
        subprocess.run(["/usr/bin/python3", "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", REQUIREMENT], check=True)
    return PY_SPY


def start(pid: int, *, seconds: float, output: Path) -> subprocess.Popen:
    """Sample ``pid`` and its children (gunicorn's workers) for ``seconds``."""
    return subprocess.Popen(
        [str(install()), "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
         "--duration", str(max(int(seconds) - 1, 1)), "--rate", "200", "--format", "raw",
         "--output", str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def breakdown(path: Path) -> list[tuple[float, str]]:
    """(share of samples, step), largest first, from py-spy's raw (collapsed) output."""
    if not path.exists():
        return []
    steps: Counter = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        if "WSGIHandler.__call__" not in stack:
            steps["gunicorn: accept, parse, respond"] += n
            continue
        step = next((label for marker, label in _STEPS if marker in stack),
                    "Django: middleware, routing, view")
        steps[step] += n
    return [(n / total, step) for step, n in steps.most_common()] if total else []
