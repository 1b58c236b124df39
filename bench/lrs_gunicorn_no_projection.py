"""gunicorn config for an experiment only (``lrs_ingest.py --experiment no-projection``):
each worker replaces the progress projection of ``lms.records.storage`` with a no-op, to
measure what the rest of the write path costs. Never used in production."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    import lms.records.storage as storage

    storage.project = lambda row: []
