"""Reading a staff list (CSV or XLSX) into rows. No database: the checks that need it (agency
codes, the manager's scope, staff IDs already taken) are in ``lms.org.rosters``.

A file is refused as a whole (``RosterFileError``, with a message saying what to do) when it
cannot be read as a staff list: empty, too big, not UTF-8, not a CSV or XLSX at all, an XLSX
that unpacks to far more than it weighs or that holds formulas, missing columns, too many
rows. Otherwise every row is checked on its own; a bad row becomes a ``RowError`` (its line
and the reason) and the good rows go on.

Columns are found by their header, in Vietnamese or English, whatever the case, accents,
spacing or order; unknown columns (a row number "STT", notes) are ignored and listed.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from lxml import etree

from .models import PositionCategory
from .xlsx import XlsxError, XlsxFormula, first_sheet_rows

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls

FIELDS = ("full_name", "staff_id", "agency_code", "position", "email", "phone")
REQUIRED = ("full_name", "staff_id", "agency_code", "position", "email")
FIELD_LABELS = {  # in a context of their own: "position" elsewhere is an order
    "full_name": pgettext_lazy("roster column", "full name"),
    "staff_id": pgettext_lazy("roster column", "staff ID"),
    "agency_code": pgettext_lazy("roster column", "agency code"),
    "position": pgettext_lazy("roster column", "position"),
    "email": pgettext_lazy("roster column", "e-mail"),
    "phone": pgettext_lazy("roster column", "phone"),
}
# The headers of the template files (the first of each field's aliases below).
TEMPLATE_HEADERS = {
    "vi": ["Họ và tên", "Mã cán bộ", "Mã cơ quan", "Vị trí", "Email", "Số điện thoại"],
    "en": ["Full name", "Staff ID", "Agency code", "Position", "Email", "Phone"],
}
HEADER_ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Tên", "Full name", "Name", "Họ và tên cán bộ"],
    "staff_id": ["Mã cán bộ", "Mã số", "Mã số cán bộ", "Mã nhân viên", "Mã CBCCVC", "Staff ID",
                 "Staff number", "Employee ID"],
    "agency_code": ["Mã cơ quan", "Mã đơn vị", "Agency code", "Unit code"],
    "position": ["Vị trí", "Chức danh", "Vị trí việc làm", "Position", "Position category"],
    "email": ["Email", "E-mail", "Thư điện tử", "Địa chỉ email", "Mail"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT", "Phone", "Phone number", "Mobile"],
}
MAX_LENGTHS = {"full_name": 255, "staff_id": 64, "agency_code": 32, "email": 254, "phone": 32}
# Short Vietnamese words HR files use for a position, besides the codes and the labels.
POSITION_WORDS = {
    "cong chuc": PositionCategory.CIVIL_SERVANT,
    "vien chuc": PositionCategory.CIVIL_SERVANT,
    "can bo": PositionCategory.CIVIL_SERVANT,
    "lanh dao": PositionCategory.LEADER,
    "cntt": PositionCategory.IT_OFFICIAL,
    "can bo cap xa": PositionCategory.COMMUNE_OFFICIAL,
    "to cong nghe so cong dong": PositionCategory.COMMUNITY_TEAM,
}


class RosterFileError(Exception):
    """The whole file is refused; ``message`` says why and what to do (already translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class RosterRow:
    line: int  # the line of the CSV file, or the row of the sheet, as the user sees it
    full_name: str
    staff_id: str
    agency_code: str
    position: str  # a PositionCategory value
    email: str  # "" when not given: an existing e-mail is then kept
    phone: str  # "" when not given


@dataclass(slots=True)
class RowError:
    line: int
    staff_id: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "staff_id": self.staff_id, "reason": self.reason}


@dataclass
class RosterFile:
    rows: list[RosterRow]  # the rows that passed the checks of this module
    errors: list[RowError]
    staff_ids: set[str]  # every staff ID of the file, bad rows included
    columns: dict[str, str]  # field: the header found for it
    ignored_columns: list[str] = field(default_factory=list)


def setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def fold(text: str) -> str:
    """Lower case, no accents (đ as d), words separated by single spaces: how headers and
    position names are compared."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


_HEADERS = {fold(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


def position_lookup() -> dict[str, str]:
    """Folded code, Vietnamese label, English label (and a few usual words): the code."""
    lookup = dict(POSITION_WORDS)
    for language in ("en", "vi"):
        with translation.override(language):
            for value, label in PositionCategory.choices:
                lookup[fold(str(label))] = value
    for value in PositionCategory.values:
        lookup[fold(value)] = value
        lookup[fold(value.replace("_", " "))] = value
    return lookup


def clean(value: object) -> str:
    """A cell as text: trimmed, inner runs of spaces made one, NFC (composed accents)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


# --- reading the file -----------------------------------------------------------------


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls > len(head) / 100


def _text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RosterFileError(_(
                "The file starts like UTF-16 text but cannot be read as such. Save it again "
                "as “CSV UTF-8” or as an Excel workbook (.xlsx).")) from None
    if _looks_binary(data):
        raise RosterFileError(_(
            "This file is neither a CSV nor an Excel (.xlsx) file. Upload the staff list as "
            "“CSV UTF-8” or as an Excel workbook (.xlsx); the template shows the columns."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise RosterFileError(_(
            "The file is not in UTF-8 (line %(line)d holds characters in another encoding), "
            "so Vietnamese letters would be garbled. In Excel choose “Save as” → “CSV UTF-8 "
            "(comma delimited)”, or upload the .xlsx file itself.") % {"line": line}) from None


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as error:
        raise RosterFileError(_(
            "Line %(line)d of the file cannot be read as CSV (%(error)s). Check the quotes on "
            "that line, or upload the .xlsx file instead.") % {"line": line, "error": error}
        ) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    not_xlsx = _("This file cannot be opened as an Excel workbook (.xlsx). Open it in Excel "
                 "and save it again as .xlsx, or as “CSV UTF-8”.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RosterFileError(not_xlsx) from None
    # zipfile never unpacks more than the sizes declared here
    if unpacked > setting("HOCSO_ROSTER_MAX_UNZIPPED_BYTES", DEFAULT_MAX_UNZIPPED_BYTES):
        raise RosterFileError(_(
            "This workbook unpacks to %(size)d MB, far more than a staff list needs: it was "
            "refused. Copy the staff list alone into a new workbook, or save it as “CSV "
            "UTF-8”.") % {"size": unpacked // (1024 * 1024)})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from first_sheet_rows(archive)
    except XlsxFormula as formula:
        raise RosterFileError(_(
            "Cell %(cell)s holds a formula. Copy the sheet and “Paste values only” (Paste "
            "Special → Values) into a new workbook, then upload that.") % {
            "cell": formula.cell}) from None
    except (XlsxError, zipfile.BadZipFile, etree.LxmlError, zlib.error, OSError, ValueError,
            KeyError, EOFError, RuntimeError, NotImplementedError):  # damaged or encrypted
        raise RosterFileError(not_xlsx) from None


def _header(values: list[Any]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    positions: dict[str, int] = {}
    found: dict[str, str] = {}
    ignored: list[str] = []
    for index, value in enumerate(values):
        text = clean(value)
        if not text:
            continue
        name = _HEADERS.get(fold(text))
        if name is None:
            ignored.append(text)
        elif name in positions:
            raise RosterFileError(_(
                "Two columns are both read as the %(field)s: “%(first)s” and “%(second)s”. "
                "Keep only one of them.") % {"field": FIELD_LABELS[name],
                                             "first": found[name], "second": text})
        else:
            positions[name], found[name] = index, text
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        seen = [clean(v) for v in values if clean(v)]
        raise RosterFileError(_(
            "Missing columns: %(missing)s. Columns found in the first row: %(found)s. The "
            "first row must name the columns full name, staff ID, agency code, position and "
            "e-mail (phone is optional), in Vietnamese or English: download the template to "
            "see them.") % {"missing": ", ".join(str(FIELD_LABELS[m]) for m in missing),
                            "found": ", ".join(f"“{s}”" for s in seen) or "—"})
    return positions, found, ignored


def roster_rows(*, data: bytes) -> tuple[Iterable[tuple[int, list[Any]]], str]:
    """The (line, cells) of the file and its kind ("xlsx" or "csv"), or a RosterFileError."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise RosterFileError(_("The file is empty. Upload the staff list with a first row "
                                "naming the columns and one row per person."))
    if data.startswith(OLE_MAGIC):
        raise RosterFileError(_("This is an old Excel file (.xls) or a password-protected "
                                "workbook. Open it in Excel, remove any password and save it as "
                                "an Excel workbook (.xlsx) or as “CSV UTF-8”."))
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(data), "xlsx"
    return _csv_rows(data), "csv"


def roster_parse(*, data: bytes) -> RosterFile:
    """Read ``data`` (the bytes of a CSV or XLSX staff list) into checked rows."""
    if len(data) > setting("HOCSO_ROSTER_MAX_BYTES", DEFAULT_MAX_BYTES):
        raise RosterFileError(too_big_message(len(data)))
    lines, _kind = roster_rows(data=data)
    max_rows = setting("HOCSO_ROSTER_MAX_ROWS", DEFAULT_MAX_ROWS)
    positions_by_name = position_lookup()
    header: dict[str, int] | None = None
    result = RosterFile(rows=[], errors=[], staff_ids=set(), columns={})
    first_line: dict[str, int] = {}
    count = 0
    for line, values in lines:
        cells = [clean(v) for v in values]
        if not any(cells):
            continue
        if header is None:
            header, result.columns, result.ignored_columns = _header(values)
            continue
        count += 1
        if count > max_rows:
            raise RosterFileError(_(
                "The file has more than %(max)d rows. Split it into files of at most "
                "%(max)d people each and import them one after the other.") % {"max": max_rows})
        row = {name: (cells[index] if index < len(cells) else "")
               for name, index in header.items()}
        reasons = _row_reasons(row, positions_by_name)
        staff_id = row["staff_id"]
        if staff_id:
            result.staff_ids.add(staff_id)
            if staff_id in first_line:
                reasons.append(_("staff ID %(staff_id)s already appears on line %(line)d") % {
                    "staff_id": staff_id, "line": first_line[staff_id]})
            else:
                first_line[staff_id] = line
        if reasons:
            result.errors.append(RowError(line=line, staff_id=staff_id,
                                          reason="; ".join(reasons)))
            continue
        result.rows.append(RosterRow(
            line=line, full_name=row["full_name"], staff_id=staff_id,
            agency_code=row["agency_code"], position=positions_by_name[fold(row["position"])],
            email=row["email"], phone=row.get("phone", "")))
    if header is None:
        raise RosterFileError(_("The file is empty. Upload the staff list with a first row "
                                "naming the columns and one row per person."))
    if count == 0:
        raise RosterFileError(_("The file has the column names but no person under them."))
    return result


def _row_reasons(row: dict[str, str], positions_by_name: dict[str, str]) -> list[str]:
    reasons = []
    if not row["full_name"]:
        reasons.append(_("the full name is missing"))
    if not row["staff_id"]:
        reasons.append(_("the staff ID is missing"))
    if not row["agency_code"]:
        reasons.append(_("the agency code is missing"))
    for name, limit in MAX_LENGTHS.items():
        if len(row.get(name, "")) > limit:
            reasons.append(_("the %(field)s is longer than %(max)d characters") % {
                "field": FIELD_LABELS[name], "max": limit})
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            reasons.append(_("malformed e-mail “%(email)s”") % {"email": row["email"]})
    if not row["position"]:
        reasons.append(_("the position is missing"))
    elif fold(row["position"]) not in positions_by_name:
        reasons.append(_("unknown position “%(position)s” (use one of: %(known)s)") % {
            "position": row["position"], "known": ", ".join(PositionCategory.values)})
    return reasons


def too_big_message(size: int) -> str:
    limit = setting("HOCSO_ROSTER_MAX_BYTES", DEFAULT_MAX_BYTES)
    return _("The file weighs %(size).1f MB; at most %(max).1f MB is accepted. Split the staff "
             "list into smaller files, or save it as .xlsx (smaller than CSV).") % {
        "size": size / (1024 * 1024), "max": limit / (1024 * 1024)}
