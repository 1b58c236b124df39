"""The people list of a rule as a table (``lms.tables`` writes it as XLSX or CSV)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.tables import DATE_FORMAT, Table

from .models import Assignment
from .selectors import person_status

PEOPLE_CHUNK = 2000

STATUS_LABELS = {
    "not_started": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "done": gettext_lazy("Done"),
    "overdue": gettext_lazy("Overdue"),
}


def people_table(*, assignment: Assignment, people: QuerySet,
                 today: datetime.date) -> Table:
    """One row per person of ``assignment_people``, read in chunks. No e-mail, phone or
    identity number: a name, a place, a status."""
    header = [_("Full name"), _("Agency code"), _("Agency"), _("Position category"),
              _("Status"), _("Started"), _("Done"), _("Due date")]

    def rows() -> Iterator[list[Any]]:
        for person in people.iterator(chunk_size=PEOPLE_CHUNK):
            status = person_status(person, assignment=assignment, today=today)
            yield [person.full_name, person.agency.code, person.agency.name,
                   str(person.get_position_display()), str(STATUS_LABELS[status]),
                   int(person.is_started or person.is_done), int(person.is_done),
                   assignment.due_on]

    return Table(title=assignment.display_title, header=header, rows=rows(),
                 formats={7: DATE_FORMAT})
