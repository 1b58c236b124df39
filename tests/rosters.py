"""Staff lists for the roster tests, built in code: CSV text and XLSX workbooks."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

VI_HEADER = ["Họ và tên", "Mã cán bộ", "Mã cơ quan", "Vị trí", "Email", "Số điện thoại"]
EN_HEADER = ["Full name", "Staff ID", "Agency code", "Position", "Email", "Phone"]


def csv_bytes(rows: list[list[object]], *, header: list[str] = VI_HEADER, delimiter: str = ",",
              encoding: str = "utf-8-sig") -> bytes:
    lines = [delimiter.join(str(v) for v in line) for line in [header, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]], *, header: list[str] = VI_HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "danh-sach.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
