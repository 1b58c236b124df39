"""The benchmark's printed result: the table, the configuration, the ratios of HọcSố to
Ralph, the targets of issue 3 and the consistency checks."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field

from lrs_http import Result

TARGET_BATCH = 5000  # statements/s in 100-statement batches
TARGET_SINGLE = 500  # single-statement POSTs/s
TARGET_GET_P95 = 50.0  # ms


@dataclass
class Outcome:
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    args: argparse.Namespace | None = None
    load_timings: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    hocso: list[Result] = field(default_factory=list)
    hocso_config: str = ""
    hocso_stored: int = 0
    hocso_check: tuple[int, int] | None = None
    ralph: list[Result] = field(default_factory=list)
    ralph_config: str = ""
    ralph_stored: int = 0
    ralph_check: tuple[int, int] | None = None
    environment: str = ""
    quiet: str = ""


def _row(lrs: str, r: Result) -> str:
    unit = "stmt/s" if r.phase.statements_per_request else "req/s"
    moved = (f"{r.statements:,}" if r.phase.statements_per_request else
             f"~{sum(r.returned) / len(r.returned):.0f}/resp" if r.returned else "-")
    flag = " (ran out of bodies)" if r.exhausted else ""
    return (f"{lrs:<9} | {r.phase.name:<22} | {r.phase.concurrency:>4} | {r.ok:>8,} | "
            f"{moved:>11} | {r.seconds:>5.1f} | {r.rate:>9,.0f} {unit:<6} | "
            f"{r.percentile(0.5):>7.1f} | {r.percentile(0.95):>7.1f} | "
            f"{r.percentile(0.99):>7.1f} | {r.error_count:>6} | "
            f"{r.cpu_client:>4.2f} / {r.cpu_server:>4.2f} / {r.cpu_db:>4.2f} / "
            f"{r.cpu_others:>4.2f} / {r.cpu_iowait:>4.2f}{flag}")


def _by_name(results: list[Result]) -> dict[str, Result]:
    return {r.phase.name: r for r in results}


def report(o: Outcome) -> int:
    """Print everything; 0 when every request succeeded and every statement was found."""
    a = o.args
    header = (f"{'LRS':<9} | {'phase':<22} | conn | {'requests':>8} | {'statements':>11} | "
              f"{'s':>5} | {'rate':>16} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | "
              f"{'errors':>6} | cores: client / server / db / others / iowait")
    print("\n" + "=" * len(header))
    print(header)
    print("-" * len(header))
    for r in o.hocso:
        print(_row("HọcSố", r))
    for r in o.ralph:
        print(_row("Ralph", r))
    print("=" * len(header))
    print("cores (of 2), on average over the phase: CPU of the load generator, of the "
          "server's processes, of its PostgreSQL backends, of everything else on the machine "
          "(other users, PostgreSQL's background writers, the kernel: the figures are clean "
          "only when this is small), and time idle "
          "waiting for the disk.")

    profiled = [r for r in o.hocso if r.profile]
    if profiled:
        print("\nWhere HọcSố's workers spent their time (py-spy samples; waiting for "
              "PostgreSQL counts in the step that waits)")
        for r in profiled:
            steps = ", ".join(f"{step} {share * 100:.0f}%" for share, step in r.profile
                              if share >= 0.02)
            print(f"  {r.phase.name}: {steps}")

    print("\nConfiguration")
    print(f"  machine: {os.cpu_count()} cores; load average before {_load(o.load_before)}, "
          f"after {_load(o.load_after)}")
    if o.quiet:
        print(f"  {o.quiet}")
    if a is not None:
        print(f"  phases: {a.duration:.0f} s each; batches of {a.batch_size} at "
              f"{a.batch_concurrency} connections, single POSTs at {a.single_concurrency}, "
              f"GETs at {a.get_concurrency}; keep-alive http.client threads; xAPI 1.0.3")
        print(f"  data: {a.learners:,} learners (accounts), {a.courses * 20:,} activities "
              f"in {a.courses} courses, 3 registrations each"
              + (" (database reused)" if a.reuse else f"; {a.statements:,} statements loaded"))
    if o.load_timings:
        print("  load: " + ", ".join(f"{k} {v:,.0f} s" for k, v in o.load_timings.items()))
    if o.sizes:
        print("  sizes: " + ", ".join(f"{k} {v / 1e9:.2f} GB" for k, v in o.sizes.items()))
    if o.environment:
        print(f"  {o.environment}")
    if o.hocso_config:
        print(f"  HọcSố: {o.hocso_config}, PostgreSQL 127.0.0.1; "
              f"{o.hocso_stored:,} statements stored when the GETs ran")
    if o.ralph_config:
        print(f"  Ralph: {o.ralph_config}; {o.ralph_stored:,} statements stored when the "
              f"GETs ran (each GET reads the whole file)")

    failed = False
    if o.hocso and o.ralph:
        print("\nHọcSố / Ralph")
        ours, theirs = _by_name(o.hocso), _by_name(o.ralph)
        for name, r in ours.items():
            t = theirs.get(name)
            if t is None or not t.rate:
                continue
            print(f"  {name:<22}: {r.rate:>9,.0f} vs {t.rate:>7,.1f} /s = {r.rate / t.rate:6.1f}x"
                  f" throughput; p95 {r.percentile(0.95):.0f} vs {t.percentile(0.95):.0f} ms"
                  f" = {t.percentile(0.95) / r.percentile(0.95):.1f}x faster")
    if o.hocso:
        print("\nTargets (issue 3)")
        for r in o.hocso:
            if r.phase.name.startswith("POST batches"):
                _target(f"batches: >= {TARGET_BATCH:,} statements/s", r.rate,
                        r.rate >= TARGET_BATCH)
            elif r.phase.name.startswith("POST single"):
                _target(f"single POSTs: >= {TARGET_SINGLE} /s", r.rate, r.rate >= TARGET_SINGLE)
            else:
                p95 = r.percentile(0.95)
                _target(f"{r.phase.name} p95 < {TARGET_GET_P95:.0f} ms", p95,
                        p95 < TARGET_GET_P95)
    print("\nChecks")
    for name, check in (("HọcSố", o.hocso_check), ("Ralph", o.ralph_check)):
        if check is None:
            continue
        written, found = check
        ok = written == found
        failed |= not ok
        print(f"  {name}: {written:,} statements acknowledged, {found:,} found stored"
              f"{'' if ok else '  <-- MISMATCH'}")
    for lrs, results in (("HọcSố", o.hocso), ("Ralph", o.ralph)):
        for r in results:
            if r.error_count:
                failed = True
                print(f"  {lrs} {r.phase.name}: {r.error_count} failed requests "
                      f"{dict(r.errors)}; e.g. {r.error_samples[:2]}")
    print("  errors: " + ("SOME REQUESTS FAILED" if failed else "none"))
    activity = _by_name(o.ralph).get("GET by activity")
    if activity is not None and activity.returned and not any(activity.returned):
        print("  note: Ralph 5.1's filesystem backend found no statement by activity (it "
              "compares object.id with its IRI model object, never equal); each such GET "
              "still reads the whole file.")
    return 1 if failed else 0


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def _target(label: str, value: float, met: bool) -> None:
    print(f"  {label:<40} {value:>9,.1f}  {'met' if met else 'MISSED'}")
