"""The load generator: pre-built requests sent by threads over keep-alive connections
(``http.client``), for a fixed time, with latency percentiles and CPU use of the client,
the server's processes and the whole machine."""

from __future__ import annotations

import http.client
import itertools
import os
import resource
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import orjson

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Phase:
    name: str
    method: str
    requests: Sequence[tuple[str, bytes | None]]  # (path, body), pre-built
    statements_per_request: int  # 0 for reads
    concurrency: int
    duration: float
    cycle: bool = False  # reuse requests (reads); writes stop when they run out


@dataclass
class Result:
    phase: Phase
    seconds: float = 0.0
    ok: int = 0
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    exhausted: bool = False
    returned: list[int] = field(default_factory=list)  # statements per sampled GET
    cpu_client: float = 0.0  # cores
    cpu_server: float = 0.0
    cpu_machine: float = 0.0
    cpu_iowait: float = 0.0  # cores idle waiting for disk
    cpu_db: float = 0.0  # the server's PostgreSQL backends
    cpu_others: float = 0.0  # everything else on the machine: other users
    profile: list[tuple[float, str]] = field(default_factory=list)  # py-spy, see lrs_spy

    @property
    def statements(self) -> int:
        return self.ok * self.phase.statements_per_request

    @property
    def rate(self) -> float:
        """Statements per second for writes, requests per second for reads."""
        n = self.statements if self.phase.statements_per_request else self.ok
        return n / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def _machine_busy() -> tuple[float, float]:
    """Seconds of CPU time the machine spent busy and in iowait, all cores together."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / _TICK, values[4] / _TICK


def machine_busy_over(seconds: float) -> float:
    """Cores busy on average over the next ``seconds``."""
    busy0, _ = _machine_busy()
    time.sleep(seconds)
    return (_machine_busy()[0] - busy0) / seconds


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _cpu_of(pids: Sequence[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / _TICK
        except (OSError, IndexError, ValueError):
            continue
    return total


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(phase: Phase, *, host: str, port: int, headers: dict[str, str],
        server_root: int | None = None,
        db_pids: Callable[[], list[int]] | None = None) -> Result:
    """Send the phase's requests from ``concurrency`` threads until its time is up (or,
    for writes, its requests run out)."""
    result = Result(phase)
    counter = itertools.count()
    lock = threading.Lock()
    requests = phase.requests
    n = len(requests)
    stop_at = [0.0]

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=300)
        latencies: list[float] = []
        ok = 0
        errors: Counter = Counter()
        samples: list[str] = []
        returned: list[int] = []
        while time.perf_counter() < stop_at[0]:
            i = next(counter)
            if i >= n and not phase.cycle:
                result.exhausted = True
                break
            path, body = requests[i % n]
            t0 = time.perf_counter()
            try:
                conn.request(phase.method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                errors[type(exc).__name__] += 1
                if len(samples) < 3:
                    samples.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.perf_counter() - t0)
            if 200 <= response.status < 300:
                ok += 1
                if phase.method == "GET" and i % 20 == 0:
                    parsed = orjson.loads(data)
                    returned.append(len(parsed.get("statements", [parsed])))
            else:
                errors[response.status] += 1
                if len(samples) < 3:
                    samples.append(f"{response.status}: {data[:300]!r}")
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.ok += ok
            result.errors.update(errors)
            result.error_samples.extend(samples[: 5 - len(result.error_samples)])
            result.returned.extend(returned)

    pids = process_tree(server_root) if server_root else []
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(phase.concurrency)]
    busy0, iowait0 = _machine_busy()
    client0, server0 = _client_cpu(), _cpu_of(pids)
    db0 = {pid: _cpu_of([pid]) for pid in (db_pids() if db_pids else [])}
    t0 = time.perf_counter()
    stop_at[0] = t0 + phase.duration
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - t0
    busy1, iowait1 = _machine_busy()
    result.cpu_client = (_client_cpu() - client0) / result.seconds
    result.cpu_server = (_cpu_of(pids) - server0) / result.seconds
    result.cpu_machine = (busy1 - busy0) / result.seconds
    result.cpu_iowait = (iowait1 - iowait0) / result.seconds
    db1 = {pid: _cpu_of([pid]) for pid in (db_pids() if db_pids else [])}
    result.cpu_db = sum(cpu - db0.get(pid, 0.0) for pid, cpu in db1.items()) / result.seconds
    result.cpu_others = max(0.0, result.cpu_machine - result.cpu_client - result.cpu_server
                            - result.cpu_db)
    return result


def warm_up(phases: Sequence[Phase], *, host: str, port: int, headers: dict[str, str],
            per_phase: int = 12) -> int:
    """A few requests of each kind, unmeasured, so that every worker has imported and
    connected before the clock starts (write phases' requests are consumed from the end).
    Returns how many statements it stored."""
    stored = 0
    for phase in phases:
        if phase.cycle:
            sample = list(phase.requests[:per_phase])
        else:
            sample = [phase.requests.pop() for _ in range(min(per_phase, len(phase.requests)))]
        warm = Phase(f"warm {phase.name}", phase.method, sample,
                     phase.statements_per_request, min(phase.concurrency, 4), duration=120.0)
        stored += run(warm, host=host, port=port, headers=headers).statements
    return stored


def wait_ready(host: str, port: int, path: str, *, timeout: float = 60.0,
               alive: Callable[[], bool] = lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"server on port {port} exited before it was ready")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", path, headers={"X-Experience-API-Version": "1.0.3"})
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server on port {port} not ready after {timeout:.0f} s")
