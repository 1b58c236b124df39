"""Tables written as XLSX (openpyxl, write-only: rows go to disk as they come, so a
national people list never sits in memory) or as CSV (a generator of lines for a streaming
response): the one writer of every download (coverage reports, assignment lists).

A table is a header and an iterable of rows; the same rows feed both writers. Text that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
neutralised: prefixed with an apostrophe in CSV, stored as plain text with Excel's quote
prefix in XLSX. (Outside the app layers, like ``lms.jobs``: any app may use it.)"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

@dataclass
class Table:
    title: str  # the sheet's name
    header: list[str]
    rows: Iterable[list[Any]]
    formats: dict[int, str] = field(default_factory=dict)  # column index: number format


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


# --- CSV ------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_value(value: object) -> object:
    """A value as a CSV cell: a formula-looking text made plain text (an apostrophe)."""
    if value is None:
        return ""
    if looks_like_formula(value):
        return "'" + value
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines, a byte-order mark first so that spreadsheet programs read
    the Vietnamese letters as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([csv_value(value) for value in table.header])
    for row in table.rows:
        yield writer.writerow([csv_value(value) for value in row])


# --- XLSX -----------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A valid sheet name: no []:*?/\\, at most 31 characters."""
    return _SHEET_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


def _cell(sheet: Any, value: object, number_format: str | None) -> WriteOnlyCell:
    if isinstance(value, str) and value == "":
        value = None
    cell = WriteOnlyCell(sheet, value=value)
    if looks_like_formula(value):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    elif number_format and isinstance(value, int | float | datetime.date):
        cell.number_format = number_format
    return cell


def xlsx_write(tables: list[Table], out: IO[bytes], *, title: str = "") -> None:
    """Write each table as a sheet (header row bold and frozen) to ``out``."""
    workbook = Workbook(write_only=True)
    if title:
        workbook.properties.title = title
    workbook.properties.creator = "HọcSố"
    used: set[str] = set()
    for table in tables:
        name = sheet_title(table.title)
        while name in used:
            name = sheet_title(f"{name[:28]} {len(used) + 1}")
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for text in table.header:
            cell = _cell(sheet, str(text), None)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_cell(sheet, value, table.formats.get(index))
                          for index, value in enumerate(row)])
    workbook.save(out)


# --- downloads ------------------------------------------------------------------------

def csv_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """CSV lines (``csv_lines`` of one or more tables) streamed as a file download."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(tables: list[Table], *, filename: str, title: str = "") -> FileResponse:
    """The workbook of ``tables`` as a file download. Write-only openpyxl spools its rows
    to disk; the finished file is streamed from a temporary file deleted once the response
    is closed."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    try:
        xlsx_write(tables, out, title=title)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
