"""Reading staff lists (lms.org.roster): headers, encodings, refused files, row errors."""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from lms.org.roster import RosterFileError, fold, roster_parse

from ..rosters import EN_HEADER, VI_HEADER, csv_bytes, xlsx_bytes

ROWS = [
    ["Nguyễn Văn An", "HN001", "00097", "civil_servant", "an@example.vn", "0912345678"],
    ["Trần Thị Bình", "HN002", "00004", "Lãnh đạo", "binh@example.vn", ""],
]


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def refused(data: bytes) -> str:
    with pytest.raises(RosterFileError) as caught:
        roster_parse(data=data)
    return caught.value.message


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  Họ  và TÊN ") == "ho va ten"
    assert fold("Mã_đơn-vị") == "ma don vi"


def test_csv_with_vietnamese_headers_bom_and_semicolons():
    parsed = roster_parse(data=csv_bytes(ROWS, delimiter=";"))
    assert parsed.errors == []
    assert [(r.line, r.staff_id, r.agency_code, r.position) for r in parsed.rows] == [
        (2, "HN001", "00097", "civil_servant"), (3, "HN002", "00004", "leader")]
    assert parsed.rows[0].email == "an@example.vn"
    assert parsed.rows[0].phone == "0912345678"
    assert parsed.columns["full_name"] == "Họ và tên"


def test_english_headers_tabs_utf16_any_order_and_no_phone_column():
    header = ["email", "NAME", "staff id", "position", "Agency Code"]
    rows = [["an@example.vn", "Nguyễn Văn An", "HN001", "Leader", "00097"]]
    parsed = roster_parse(data=csv_bytes(rows, header=header, delimiter="\t",
                                         encoding="utf-16"))
    assert parsed.errors == []
    (row,) = parsed.rows
    assert (row.full_name, row.staff_id, row.agency_code, row.position, row.email,
            row.phone) == ("Nguyễn Văn An", "HN001", "00097", "leader", "an@example.vn", "")


def test_utf8_without_bom_commas_and_variant_headers():
    header = ["STT", "Họ tên", "Mã số", "Mã đơn vị", "Chức danh", "Thư điện tử", "Điện thoại"]
    rows = [[1, "Lê Thị Cúc", "HN003", "00097", "Cán bộ, công chức, viên chức".replace(",", ""),
             "", ""]]
    parsed = roster_parse(data=csv_bytes(rows, header=header, encoding="utf-8"))
    assert parsed.ignored_columns == ["STT"]
    # punctuation does not matter in a label
    assert [(r.full_name, r.staff_id, r.position) for r in parsed.rows] == [
        ("Lê Thị Cúc", "HN003", "civil_servant")]


def test_position_codes_and_labels_in_both_languages():
    labels = ["civil_servant", "Cán bộ công nghệ thông tin / chuyển đổi số",
              "Commune official", "COMMUNITY TEAM", "thành viên tổ công nghệ số cộng đồng"]
    rows = [[f"Người {i}", f"P{i}", "00097", label, ""] for i, label in enumerate(labels)]
    parsed = roster_parse(data=csv_bytes(rows, header=VI_HEADER[:5]))
    assert [r.position for r in parsed.rows] == [
        "civil_servant", "it_official", "commune_official", "community_team", "community_team"]


def test_names_trimmed_and_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Phạm  Thị Hồng")
    parsed = roster_parse(data=csv_bytes([[f"  {decomposed} ", " HN009 ", "00097 ",
                                           "leader", " x@example.vn "]], header=VI_HEADER[:5]))
    (row,) = parsed.rows
    assert row.full_name == "Phạm Thị Hồng"
    assert unicodedata.is_normalized("NFC", row.full_name)
    assert (row.staff_id, row.agency_code, row.email) == ("HN009", "00097", "x@example.vn")


def test_xlsx_read_with_numbers_as_text():
    rows = [["Nguyễn Văn An", 12345, "00097", "civil_servant", "an@example.vn", 912345678.0]]
    parsed = roster_parse(data=xlsx_bytes(rows, header=EN_HEADER))
    (row,) = parsed.rows
    assert (row.line, row.staff_id, row.phone) == (2, "12345", "912345678")


def test_xlsx_line_numbers_count_blank_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(VI_HEADER)
    sheet.append(ROWS[0])
    sheet.append([])
    sheet.append(["", "HN404", "00097", "civil_servant", ""])
    out = io.BytesIO()
    workbook.save(out)
    parsed = roster_parse(data=out.getvalue())
    assert [r.line for r in parsed.rows] == [2]
    assert [(e.line, e.staff_id) for e in parsed.errors] == [(4, "HN404")]


def test_row_errors_with_line_and_reason():
    rows = [
        ROWS[0],
        ["", "HN010", "00097", "civil_servant", ""],                   # line 3
        ["Không Mã", "", "00097", "civil_servant", ""],                # line 4
        ["Sai Thư", "HN011", "00097", "civil_servant", "not-an-email"],  # line 5
        ["Sai Vị Trí", "HN012", "00097", "astronaut", ""],             # line 6
        ["Trùng Mã", "HN001", "00004", "leader", ""],                  # line 7
        ["Không Cơ Quan", "HN013", "", "leader", ""],                  # line 8
    ]
    with translation.override("en"):
        parsed = roster_parse(data=csv_bytes(rows, header=VI_HEADER[:5]))
    assert [r.staff_id for r in parsed.rows] == ["HN001"]
    errors = {e.line: (e.staff_id, e.reason) for e in parsed.errors}
    assert errors[3] == ("HN010", "the full name is missing")
    assert errors[4] == ("", "the staff ID is missing")
    assert errors[5] == ("HN011", "malformed e-mail “not-an-email”")
    assert errors[6][1].startswith("unknown position “astronaut”")
    assert errors[7] == ("HN001", "staff ID HN001 already appears on line 2")
    assert errors[8] == ("HN013", "the agency code is missing")
    assert parsed.staff_ids == {"HN001", "HN010", "HN011", "HN012", "HN013"}


# --- refused files --------------------------------------------------------------------------

def test_missing_columns_named_with_those_found():
    with translation.override("en"):
        message = refused(csv_bytes(ROWS, header=["Họ và tên", "Mã cán bộ", "Ghi chú",
                                                  "Email", "x", "y"]))
    assert "Missing columns: agency code, position." in message
    assert "“Họ và tên”, “Mã cán bộ”, “Ghi chú”, “Email”" in message


def test_two_columns_for_one_field():
    with translation.override("en"):
        message = refused(csv_bytes([], header=[*VI_HEADER, "Full name"]))
    assert "“Họ và tên” and “Full name”" in message


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_not_utf8_says_save_as_csv_utf8(encoding):
    rows = [["Tran Thi Binh", "HN002", "00004", "leader", "binh@example.vn", "é"]]
    with translation.override("en"):
        message = refused(csv_bytes(rows, header=EN_HEADER, encoding=encoding))
    assert "not in UTF-8" in message and "CSV UTF-8" in message
    assert "line 2" in message


def test_ten_megabytes_of_random_bytes():
    with translation.override("en"):
        message = refused(os.urandom(10 * 1024 * 1024))
    assert "neither a CSV nor an Excel (.xlsx) file" in message


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with translation.override("en"):
        assert "cannot be opened as an Excel workbook" in refused(out.getvalue())


def test_old_xls():
    with translation.override("en"):
        assert "old Excel file (.xls)" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_xlsx_with_a_formula_names_the_cell():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(VI_HEADER)
    sheet.append(ROWS[0])
    sheet.append(["Trần Thị Bình", "=B2&\"X\"", "00004", "leader", "b@example.vn"])
    out = io.BytesIO()
    workbook.save(out)
    with translation.override("en"):
        message = refused(out.getvalue())
    assert "Cell B3 holds a formula" in message and "Paste values only" in message


def test_xlsx_zip_bomb_refused_before_reading(settings):
    settings.HOCSO_ROSTER_MAX_UNZIPPED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    assert len(out.getvalue()) < 64 * 1024
    with translation.override("en"):
        assert "unpacks to 5 MB" in refused(out.getvalue())


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", "\n\n".encode("utf-16")])
def test_empty_file(data):
    with translation.override("en"):
        assert "The file is empty" in refused(data)


def test_header_without_people():
    with translation.override("en"):
        assert "no person under them" in refused(csv_bytes([]))


def test_too_big(settings):
    settings.HOCSO_ROSTER_MAX_BYTES = 100
    with translation.override("en"):
        assert "at most 0.0 MB" in refused(csv_bytes(ROWS))


def test_too_many_rows(settings):
    settings.HOCSO_ROSTER_MAX_ROWS = 5
    rows = [[f"Người {i}", f"N{i}", "00097", "leader", ""] for i in range(6)]
    assert len(roster_parse(data=csv_bytes(rows[:5])).rows) == 5
    with translation.override("en"):
        assert "more than 5 rows" in refused(csv_bytes(rows))
