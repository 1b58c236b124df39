"""Certificates rendered per second on one core, and their size.

    python bench/certificate_pdf.py [N]      (N certificates, 200 by default)

Pure rendering (certificates.pdf), no Django and no database. The first certificate,
which registers the fonts, is rendered before the clock starts.
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from certificates.pdf import CertificateData, render_certificate_pdf  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Giàng", "Hà", "Đinh"]
MIDDLE = ["Thị", "Văn", "Đức", "Ngọc", "Thị Ánh", "Hữu", "Minh", "Thanh", "A", "Thị Thu"]
GIVEN = ["Tuyết", "Hưởng", "Ước", "Sùng", "Quỳnh", "Hằng", "Dũng", "Phượng", "Khải", "Ánh",
         "Thảo", "Việt", "Nguyệt", "Đạt", "Hiếu", "Yến", "Lộc", "Chiến", "Mỹ", "Tường Vi"]
AGENCIES = ["Phường Hồng Hà, Thành phố Hà Nội", "Xã Bắc Hà, Tỉnh Lào Cai",
            "Phường Sài Gòn, Thành phố Hồ Chí Minh", "Xã Mường Nhé, Tỉnh Điện Biên",
            "Sở Khoa học và Công nghệ Tỉnh Quảng Ngãi", "Đặc khu Phú Quốc, Tỉnh An Giang"]
COURSES = ["Kỹ năng số cơ bản cho cán bộ, công chức",
           "An toàn thông tin và bảo vệ dữ liệu cá nhân trong cơ quan nhà nước",
           "Dịch vụ công trực tuyến: tiếp nhận, xử lý hồ sơ và trả kết quả cho người dân",
           "Khai thác cơ sở dữ liệu quốc gia về dân cư"]


def certificate(index: int) -> CertificateData:
    serial = f"HS-{index:04d}-BNCH-{index % 7919:04d}"
    name = (f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index % len(MIDDLE)]} "
            f"{GIVEN[(index * 7) % len(GIVEN)]}")
    return CertificateData(
        serial=serial, holder_name=name, agency_name=AGENCIES[index % len(AGENCIES)],
        course_title=COURSES[index % len(COURSES)],
        issued_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=index % 365),
        verify_url=f"https://hocso.example.vn/verify/{serial}/", issuer_name="Nền tảng HọcSố",
    )


def main(count: int) -> None:
    render_certificate_pdf(certificate(count))  # warm-up: font registration, imports
    sizes: list[int] = []
    times: list[float] = []
    start = time.perf_counter()
    for index in range(count):
        began = time.perf_counter()
        pdf = render_certificate_pdf(certificate(index))
        times.append(time.perf_counter() - began)
        sizes.append(len(pdf))
    elapsed = time.perf_counter() - start
    times.sort()
    print(f"certificates: {count} in {elapsed:.2f} s")
    print(f"certificates/second (one core): {count / elapsed:.1f}")
    print(f"per certificate: median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {times[min(count - 1, int(count * 0.95))] * 1000:.1f} ms")
    print(f"mean PDF size: {statistics.mean(sizes) / 1024:.1f} KB "
          f"(min {min(sizes) / 1024:.1f}, max {max(sizes) / 1024:.1f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
