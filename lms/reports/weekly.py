"""The weekly coverage report: every HR manager (a user with a ManagerScope and an e-mail)
receives an XLSX of their subtree, a summary sheet and one sheet per active target (the
dashboard's table), with a Vietnamese message and an English one below it.

Each delivery is recorded (user, ISO week) under a unique constraint in the same
transaction as the send, so a re-run of the week, or a second worker, sends nothing twice;
a failed send rolls its record back and the next run tries again."""

from __future__ import annotations

import datetime
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.mail import iso_week, managers_to_mail, render_bilingual
from lms.org.models import Agency, ManagerScope

from .dashboard import Dashboard, dashboard_for
from .exports import DATE_FORMAT, RATE_FORMAT, XLSX_TYPE, Table, dashboard_table, xlsx_write
from .models import ReportDelivery, Target

logger = logging.getLogger(__name__)


@dataclass
class WeeklySummary:
    week: str
    managers: int = 0
    sent: int = 0
    already_sent: int = 0
    no_address: int = 0


def _summary_table(boards: list[Dashboard]) -> Table:
    header = [_("Target"), _("Target rate (%)"), _("Deadline"), _("Figures of"),
              _("Headcount"), f"{_('Rate')} (%)", _("Gap"), _("Forecast: reached on"),
              _("Before the deadline")]

    def row(board: Dashboard) -> list[Any]:
        forecast = board.forecast
        on_time = "" if forecast.on_time is None else (_("yes") if forecast.on_time else _("no"))
        return [board.target.name, board.target.rate, board.target.deadline, board.day,
                board.root.figures.headcount,
                None if board.root.rate is None else round(board.root.rate, 2),
                board.root.gap, _("Reached.") if forecast.reached else forecast.reach_on, on_time]

    return Table(title=_("Summary"), header=header, rows=[row(board) for board in boards],
                 formats={1: "0", 2: DATE_FORMAT, 3: DATE_FORMAT, 5: RATE_FORMAT,
                          7: DATE_FORMAT})


def weekly_workbook(*, agency: Agency, targets: list[Target]) -> tuple[bytes, list[Dashboard]]:
    """The XLSX of ``agency``'s subtree: a summary sheet, then one sheet per target."""
    boards = [dashboard_for(target=target, agency=agency) for target in targets]
    out = io.BytesIO()
    xlsx_write([_summary_table(boards), *(dashboard_table(board) for board in boards)], out,
               title=agency.name)
    return out.getvalue(), boards


def _message(scope: ManagerScope, targets: list[Target], week: str) -> EmailMessage:
    with translation.override("vi"):  # the workbook in Vietnamese
        workbook, boards = weekly_workbook(agency=scope.agency, targets=targets)
    context = {"agency": scope.agency, "boards": boards, "week": week, "user": scope.user}
    subject, body = render_bilingual(  # Vietnamese, then English
        "reports/email/weekly_report.txt", context,
        subject_template="reports/email/weekly_report_subject.txt")
    message = EmailMessage(subject, body, None, [scope.user.email])
    message.attach(f"hocso-{scope.agency.code}-{week}.xlsx", workbook, XLSX_TYPE)
    return message


def weekly_reports_send(*, today: datetime.date | None = None) -> WeeklySummary:
    """Send this ISO week's report to every manager who has not had it yet."""
    week = iso_week(today or timezone.localdate())
    summary = WeeklySummary(week=week)
    targets = list(Target.objects.filter(active=True).select_related("certificate_type"))
    if not targets:
        logger.info("weekly reports %s: no active target, nothing sent", week)
        return summary
    done = set(ReportDelivery.objects.filter(week=week).values_list("user_id", flat=True))
    for scope in managers_to_mail(already_sent=done, summary=summary):
        try:
            with transaction.atomic():
                ReportDelivery.objects.create(user_id=scope.user_id, week=week)
                _message(scope, targets, week).send()
        except IntegrityError:  # another run recorded it first
            summary.already_sent += 1
            continue
        summary.sent += 1
    logger.info("weekly reports %s: %s sent, %s already sent, %s managers without e-mail",
                week, summary.sent, summary.already_sent, summary.no_address)
    return summary
