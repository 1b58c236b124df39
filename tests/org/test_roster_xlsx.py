"""The streaming XLSX reader (lms.org.xlsx) on workbooks made by openpyxl and by hand."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from lms.org.roster import RosterFileError, roster_parse
from lms.org.xlsx import XlsxError, XlsxFormula, first_sheet_rows

from ..rosters import VI_HEADER

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def rows_of(data: bytes) -> list[tuple[int, list]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return list(first_sheet_rows(archive))


def handmade(sheet_xml: str, *, shared: str | None = None, sheet_path: str = "sheets/a.xml",
             prolog: str = "") -> bytes:
    """A minimal workbook whose first sheet is ``sheet_xml`` (its <sheetData> content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="r1" '
                         f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                         "</Relationships>")
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                         '<sheet name="Cán bộ" sheetId="1" r:id="rId7"/></sheets></workbook>')
        strings = (f'<Relationship Id="rId9" Type="{REL}/sharedStrings" '
                   'Target="sharedStrings.xml"/>') if shared is not None else ""
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">'
                         f'<Relationship Id="rId7" Type="{REL}/worksheet" '
                         f'Target="{sheet_path}"/>{strings}</Relationships>')
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{shared}</sst>')
        archive.writestr(f"xl/{sheet_path}",
                         f'{prolog}<worksheet xmlns="{MAIN}"><sheetData>{sheet_xml}</sheetData>'
                         "</worksheet>")
    return out.getvalue()


def test_openpyxl_workbooks_normal_and_write_only():
    for write_only in (False, True):
        workbook = Workbook(write_only=write_only)
        sheet = workbook.create_sheet("Một") if write_only else workbook.active
        sheet.append(["Họ và tên", "Mã", 3])
        sheet.append([None, "x", 2.5, True, 12345678901])
        out = io.BytesIO()
        workbook.save(out)
        assert rows_of(out.getvalue()) == [(1, ["Họ và tên", "Mã", 3]),
                                           (2, [None, "x", 2.5, True, 12345678901])]


def test_inline_strings_rich_text_gaps_and_missing_references():
    shared = ('<si><t>Họ và tên</t></si><si><r><t>Mã </t></r><r><t>cán bộ</t></r>'
              '<rPh><t>phonetic</t></rPh></si>')
    sheet = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
             '<row r="4"><c t="inlineStr"><is><t>Nguyễn Văn An</t></is></c>'
             '<c t="str"><v>HN001</v></c><c t="b"><v>0</v></c></row>'
             '<row><c r="B5"><v>7</v></c></row>')
    assert rows_of(handmade(sheet, shared=shared)) == [
        (1, ["Họ và tên", None, "Mã cán bộ"]),
        (4, ["Nguyễn Văn An", "HN001", False]),
        (5, [None, 7]),
    ]


def test_formula_is_reported_with_its_cell():
    sheet = '<row r="1"><c r="A1"><v>1</v></c><c r="D1"><f>A1+1</f><v>2</v></c></row>'
    with zipfile.ZipFile(io.BytesIO(handmade(sheet))) as archive, \
            pytest.raises(XlsxFormula) as caught:
        list(first_sheet_rows(archive))
    assert caught.value.cell == "D1"


@pytest.mark.parametrize("sheet", [
    '<row r="1"><c r="XFE1"><v>1</v></c></row>',  # beyond the last column
    '<row r="1"><c r="A1" t="s"><v>3</v></c></row>',  # no such shared string
    '<row r="1"><c r="A1"><v>abc</v></c></row>',  # not a number
    '<row r="1"><c r="A1"><v>1</v></c>',  # broken XML
])
def test_damaged_sheets(sheet):
    with pytest.raises(RosterFileError):
        roster_parse(data=handmade(sheet))


def test_entities_are_not_expanded():
    prolog = ('<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
    data = handmade('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>',
                    prolog=prolog)
    try:
        rows = rows_of(data)
    except XlsxError:  # refusing is fine too
        return
    assert "aaaaaaaaaa" not in str(rows)


def test_a_handmade_staff_list_imports():
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in VI_HEADER[:5])
    person = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in
                     ["Nguyễn Văn An", "HN001", "00097", "Lãnh đạo", "an@example.vn"])
    parsed = roster_parse(data=handmade(f"<row>{cells}</row><row>{person}</row>"))
    assert [(r.line, r.staff_id, r.position) for r in parsed.rows] == [(2, "HN001", "leader")]
