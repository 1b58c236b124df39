"""The certificate PDF: exact Vietnamese text, Be Vietnam Pro only, one A4 landscape page,
a QR code that encodes the check address. Pure rendering: no database."""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import replace

import pytest
import segno
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from certificates.pdf import CertificateData, render_certificate_pdf

SERIAL = "HS-7K3M-9QXA-2BCD"
COURSE = "Kỹ năng số cơ bản cho cán bộ, công chức"
BASE = CertificateData(
    serial=SERIAL,
    holder_name="Nguyễn Thị Ánh Tuyết",
    agency_name="Phường Hồng Hà, Thành phố Hà Nội",
    course_title=COURSE,
    issued_on=datetime.date(2026, 11, 23),
    verify_url=f"http://127.0.0.1:8000/verify/{SERIAL}/",
    issuer_name="Nền tảng HọcSố",
)


def _reader(data: CertificateData) -> PdfReader:
    pdf = render_certificate_pdf(data)
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def _only_page(reader: PdfReader) -> PageObject:
    assert len(reader.pages) == 1
    return reader.pages[0]


def _text(page: PageObject) -> str:
    """The page text in NFC with runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", page.extract_text()).split())


def _base_fonts(page: PageObject) -> set[str]:
    fonts = page["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


@pytest.mark.parametrize("holder_name, agency_name", [
    ("Nguyễn Thị Ánh Tuyết", "Phường Hồng Hà, Thành phố Hà Nội"),
    ("Trần Đức Hưởng", "Xã Bắc Hà, Tỉnh Lào Cai"),
])
def test_vietnamese_text_is_exact(holder_name: str, agency_name: str) -> None:
    page = _only_page(_reader(replace(BASE, holder_name=holder_name, agency_name=agency_name)))
    text = _text(page)
    for expected in (
        "GIẤY CHỨNG NHẬN", "CERTIFICATE OF COMPLETION", "Chứng nhận / This certifies that",
        holder_name, agency_name, "đã hoàn thành khóa học / has completed the course",
        COURSE, "Ngày 23 tháng 11 năm 2026", "Issued on 23 November 2026",
        f"Số hiệu / Serial: {SERIAL}", "Nền tảng HọcSố", "Kiểm tra tại / Verify at",
        BASE.verify_url,
    ):
        assert expected in text, expected


def test_one_a4_landscape_page_with_metadata() -> None:
    reader = _reader(BASE)
    page = _only_page(reader)
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width > height
    assert (round(width), round(height)) == (842, 595)
    assert reader.metadata.title == f"Giấy chứng nhận {SERIAL}"
    assert reader.metadata.author == "Nền tảng HọcSố"


def test_only_embedded_be_vietnam_pro_and_no_helvetica() -> None:
    pdf = render_certificate_pdf(BASE)
    page = _only_page(PdfReader(io.BytesIO(pdf)))
    fonts = page["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        font = font.get_object()
        assert "BeVietnamPro" in str(font["/BaseFont"])
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded TrueType
    assert {name.split("+")[-1] for name in _base_fonts(page)} == {
        "BeVietnamPro-Regular", "BeVietnamPro-Bold"}
    assert b"Helvetica" not in pdf


@pytest.mark.parametrize("day, vietnamese, english", [
    (datetime.date(2027, 2, 5), "Ngày 05 tháng 02 năm 2027", "Issued on 5 February 2027"),
    (datetime.date(2026, 3, 9), "Ngày 09 tháng 3 năm 2026", "Issued on 9 March 2026"),
    (datetime.date(2026, 12, 31), "Ngày 31 tháng 12 năm 2026", "Issued on 31 December 2026"),
])
def test_issue_date_in_both_languages(day: datetime.date, vietnamese: str,
                                      english: str) -> None:
    text = _text(_only_page(_reader(replace(BASE, issued_on=day))))
    assert vietnamese in text
    assert english in text


def _qr_modules(page: PageObject, reader: PdfReader) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn on the page, as (row, column), read back from
    the rectangles of its path (every one a module high) inside its white square."""
    rects = [[float(value) for value in operands]
             for operands, operator in ContentStream(page.get_contents(), reader).operations
             if operator == b"re"]
    background = max((r for r in rects if abs(r[2] - r[3]) < 0.01), key=lambda r: r[2])
    x0, y0, size, _ = background  # the white square: the largest square on the page
    runs = [r for r in rects if r is not background
            and x0 <= r[0] and r[0] + r[2] <= x0 + size + 0.01
            and y0 <= r[1] and r[1] + r[3] <= y0 + size + 0.01]
    module = min(r[3] for r in runs)
    assert all(abs(r[3] - module) < 1e-3 for r in runs)
    left = min(r[0] for r in runs)  # the top-left finder pattern starts at module (0, 0)
    top = max(r[1] + r[3] for r in runs)
    dark = set()
    for x, y, w, h in runs:
        row = round((top - y - h) / module)
        start, length = round((x - left) / module), round(w / module)
        dark.update((row, col) for col in range(start, start + length))
    return dark


@pytest.mark.parametrize("url", [BASE.verify_url, "http://x/"])
def test_qr_code_encodes_the_verify_url(url: str) -> None:
    """Also for a short address, which must still give a full QR code (phones do not all
    read Micro QR)."""
    reader = _reader(replace(BASE, verify_url=url))
    page = _only_page(reader)
    matrix = segno.make_qr(url, error="m").matrix
    expected = {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}
    assert _qr_modules(page, reader) == expected


def test_long_title_and_name_still_fit_one_page() -> None:
    title = ("Quản trị dữ liệu và chuyển đổi số trong cơ quan hành chính nhà nước cấp xã, "
             "phường, đặc khu: ") * 3
    title = title[:200]
    assert len(title) == 200
    name = "Nguyễn Hoàng Phương Thảo Ngọc Anh Minh Châu Tôn Nữ Thị Diệu Huyền"
    text = _text(_only_page(_reader(replace(BASE, course_title=title, holder_name=name))))
    assert name in text
    assert " ".join(title.split()) in text  # wrapped onto two lines, never cut
    assert SERIAL in text


def test_absurdly_long_fields_render() -> None:
    data = replace(BASE, holder_name="Trần Đức Hưởng " * 17, agency_name="Phường Hồng Hà " * 34,
                   course_title="Kỹ năng số " * 23, issuer_name="Nền tảng HọcSố " * 17)
    text = _text(_only_page(_reader(data)))
    assert "Trần Đức Hưởng Trần Đức Hưởng" in text
    assert SERIAL in text


def test_signer_validity_and_wording_of_the_type() -> None:
    data = replace(BASE, heading="CHỨNG CHỈ", heading_en="CERTIFICATE",
                   statement="đã đạt yêu cầu khóa học", statement_en="has passed the course",
                   signer_name="Nguyễn Văn An",
                   signer_title="Giám đốc Trung tâm Chuyển đổi số / Director, Digital "
                                "Transformation Centre",
                   valid_until=datetime.date(2029, 11, 23))
    text = _text(_only_page(_reader(data)))
    for expected in ("CHỨNG CHỈ", "CERTIFICATE", "đã đạt yêu cầu khóa học / has passed the course",
                     "Nguyễn Văn An", "Giám đốc Trung tâm Chuyển đổi số",
                     "Director, Digital Transformation Centre", "(Đã ký số / Digitally signed)",
                     "Có giá trị đến / Valid until: 23/11/2029"):
        assert expected in text, expected
    assert "Valid until" not in _text(_only_page(_reader(BASE)))
