"""An HR manager's journey in headless Chromium: log in through the form, open the
coverage dashboard, download its XLSX export (it opens and names the agency), then the
assignments page. Screenshots: tests/e2e/artifacts/test_hr_journey/."""

from __future__ import annotations

import openpyxl
import pytest

from .conftest import browser_needed, log_in
from .data import PROVINCE, world_build
from .steps import follow

pytestmark = [
    browser_needed,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_hr_journey(desktop_page, shots):
    page, shot = desktop_page, shots(desktop_page)
    world = world_build()

    log_in(page, username=world.manager.username)
    shot("logged in")

    follow(page, "/hr/dashboard/")
    assert page.url.split("?")[0].endswith("/hr/dashboard/")
    assert PROVINCE in page.locator("h1").inner_text()
    shot("coverage dashboard")

    with page.expect_download() as info:
        page.locator('main a[href^="/hr/dashboard.xlsx"]').click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        book = openpyxl.load_workbook(file)
    cells = {str(value) for sheet in book.worksheets
             for row in sheet.iter_rows(values_only=True) for value in row if value}
    assert any(PROVINCE in cell for cell in cells)

    follow(page, "/hr/assignments/")
    assert page.get_by_text("Kỹ năng số 2026").count() >= 1
    shot("assignments")
