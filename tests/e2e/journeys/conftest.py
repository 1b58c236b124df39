"""Browser fixtures of the journeys and accessibility tests: Playwright driving Debian's
headless Chromium (/usr/bin/chromium; no browser is ever downloaded), a phone-sized page,
screenshots saved as test artifacts under tests/e2e/artifacts/<test>/. The browser itself
is ``tests/e2e/conftest.py``'s."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import ARTIFACTS, PHONE, browser_needed

__all__ = ["browser_needed"]

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's


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
