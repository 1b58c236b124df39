import datetime
import io
import unicodedata

from pypdf import PdfReader

from certificates.pdf import CertificateData, render_certificate_pdf


def _data(**overrides) -> CertificateData:
    values = {
        "serial": "HS-7K3M-9QXA-2BCD", "holder_name": "Trần Đức Hưởng",
        "agency_name": "Xã Bắc Hà, Tỉnh Lào Cai",
        "course_title": "Kỹ năng số cơ bản cho cán bộ, công chức",
        "issued_on": datetime.date(2026, 11, 23),
        "verify_url": "http://127.0.0.1:8000/verify/HS-7K3M-9QXA-2BCD/",
        "issuer_name": "Nền tảng HọcSố",
    }
    values.update(overrides)
    return CertificateData(**values)


def _page(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def test_vietnamese_text_is_exact_and_fonts_are_embedded():
    page = _page(render_certificate_pdf(_data()))
    text = unicodedata.normalize("NFC", page.extract_text())
    for expected in ("GIẤY CHỨNG NHẬN", "Trần Đức Hưởng", "Xã Bắc Hà, Tỉnh Lào Cai",
                     "Kỹ năng số cơ bản cho cán bộ, công chức", "HS-7K3M-9QXA-2BCD",
                     "Ngày 23 tháng 11 năm 2026", "Issued on 23 November 2026"):
        assert expected in text
    fonts = {str(font.get_object()["/BaseFont"])
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("BeVietnamPro" in name for name in fonts)
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_long_title_and_name_still_fit_one_page():
    page = _page(render_certificate_pdf(_data(
        course_title="Quản trị dữ liệu cơ bản " * 9,
        holder_name="Nguyễn Hoàng Phương Thảo Ngọc Anh Minh Châu Tôn Nữ Thị")))
    assert "Nguyễn Hoàng Phương" in unicodedata.normalize("NFC", page.extract_text())
