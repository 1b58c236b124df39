"""Render a certificate as a one-page A4 landscape PDF (reportlab), in Be Vietnam Pro so
that every Vietnamese letter is drawn, with a QR code linking to the public check page.

Pure function, no Django: it can be benchmarked and tested on its own."""

from __future__ import annotations

import datetime
import io
import threading
from dataclasses import dataclass

import segno
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"
_FONT_FILES = {REGULAR: "BeVietnamPro-Regular.ttf", BOLD: "BeVietnamPro-Bold.ttf"}

_ACCENT = HexColor("#1f4e79")  # muted navy
_ACCENT_SOFT = HexColor("#9fb3c8")
_INK = HexColor("#1b1f24")
_MUTED = HexColor("#5b6570")
_WHITE = Color(1, 1, 1)

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")

_PAGE_WIDTH, _PAGE_HEIGHT = landscape(A4)
_MARGIN_X = 80  # left and right edge of the text block
_QR_SIZE = 96
_LEFT_BLOCK_WIDTH = 230  # date, issuer and serial (bottom left)
_SIGNER_CENTRE = 490     # the signer's block, between the left block and the QR code
_SIGNER_WIDTH = 250
_QR_BORDER = 2  # quiet zone in modules, inside the white square (the page is white too)
_ELLIPSIS = "…"


@dataclass(frozen=True)
class CertificateData:
    serial: str            # e.g. "HS-7K3M-9QXA-2BCD"
    holder_name: str       # e.g. "Nguyễn Thị Ánh Tuyết"
    agency_name: str       # e.g. "Phường Hồng Hà, Thành phố Hà Nội"
    course_title: str      # e.g. "Kỹ năng số cơ bản cho cán bộ, công chức"
    issued_on: datetime.date
    verify_url: str        # absolute URL of the public check page
    issuer_name: str       # e.g. "Nền tảng HọcSố"
    heading: str = "GIẤY CHỨNG NHẬN"
    heading_en: str = "CERTIFICATE OF COMPLETION"
    statement: str = "đã hoàn thành khóa học"
    statement_en: str = "has completed the course"
    signer_name: str = ""   # e.g. "Nguyễn Văn An"
    signer_title: str = ""  # e.g. "Giám đốc / Director": Vietnamese, then English
    valid_until: datetime.date | None = None  # None: valid without end


_fonts_lock = threading.Lock()
_fonts_registered = False


def _register_fonts() -> None:
    """Register the two TTF weights once per process (lazily, on the first certificate)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        from fontpkg_be_vietnam_pro import ROOT

        for name, filename in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(ROOT / "files" / filename)))
        _fonts_registered = True


# -- text fitting ---------------------------------------------------------------------------

def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a single word wider than ``width`` stays on its own line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if not line or _width(candidate, font, size) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) == 2:
        lines = _balance(lines, font, size)
    return lines


def _balance(lines: list[str], font: str, size: float) -> list[str]:
    """Two lines split where the wider one is narrowest, so that no word is left alone
    on the second line."""
    words = " ".join(lines).split()
    best, best_width = lines, max(_width(ln, font, size) for ln in lines)
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        widest = max(_width(first, font, size), _width(second, font, size))
        if widest < best_width:
            best, best_width = [first, second], widest
    return best


def _ellipsize(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut at a word (or, failing that, a letter) boundary so that it and an
    ellipsis fit in ``width``."""
    if _width(text, font, size) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-–") + _ELLIPSIS
        if _width(candidate, font, size) <= width:
            return candidate
    candidate = words[0] if words else ""
    while candidate and _width(candidate + _ELLIPSIS, font, size) > width:
        candidate = candidate[:-1]
    return candidate + _ELLIPSIS


def _try_fit(text: str, font: str, width: float, *, size: float, minimum: float,
             max_lines: int) -> tuple[float, list[str]] | None:
    """The largest font size from ``size`` down to ``minimum`` (by half points) at which
    ``text`` wraps into at most ``max_lines`` lines no wider than ``width``, with its lines;
    None if there is none."""
    current = size
    while current >= minimum:
        lines = _wrap(text, font, current, width)
        if len(lines) <= max_lines and all(_width(ln, font, current) <= width for ln in lines):
            return current, lines
        current -= 0.5
    return None


def _fit_lines(text: str, font: str, width: float, *, size: float, minimum: float,
               max_lines: int) -> tuple[float, list[str]]:
    """As :func:`_try_fit`, but if nothing fits the text is set at ``minimum`` and its last
    line cut with an ellipsis."""
    text = " ".join(text.split())
    fitted = _try_fit(text, font, width, size=size, minimum=minimum, max_lines=max_lines)
    if fitted is not None:
        return fitted
    lines = _wrap(text, font, minimum, width)
    kept = lines[:max_lines]
    kept[-1] = _ellipsize(" ".join(lines[max_lines - 1:]), font, minimum, width)
    return minimum, kept


def _fit_name(text: str, font: str, width: float) -> tuple[float, list[str]]:
    """The holder's name: one line shrunk down to 16 pt, then two lines down to 8 pt. A name
    is never cut short unless it cannot fit two lines at 8 pt (255 characters do fit)."""
    text = " ".join(text.split())
    fitted = _try_fit(text, font, width, size=30, minimum=16, max_lines=1)
    if fitted is not None:
        return fitted
    return _fit_lines(text, font, width, size=16, minimum=8, max_lines=2)


# -- drawing --------------------------------------------------------------------------------

def _draw_lines(canvas: Canvas, lines: list[str], font: str, size: float, top: float,
                leading: float = 1.22) -> float:
    """Draw centred lines, the first baseline at ``top``; return the last baseline."""
    canvas.setFont(font, size)
    y = top
    for index, line in enumerate(lines):
        if index:
            y -= size * leading
        canvas.drawCentredString(_PAGE_WIDTH / 2, y, line)
    return y


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as one filled path: each horizontal run of dark modules is one
    rectangle, on a white square that holds the quiet zone."""
    matrix = segno.make_qr(data, error="m").matrix  # never a Micro QR
    module = size / (len(matrix) + 2 * _QR_BORDER)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + _QR_BORDER + 1) * module
        col, count = 0, len(row)
        while col < count:
            if row[col]:
                start = col
                while col < count and row[col]:
                    col += 1
                path.rect(x + (start + _QR_BORDER) * module, top, (col - start) * module,
                          module)
            else:
                col += 1
    canvas.setFillColor(_WHITE)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(_INK)
    canvas.drawPath(path, stroke=0, fill=1)


def _format_dates(day: datetime.date) -> tuple[str, str]:
    """The issue date in Vietnamese and English, by hand, whatever the process locale:
    ``("Ngày 23 tháng 11 năm 2026", "Issued on 23 November 2026")``. As in administrative
    documents (Nghị định 30/2020/NĐ-CP), a day below 10 and the months 1 and 2 take a
    leading zero: ``"Ngày 05 tháng 02 năm 2027"``."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    vi = f"Ngày {day.day:02d} tháng {month} năm {day.year}"
    en = f"Issued on {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return vi, en


def _draw_frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(_ACCENT)
    canvas.setLineWidth(2.5)
    canvas.rect(24, 24, _PAGE_WIDTH - 48, _PAGE_HEIGHT - 48, stroke=1, fill=0)
    canvas.setStrokeColor(_ACCENT_SOFT)
    canvas.setLineWidth(0.75)
    canvas.rect(31, 31, _PAGE_WIDTH - 62, _PAGE_HEIGHT - 62, stroke=1, fill=0)


def _draw_signer(canvas: Canvas, data: CertificateData) -> None:
    """The signer's title and name, centred between the left block and the QR code, with
    a note that the file carries a digital signature rather than an image of one."""
    if not (data.signer_name.strip() or data.signer_title.strip()):
        return
    centre = _SIGNER_CENTRE
    # "Giám đốc … / Director, …": the Vietnamese title, then the English one below it
    titles = [part.strip() for part in data.signer_title.split(" / ") if part.strip()][:2]
    for index, title in enumerate(titles):
        font = BOLD if index == 0 else REGULAR
        size, lines = _fit_lines(title, font, _SIGNER_WIDTH, size=11 if index == 0 else 9,
                                 minimum=6, max_lines=1)
        canvas.setFillColor(_INK if index == 0 else _MUTED)
        canvas.setFont(font, size)
        canvas.drawCentredString(centre, 132 - index * 13, lines[0])
    canvas.setFillColor(_MUTED)
    canvas.setFont(REGULAR, 8)
    canvas.drawCentredString(centre, 100, "(Đã ký số / Digitally signed)")
    if data.signer_name.strip():
        size, lines = _fit_lines(data.signer_name, BOLD, _SIGNER_WIDTH, size=12, minimum=7,
                                 max_lines=1)
        canvas.setFillColor(_INK)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(centre, 72, lines[0])


def render_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as the bytes of a one-page A4 landscape PDF."""
    _register_fonts()
    buffer = io.BytesIO()
    width, height = _PAGE_WIDTH, _PAGE_HEIGHT
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=REGULAR,
                    initialFontSize=12)
    canvas.setPageCompression(1)
    canvas.setTitle(f"Giấy chứng nhận {data.serial}")
    canvas.setAuthor(data.issuer_name)
    canvas.setSubject(data.course_title)

    _draw_frame(canvas)
    centre = width / 2
    text_width = width - 2 * _MARGIN_X

    # Heading
    canvas.setFillColor(_ACCENT)
    size, lines = _fit_lines(data.heading, BOLD, text_width, size=34, minimum=16, max_lines=1)
    _draw_lines(canvas, lines, BOLD, size, height - 100)
    canvas.setFillColor(_MUTED)
    size, lines = _fit_lines(data.heading_en, REGULAR, text_width, size=13, minimum=8,
                             max_lines=1)
    _draw_lines(canvas, lines, REGULAR, size, height - 122)
    canvas.setStrokeColor(_ACCENT_SOFT)
    canvas.setLineWidth(0.75)
    canvas.line(centre - 60, height - 136, centre + 60, height - 136)

    # Holder and agency
    canvas.setFillColor(_MUTED)
    y = _draw_lines(canvas, ["Chứng nhận / This certifies that"], REGULAR, 13, height - 178)
    size, lines = _fit_name(data.holder_name, BOLD, text_width)
    canvas.setFillColor(_INK)
    y = _draw_lines(canvas, lines, BOLD, size, y - 12 - size)
    if data.agency_name.strip():
        size, lines = _fit_lines(data.agency_name, REGULAR, text_width, size=14, minimum=8,
                                 max_lines=2)
        canvas.setFillColor(_MUTED)
        y = _draw_lines(canvas, lines, REGULAR, size, y - 10 - size)

    # Course
    canvas.setFillColor(_MUTED)
    size, lines = _fit_lines(f"{data.statement} / {data.statement_en}", REGULAR, text_width,
                             size=13, minimum=8, max_lines=1)
    y = _draw_lines(canvas, lines, REGULAR, size, min(y - 38, height - 282))
    size, lines = _fit_lines(data.course_title, BOLD, text_width, size=20, minimum=8,
                             max_lines=2)
    canvas.setFillColor(_ACCENT)
    _draw_lines(canvas, lines, BOLD, size, y - 12 - size, leading=1.3)

    # Date, issuer and serial (bottom left)
    vi_date, en_date = _format_dates(data.issued_on)
    left = _MARGIN_X
    block_width = _LEFT_BLOCK_WIDTH
    canvas.setFillColor(_INK)
    canvas.setFont(REGULAR, 12)
    canvas.drawString(left, 120, vi_date)
    canvas.setFillColor(_MUTED)
    canvas.setFont(REGULAR, 11)
    canvas.drawString(left, 104, en_date)
    canvas.setStrokeColor(_ACCENT_SOFT)
    canvas.line(left, 96, left + 180, 96)
    issuer_size, issuer_lines = _fit_lines(data.issuer_name, BOLD, block_width, size=12,
                                           minimum=8, max_lines=1)
    canvas.setFillColor(_INK)
    canvas.setFont(BOLD, issuer_size)
    canvas.drawString(left, 80, issuer_lines[0])
    canvas.setFillColor(_MUTED)
    canvas.setFont(REGULAR, 10)
    canvas.drawString(left, 62, f"Số hiệu / Serial: {data.serial}")
    if data.valid_until is not None:
        canvas.drawString(left, 48, f"Có giá trị đến / Valid until: "
                                    f"{data.valid_until:%d/%m/%Y}")
    _draw_signer(canvas, data)

    # QR code and the check address (bottom right)
    right = width - _MARGIN_X
    _draw_qr(canvas, data.verify_url, right - _QR_SIZE, 70, _QR_SIZE)
    canvas.setFillColor(_MUTED)
    canvas.setFont(REGULAR, 7)
    canvas.drawRightString(right, 60, "Kiểm tra tại / Verify at")
    url_size = 7.0
    while url_size > 4 and _width(data.verify_url, REGULAR, url_size) > 300:
        url_size -= 0.5
    canvas.setFont(REGULAR, url_size)
    canvas.drawRightString(right, 50, data.verify_url)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
