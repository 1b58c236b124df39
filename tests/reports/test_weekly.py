"""The weekly report: one e-mail per HR manager with an XLSX of their subtree that opens,
Vietnamese first; nothing sent twice in an ISO week; managers without e-mail counted."""

import datetime
import io

import pytest
from django.core import mail
from django.db import IntegrityError
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from lms.jobs import periodic_tasks_ensure
from lms.org.services import manager_scope_set
from lms.reports.exports import XLSX_TYPE
from lms.reports.jobs import JOBS
from lms.reports.models import ReportDelivery, Target
from lms.reports.snapshots import snapshots_take
from lms.reports.tasks import send_weekly_reports
from lms.reports.weekly import iso_week, weekly_reports_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def managers(tree):
    made = {}
    for key, agency, email in [("hanoi", "hanoi", "hanoi@example.vn"),
                               ("laocai", "laocai", "laocai@example.vn"),
                               ("silent", "sa_pa", "")]:
        user = UserFactory(email=email)
        manager_scope_set(user=user, agency=tree[agency])
        made[key] = user
    return made


def _workbook(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".xlsx") and mimetype == XLSX_TYPE
    return load_workbook(io.BytesIO(content))


def test_one_mail_per_manager_then_nothing_the_same_week(tree, people, target,
                                                         managers):
    Target.objects.create(code="it-50", name="50% CNTT có chứng nhận", rate=50,
                          certificate_type=target.certificate_type, measure="certified",
                          positions=["it_official"], deadline=datetime.date(2027, 12, 31))
    snapshots_take()
    first = send_weekly_reports.delay().get()
    assert (first["managers"], first["sent"], first["no_address"]) == (3, 2, 1)
    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    hanoi = by_address["hanoi@example.vn"]
    assert "Thành phố Hà Nội" in hanoi.subject and "báo cáo tuần" in hanoi.subject
    body = hanoi.body
    assert body.index("Kính gửi") < body.index("Dear colleague")  # Vietnamese, English below
    assert "50,0% trên 4 người" in body and "50.0% of 4 people" in body

    workbook = _workbook(hanoi)
    assert len(workbook.sheetnames) == 3  # the summary, then one sheet per active target
    summary = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    # targets by deadline, then code
    assert [row[0] for row in summary[1:]] == ["50% CNTT có chứng nhận",
                                               "100% được đào tạo kỹ năng số cơ bản"]
    assert summary[1][4:7] == [1, 100.0, 0]  # Hà Nội's one IT official is certified
    assert summary[2][4:7] == [4, 50.0, 2]  # 4 people, 2 trained, 2 to go
    table = [list(row) for row in workbook[target.code].iter_rows(values_only=True)]
    assert [row[1] for row in table[1:]] == ["01", "00097"]
    assert workbook[target.code].freeze_panes == "A2"
    text = repr([list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets])
    assert "Lào Cai" not in text and "Sa Pa" not in text

    laocai = _workbook(by_address["laocai@example.vn"])
    rows = [list(row) for row in laocai[target.code].iter_rows(values_only=True)]
    assert [row[1] for row in rows[1:]] == ["15", "02665"]
    assert "Hà Nội" not in repr(rows)

    assert ReportDelivery.objects.filter(week=first["week"]).count() == 2
    again = weekly_reports_send()
    assert (again.sent, again.already_sent, again.no_address) == (0, 2, 1)
    assert len(mail.outbox) == 2

    next_week = weekly_reports_send(today=datetime.date.today() + datetime.timedelta(days=7))
    assert next_week.sent == 2


def test_a_failed_send_is_not_recorded(tree, people, target, managers, monkeypatch):
    snapshots_take()

    def broken(self, *args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(ConnectionError):
        weekly_reports_send()
    assert not ReportDelivery.objects.exists()
    monkeypatch.undo()
    assert weekly_reports_send().sent == 2


def test_the_record_is_unique_per_week(managers):
    ReportDelivery.objects.create(user=managers["hanoi"], week="2026-W01")
    with pytest.raises(IntegrityError):
        ReportDelivery.objects.create(user=managers["hanoi"], week="2026-W01")


def test_no_target_no_mail(managers):
    assert weekly_reports_send().sent == 0
    assert mail.outbox == []


def test_iso_week_and_the_monday_schedule():
    assert iso_week(datetime.date(2026, 1, 1)) == "2026-W01"
    assert iso_week(datetime.date(2027, 1, 1)) == "2026-W53"
    periodic_tasks_ensure(JOBS, timezone="Asia/Ho_Chi_Minh")
    task = PeriodicTask.objects.get(name="reports.send_weekly_reports")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "7", "1")
