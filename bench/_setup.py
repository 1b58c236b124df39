"""Shared set-up of the benchmarks: a throwaway database and Django configured for it."""

from __future__ import annotations

import os
import sys
import urllib.parse
from pathlib import Path


def bench_database(tmp: Path) -> tuple[str, bool]:
    """The database to run on: ``DATABASE_URL`` (a ``hocso_bench…`` PostgreSQL database,
    dropped and created afresh) or a SQLite file in ``tmp``. Returns (url, is PostgreSQL)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'bench.sqlite3'}", False
    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("hocso_bench"):
        sys.exit(f"refusing to drop {name!r}: DATABASE_URL must name a hocso_bench… database")
    import psycopg

    admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url, True


def bench_django(url: str, media: Path, *, name: str) -> None:
    """Configure and set up Django on ``url`` with media files under ``media``."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SECRET_KEY", f"bench-{name}-throwaway-key-0123456789")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()
