"""Browser fixtures of the journeys and accessibility tests: Playwright driving Debian's
headless Chromium (/usr/bin/chromium; no browser is ever downloaded), a phone-sized page,
screenshots saved as test artifacts under tests/e2e/artifacts/<test>/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HOCSO_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make between two browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

browser_needed = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: install Debian's chromium "
                                  "package (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox"])
        yield browser
        browser.close()


class Shots:
    """Numbered screenshots of one test: tests/e2e/artifacts/<test>/NN-step.png."""

    def __init__(self, page, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0

    def __call__(self, step: str) -> Path:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _context(chromium, live_server, viewport: dict[str, int]):
    return chromium.new_context(base_url=live_server.url, viewport=viewport,
                                accept_downloads=True, locale="vi-VN")


@pytest.fixture
def phone_page(chromium, live_server):
    """A fresh browser context with a 360×740 phone window, on the live server."""
    context = _context(chromium, live_server, PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(chromium, live_server):
    context = _context(chromium, live_server, DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def shots(request) -> Iterator[object]:
    """``shots(page)`` gives the test's screenshot taker."""
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for old in folder.glob("*.png") if folder.exists() else []:
        old.unlink()
    return lambda page: Shots(page, folder)


def log_in(page, *, username: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button").click()
