"""Run one piece of work in several threads released at the same moment (race tests on
PostgreSQL); each thread closes its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_together(work: Callable[[], Any], *, threads: int, timeout: float = 120
                 ) -> tuple[list[Any], list[BaseException]]:
    """Call ``work`` in ``threads`` threads at once; returns its results and the errors."""
    barrier = threading.Barrier(threads)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # noqa: BLE001 (returned to the test)
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=timeout)
    return results, errors
