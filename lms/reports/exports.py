"""Tables of the coverage reports written as XLSX (openpyxl, write-only: rows go to disk as
they come, so a national people list never sits in memory) or as CSV (a generator of lines
for a streaming response).

A table is a header and an iterable of rows; the same rows feed both writers. Text that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) is
neutralised: prefixed with an apostrophe in CSV, stored as plain text with Excel's quote
prefix in XLSX."""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .dashboard import Dashboard
from .selectors import person_stage

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RATE_FORMAT = "0.0"  # rates are percents (60.0 means 60 %)
DATE_FORMAT = "dd/mm/yyyy"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE_CHUNK = 2000

# A person's furthest stage for a certificate type, each excluding the ones after it.
PEOPLE_STATUSES = {
    "not_started": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "trained": gettext_lazy("Trained"),
    "certified": gettext_lazy("Certified"),
}


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


# --- the tables -----------------------------------------------------------------------


def dashboard_table(board: Dashboard, *, title: str | None = None) -> Table:
    """The dashboard's table: the agency itself, then its children ranked (best first)."""
    header = ["#", _("Agency code"), _("Agency"), _("Headcount"), capfirst(_("enrolled")),
              _("In progress"), _("Trained"), _("Certified"), f"{_('Rate')} (%)", _("Gap")]

    def rows() -> Iterator[list[Any]]:
        for rank, row in [("", board.root), *enumerate(board.children, start=1)]:
            figures = row.figures
            yield [rank, row.agency.code, row.agency.name, figures.headcount,
                   figures.enrolled, figures.in_progress, figures.trained, figures.certified,
                   None if row.rate is None else round(row.rate, 2), row.gap]

    return Table(title=title or board.target.code, header=header, rows=rows(),
                 formats={8: RATE_FORMAT})


def people_table(people: QuerySet, *, title: str = "") -> Table:
    """One row per person, read from the database in chunks."""
    header = [_("Full name"), _("Agency code"), _("Agency"), _("Position category"),
              _("Status"), _("Trained"), _("Certified")]

    def rows() -> Iterator[list[Any]]:
        for person in people.iterator(chunk_size=PEOPLE_CHUNK):
            yield [person.full_name, person.agency.code, person.agency.name,
                   str(person.get_position_display()), str(PEOPLE_STATUSES[person_stage(person)]),
                   int(person.is_trained), int(person.is_certified)]

    return Table(title=title or _("People"), header=header, rows=rows())
