"""Render a certificate as a one-page A4 landscape PDF (reportlab), in Be Vietnam Pro so
that every Vietnamese letter is drawn, with a QR code linking to the public check page.

Pure function, no Django: it can be benchmarked and tested on its own."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from functools import cache

import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"
_ACCENT = HexColor("#0b5cab")
_INK = HexColor("#1b1f24")
_MUTED = HexColor("#5b6570")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass(frozen=True)
class CertificateData:
    serial: str
    holder_name: str
    agency_name: str
    course_title: str
    issued_on: datetime.date
    verify_url: str
    issuer_name: str


@cache
def _register_fonts() -> None:
    """Register the two TTF weights once per process."""
    from fontpkg_be_vietnam_pro import ROOT

    pdfmetrics.registerFont(TTFont(REGULAR, str(ROOT / "files" / "BeVietnamPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ROOT / "files" / "BeVietnamPro-Bold.ttf")))


def _fit(text: str, font: str, size: float, width: float, minimum: float = 9) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1:])]
    return lines


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as one path: each horizontal run of dark modules is one rectangle."""
    qr = segno.make(data, error="m")
    matrix = [list(row) for row in qr.matrix]
    border = 2
    count = len(matrix) + 2 * border
    module = size / count
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                path.rect(x + (start + border) * module,
                          y + size - (row_index + border + 1) * module,
                          (col - start) * module, module)
            else:
                col += 1
    canvas.setFillColor(Color(1, 1, 1))
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(_INK)
    canvas.drawPath(path, stroke=0, fill=1)


def _dates(day: datetime.date) -> tuple[str, str]:
    vi = f"Ngày {day.day} tháng {day.month} năm {day.year}"
    en = f"Issued on {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return vi, en


def render_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes."""
    _register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1,
                    initialFontName=REGULAR, initialFontSize=12)
    canvas.setTitle(f"Giấy chứng nhận {data.serial}")
    canvas.setAuthor(data.issuer_name)
    canvas.setSubject(data.course_title)

    # frame
    canvas.setStrokeColor(_ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(24, 24, width - 48, height - 48)
    canvas.setLineWidth(0.75)
    canvas.rect(32, 32, width - 64, height - 64)
    centre = width / 2
    text_width = width - 160

    canvas.setFillColor(_ACCENT)
    canvas.setFont(BOLD, 34)
    canvas.drawCentredString(centre, height - 100, "GIẤY CHỨNG NHẬN")
    canvas.setFont(REGULAR, 13)
    canvas.drawCentredString(centre, height - 122, "CERTIFICATE OF COMPLETION")

    canvas.setFillColor(_MUTED)
    canvas.setFont(REGULAR, 13)
    canvas.drawCentredString(centre, height - 165, "Chứng nhận / This certifies that")
    canvas.setFillColor(_INK)
    size = _fit(data.holder_name, BOLD, 30, text_width)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(centre, height - 205, data.holder_name)
    if data.agency_name:
        canvas.setFillColor(_MUTED)
        size = _fit(data.agency_name, REGULAR, 14, text_width)
        canvas.setFont(REGULAR, size)
        canvas.drawCentredString(centre, height - 230, data.agency_name)

    canvas.setFillColor(_MUTED)
    canvas.setFont(REGULAR, 13)
    canvas.drawCentredString(centre, height - 268,
                             "đã hoàn thành khóa học / has completed the course")
    canvas.setFillColor(_INK)
    lines = _wrap(data.course_title, BOLD, 20, text_width, max_lines=2)
    y = height - 300
    for line in lines:
        canvas.setFont(BOLD, _fit(line, BOLD, 20, text_width))
        canvas.drawCentredString(centre, y, line)
        y -= 26

    vi_date, en_date = _dates(data.issued_on)
    canvas.setFont(REGULAR, 12)
    canvas.drawString(80, 120, vi_date)
    canvas.setFillColor(_MUTED)
    canvas.drawString(80, 104, en_date)
    canvas.setFillColor(_INK)
    canvas.setFont(BOLD, 12)
    canvas.drawString(80, 80, data.issuer_name)
    canvas.setFont(REGULAR, 10)
    canvas.setFillColor(_MUTED)
    canvas.drawString(80, 62, f"Số hiệu / Serial: {data.serial}")

    qr_size = 96
    qr_x, qr_y = width - 80 - qr_size, 70
    _draw_qr(canvas, data.verify_url, qr_x, qr_y, qr_size)
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(_MUTED)
    canvas.drawRightString(width - 80, 60, "Kiểm tra tại / Verify at")
    canvas.drawRightString(width - 80, 50, data.verify_url)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
