"""Tables of the coverage reports, written as XLSX or CSV by ``lms.tables`` (whose names are
re-exported here: formula-looking cells neutralised, rows streamed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.tables import (  # noqa: F401 - re-exported for the report modules
    DATE_FORMAT,
    FORMULA_STARTS,
    XLSX_TYPE,
    Table,
    csv_lines,
    csv_value,
    looks_like_formula,
    sheet_title,
    xlsx_write,
)

from .dashboard import Dashboard
from .selectors import person_stage

RATE_FORMAT = "0.0"  # rates are percents (60.0 means 60 %)
PEOPLE_CHUNK = 2000

# A person's furthest stage for a certificate type, each excluding the ones after it.
PEOPLE_STATUSES = {
    "not_started": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "trained": gettext_lazy("Trained"),
    "certified": gettext_lazy("Certified"),
}


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
