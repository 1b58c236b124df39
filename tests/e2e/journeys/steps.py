"""Small browser steps shared by the journeys."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def follow(page, href: str) -> None:
    """Follow the site's own link to ``href`` (the header's navigation on the phone), or
    go there directly when no link to it is visible (a menu folded away)."""
    link = page.locator(f'a[href="{href}"]:visible').first
    if link.count():
        with page.expect_navigation():
            link.click()
    else:
        page.goto(href)
    page.wait_for_load_state()


def in_thread(function: Callable[[], T]) -> T:
    """``function()`` run in a thread of its own (with its own database connection), as a
    scheduler's job runs apart from the web requests; its result or its exception."""
    from django.db import connection

    def run() -> T:
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
