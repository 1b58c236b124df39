"""Certificates rendered per second on one core, and their size.

    python bench/certificate_pdf.py [N]
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from certificates.pdf import CertificateData, render_certificate_pdf  # noqa: E402

NAMES = ["Nguyễn Thị Ánh Tuyết", "Trần Đức Hưởng", "Lò Văn Ước", "Giàng A Sùng",
         "Phạm Ngọc Quỳnh", "Hoàng Thị Hằng"]


def main(count: int) -> None:
    render_certificate_pdf(CertificateData("HS-WARM-UP00-0000", "A", "B", "C",
                                           datetime.date.today(), "http://x/", "D"))
    sizes = []
    start = time.perf_counter()
    for index in range(count):
        serial = f"HS-{index:04d}-BNCH-0000"
        pdf = render_certificate_pdf(CertificateData(
            serial=serial, holder_name=NAMES[index % len(NAMES)],
            agency_name="Phường Hồng Hà, Thành phố Hà Nội",
            course_title="Kỹ năng số cơ bản cho cán bộ, công chức",
            issued_on=datetime.date(2026, 11, 23),
            verify_url=f"https://hocso.example.vn/verify/{serial}/", issuer_name="HọcSố"))
        sizes.append(len(pdf))
    elapsed = time.perf_counter() - start
    print(f"certificates: {count}")
    print(f"per second (one core): {count / elapsed:.1f}")
    print(f"mean size: {statistics.mean(sizes) / 1024:.1f} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
