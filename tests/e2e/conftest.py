"""Headless Chromium for the browser tests: Debian's package at /usr/bin/chromium, driven by
Playwright (which never downloads a browser of its own here). One browser per test module; each
test gets a fresh profile (no cookies, caches or service workers). Without Chromium the
browser tests are skipped, saying why."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HOCSO_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = {"width": 360, "height": 740}

browser_needed = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: install Debian's chromium "
                                  "package (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One headless Chromium per test module. Not one per run: Playwright's synchronous API
    keeps an event loop running in this thread while the browser is open, and tests that
    run later (pytest-django puts the database-less ones last) call ``asyncio.run``."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    # Playwright's synchronous API keeps an event loop in this thread while it runs: the
    # tests' own ORM calls (and the database flush after each) stay synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 headless=True, args=["--no-sandbox"])
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _content_types_afresh():
    """After a browser test's flush, post_migrate recreated the content types under new ids
    (see ``tests/conftest.py``): forget the ids cached by an earlier test."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def browser_context(chromium, live_server):
    """A fresh profile on a 360 px phone screen, service workers allowed."""
    context = chromium.new_context(base_url=live_server.url, service_workers="allow",
                                   viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, request):
    page = browser_context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
