"""The e-mails in both languages (``lms.mail.render_bilingual``): each template written
once in English, rendered in Vietnamese from the catalogue, then in English."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace as NS

import polib

from lms.mail import render_bilingual

LOCALE = Path(__file__).resolve().parents[1] / "lms" / "locale"
D = datetime.date


def _item(title, due_on, *, overdue=False, days_late=0, days_left=0):
    return NS(title=title, due_on=due_on, overdue=overdue, days_late=days_late,
              days_left=days_left, url=f"https://hocso.test/{due_on:%m%d}/")


def _parts(body: str) -> tuple[str, str]:
    assert body.endswith("\n\nHọcSố\n")  # the brand signs once, at the end
    vietnamese, english = body.removesuffix("\n\nHọcSố\n").split("\n\n---\n\n")
    return vietnamese, english


def test_learner_reminder_vietnamese_then_english_with_plurals():
    context = {"learner": NS(full_name="an"), "my_url": "https://hocso.test/my/", "items": [
        _item("Kỹ năng số cơ bản", D(2027, 3, 9), overdue=True, days_late=1),
        _item("AI cho công chức", D(2027, 4, 19), days_left=40),
        _item("An toàn thông tin", D(2027, 3, 10), days_left=0),
        _item("Dữ liệu mở", D(2027, 3, 11), days_left=1),
    ]}
    subject, body = render_bilingual("assignments/email/reminder.txt", context,
                                     subject_template="assignments/email/reminder_subject.txt")
    assert subject == ("HọcSố: 4 khóa học bắt buộc cần hoàn thành"
                       " / 4 required courses to finish")
    vietnamese, english = _parts(body)
    assert vietnamese == """Kính gửi an,

Bạn còn 4 khóa học bắt buộc chưa hoàn thành:

- Kỹ năng số cơ bản: hạn 09/03/2027, đã quá hạn 1 ngày
  https://hocso.test/0309/
- AI cho công chức: hạn 19/04/2027, còn 40 ngày
  https://hocso.test/0419/
- An toàn thông tin: hạn 10/03/2027, hạn là hôm nay
  https://hocso.test/0310/
- Dữ liệu mở: hạn 11/03/2027, còn 1 ngày
  https://hocso.test/0311/

Xem tất cả việc học của bạn: https://hocso.test/my/"""
    assert english.startswith("Dear an,\n\nYou have 4 required courses still to finish:\n")
    assert "- Kỹ năng số cơ bản: due 09/03/2027, overdue by 1 day\n" in english
    assert "- AI cho công chức: due 19/04/2027, 40 days left\n" in english
    assert "- An toàn thông tin: due 10/03/2027, due today\n" in english
    assert "- Dữ liệu mở: due 11/03/2027, 1 day left\n" in english
    assert english.endswith("All your learning: https://hocso.test/my/")


def test_one_item_subject_and_singular():
    context = {"learner": NS(full_name="an"), "my_url": "/my/",
               "items": [_item("Kỹ năng số", D(2027, 3, 9), overdue=True, days_late=3)]}
    subject, body = render_bilingual("assignments/email/reminder.txt", context,
                                     subject_template="assignments/email/reminder_subject.txt")
    assert subject == ("HọcSố: khóa học bắt buộc cần hoàn thành"
                       " / a required course to finish")
    assert "Bạn còn 1 khóa học bắt buộc" in body
    assert "You have 1 required course still to finish:" in body
    assert "overdue by 3 days" in body


def _expiry_context(name_en: str) -> dict:
    certificate = NS(holder_name="Nguyễn Thị Ánh Tuyết", serial="HS-2026-ABCD",
                     certificate_type=NS(name="Kỹ năng số cơ bản", name_en=name_en),
                     expires_at=datetime.datetime(2027, 3, 9, 10, 0, tzinfo=datetime.UTC),
                     course_title="Kỹ năng số")
    return {"certificate": certificate, "days_left": 1, "course_url": "",
            "verify_url": "https://hocso.test/verify/HS-2026-ABCD/"}


def test_expiry_reminder_names_the_certificate_in_each_language():
    context = _expiry_context("Basic digital skills")
    subject, body = render_bilingual(
        "certificates/email/expiry_reminder.txt", context,
        subject_template="certificates/email/expiry_reminder_subject.txt")
    assert subject == ("HọcSố: giấy chứng nhận HS-2026-ABCD sắp hết hạn"
                       " / certificate HS-2026-ABCD expires soon")
    vietnamese, english = _parts(body)
    assert ('Giấy chứng nhận "Kỹ năng số cơ bản" (số hiệu HS-2026-ABCD) của bạn có giá trị '
            "đến ngày 09/03/2027, còn 1 ngày.\n") in vietnamese
    assert "Để gia hạn, hãy làm lại bài kiểm tra cuối khóa \"Kỹ năng số\"" in vietnamese
    assert "Khóa học:" not in vietnamese  # no course address, no line
    assert vietnamese.endswith("Kiểm tra giấy chứng nhận: https://hocso.test/verify/HS-2026-ABCD/")
    assert ('Your certificate "Basic digital skills" (serial HS-2026-ABCD) is valid until '
            "09/03/2027, 1 day from now.\n") in english
    assert "Kỹ năng số cơ bản" not in english
    # the variables the template sets stay in its own rendering
    assert set(context) == {"certificate", "days_left", "course_url", "verify_url"}


def test_expiry_reminder_without_english_name_shows_the_vietnamese_one():
    context = {**_expiry_context(""), "course_url": "https://hocso.test/course/"}
    _, body = render_bilingual("certificates/email/expiry_reminder.txt", context,
                               subject_template="certificates/email/expiry_reminder_subject.txt")
    vietnamese, english = _parts(body)
    assert 'Your certificate "Kỹ năng số cơ bản"' in english
    assert "Khóa học: https://hocso.test/course/\n" in vietnamese
    assert "Course: https://hocso.test/course/\n" in english


def _digest_context(*, more: int) -> dict:
    people = [NS(full_name="an", agency=NS(name="Phường Hồng Hà", name_en="Hong Ha Ward")),
              NS(full_name="binh", agency=NS(name="Phường Sa Pa", name_en=""))]
    rule = NS(display_title="Kỹ năng số", due_on=D(2027, 3, 9))
    return {"user": NS(get_full_name="", username="hr.hanoi"),
            "root": NS(name="Thành phố Hà Nội"), "total": len(people) + more, "more": more,
            "people": people, "today": D(2027, 3, 15), "list_url": "/hr/assignments/",
            "rules": [NS(rule=rule, counts=NS(overdue=2, assigned=5), url="/hr/r/1/")]}


def test_overdue_digest_in_both_languages():
    subject, body = render_bilingual(
        "assignments/email/overdue_digest.txt", _digest_context(more=3),
        subject_template="assignments/email/overdue_digest_subject.txt")
    assert subject == ("HọcSố: 5 người quá hạn học bắt buộc tại Thành phố Hà Nội"
                       " / 5 people overdue on required learning in Thành phố Hà Nội")
    vietnamese, english = _parts(body)
    assert vietnamese == """Kính gửi hr.hanoi,

Tại Thành phố Hà Nội và các đơn vị trực thuộc, 5 người chưa hoàn thành khóa học bắt buộc \
đã quá hạn (ngày 15/03/2027).

- Kỹ năng số (hạn 09/03/2027): 2 / 5 người quá hạn
  /hr/r/1/

Danh sách (2 người đầu tiên):
- an — Phường Hồng Hà
- binh — Phường Sa Pa
… và 3 người khác.

Danh sách đầy đủ và tải về: /hr/assignments/"""
    assert ("In Thành phố Hà Nội and the units below it, 5 people are overdue on required "
            "learning (as of 15/03/2027).") in english
    assert "- Kỹ năng số (due 09/03/2027): 2 of 5 overdue\n" in english
    assert "The first 2, by agency:\n- an — Hong Ha Ward\n- binh — Phường Sa Pa\n" in english
    assert "… and 3 more.\n" in english


def test_overdue_digest_lists_everyone_when_nobody_is_left_out():
    _, body = render_bilingual(
        "assignments/email/overdue_digest.txt", _digest_context(more=0),
        subject_template="assignments/email/overdue_digest_subject.txt")
    vietnamese, english = _parts(body)
    assert "\nDanh sách:\n- an" in vietnamese and "người khác" not in vietnamese
    assert "\nEveryone, by agency:\n- an" in english and "more." not in english


def test_weekly_report_figures_in_each_language():
    target = NS(name="Cán bộ có kỹ năng số", name_en="Officials with digital skills", rate=80,
                deadline=D(2027, 12, 31))
    boards = [
        NS(target=target, day=None, root=None, forecast=None),
        NS(target=target, day=D(2027, 3, 8), root=NS(rate=50.0, figures=NS(headcount=4), gap=2),
           forecast=NS(reach_on=D(2027, 6, 1), reached=False, on_time=True)),
        NS(target=target, day=D(2027, 3, 8), root=NS(rate=None, figures=NS(headcount=1), gap=0),
           forecast=NS(reach_on=None, reached=False, on_time=False)),
    ]
    context = {"agency": NS(name="Thành phố Hà Nội"), "boards": boards, "week": "2027-W10"}
    subject, body = render_bilingual("reports/email/weekly_report.txt", context,
                                     subject_template="reports/email/weekly_report_subject.txt")
    assert subject == ("HọcSố: báo cáo tuần 2027-W10 về đào tạo kỹ năng số của Thành phố Hà Nội"
                       " / weekly digital-skills coverage report 2027-W10 of Thành phố Hà Nội")
    vietnamese, english = _parts(body)
    assert vietnamese.startswith("Kính gửi anh/chị,\n\nBáo cáo tuần 2027-W10 về tiến độ")
    assert ("- Cán bộ có kỹ năng số (chỉ tiêu 80% đến ngày 31/12/2027):\n"
            "  chưa có số liệu.\n") in vietnamese
    assert ("  đạt 50,0% trên 4 người (số liệu ngày 08/03/2027); còn thiếu 2 người. Theo tốc "
            "độ hiện nay, chỉ tiêu đạt vào ngày 01/06/2027, trước thời hạn.\n") in vietnamese
    assert "  đạt — trên 1 người (số liệu ngày 08/03/2027); đã đạt chỉ tiêu.\n" in vietnamese
    assert vietnamese.endswith('Xem chi tiết trên "Bảng điều khiển tỷ lệ đào tạo" của HọcSố.')
    assert ("- Officials with digital skills (target 80% by 31/12/2027):\n"
            "  no figures yet.\n") in english
    assert ("  50.0% of 4 people (figures of 08/03/2027); 2 more needed. At the current pace "
            "the target is reached on 01/06/2027, before the deadline.\n") in english
    assert "  — of 1 person (figures of 08/03/2027); the target is met.\n" in english
    assert english.endswith("See the coverage dashboard on HọcSố.")


def test_every_email_message_has_its_vietnamese():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    emails = [e for e in po if any("/email/" in path for path, _ in e.occurrences)]
    assert len(emails) >= 30
    assert [e.msgid for e in emails if not e.translated()] == []
