"""Item analysis in the Wagtail admin: the quizzes and banks with submitted attempts, and per
quiz or bank a table of each question's facility and discrimination (also as CSV).

Views only parse the request and shape rows; the figures come from ``analysis``."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.admin.utils import quote
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_required
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .analysis import (
    SORT_KEYS,
    ItemAnalysis,
    ItemStats,
    banks_with_attempts,
    item_analysis,
    items_sorted,
    quizzes_with_attempts,
)
from .models import QuestionBank, QuizPage

PERMISSION = "assessments.change_question"


def _percent(share: float) -> float:
    return round(share * 100, 1)


def discrimination_text(item: ItemStats, analysis: ItemAnalysis) -> str:
    """The index as shown (two decimals), or why there is none."""
    if not analysis.enough_attempts:
        return _("not enough attempts")
    if item.discrimination is None:
        return _("not asked in both groups")
    return f"{item.discrimination:.2f}"


def item_rows(analysis: ItemAnalysis, order: str | None) -> list[dict[str, Any]]:
    """The table's rows, in the asked order."""
    rows = []
    for item in items_sorted(analysis.items, order):
        question = item.question
        rows.append({
            "item": item,
            "question": question,
            "edit_url": reverse("wagtailsnippets_assessments_question:edit",
                                args=[quote(question.pk)]),
            "kind": question.get_kind_display(),
            "competency": question.competency,
            "difficulty": question.get_difficulty_display(),
            "facility": _percent(item.facility),
            "fully_correct": _percent(item.fully_correct),
            "unanswered": _percent(item.unanswered),
            "discrimination": item.discrimination,
            "discrimination_text": discrimination_text(item, analysis),
            "flags": [str(flag.label) for flag in item.flags],
        })
    return rows


class _AnalysisView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"
    page_title = gettext_lazy("Item analysis")

    def index_crumb(self) -> dict[str, Any]:
        return {"url": reverse("assessments_item_analysis"), "label": _("Item analysis")}


class IndexView(_AnalysisView):
    template_name = "assessments/admin/item_analysis_index.html"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Item analysis")}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["quizzes"] = quizzes_with_attempts()
        context["banks"] = banks_with_attempts()
        return context


class _SubjectMixin:
    """Reads which quiz or bank is analysed, the order and the first-attempts switch."""

    kwargs: dict[str, Any]
    request: HttpRequest

    def subject(self) -> QuizPage | QuestionBank:
        if "quiz_id" in self.kwargs:
            return get_object_or_404(QuizPage, pk=self.kwargs["quiz_id"])
        return get_object_or_404(QuestionBank, pk=self.kwargs["bank_id"])

    def analysis_for(self, subject: QuizPage | QuestionBank) -> ItemAnalysis:
        first = self.request.GET.get("first") == "1"
        if isinstance(subject, QuizPage):
            return item_analysis(quiz=subject, first_attempts_only=first)
        return item_analysis(bank=subject, first_attempts_only=first)

    def order(self) -> str | None:
        order = self.request.GET.get("order")
        return order if order in SORT_KEYS else None

    def csv_url(self, subject: QuizPage | QuestionBank) -> str:
        name = ("assessments_item_analysis_quiz_csv" if isinstance(subject, QuizPage)
                else "assessments_item_analysis_bank_csv")
        query = self.request.GET.urlencode()
        return reverse(name, args=[subject.pk]) + (f"?{query}" if query else "")


class AnalysisView(_SubjectMixin, _AnalysisView):
    template_name = "assessments/admin/item_analysis.html"

    def get_page_subtitle(self) -> str:
        return str(self.subject_object)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, self.index_crumb(),
                {"url": "", "label": str(self.subject_object)}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.subject_object = self.subject()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        subject = self.subject_object
        analysis = self.analysis_for(subject)
        order = self.order()
        first = self.request.GET.get("first") == "1"
        context.update({
            "subject": subject,
            "is_quiz": isinstance(subject, QuizPage),
            "analysis": analysis,
            "rows": item_rows(analysis, order),
            "order": order or "",
            "first": first,
            "first_param": "&first=1" if first else "",
            "csv_url": self.csv_url(subject),
        })
        return context


HEADER = [
    gettext_lazy("Question"), gettext_lazy("Identifier"), gettext_lazy("Question bank"),
    gettext_lazy("Type"), gettext_lazy("Competency"), gettext_lazy("Difficulty"),
    gettext_lazy("Responses"), gettext_lazy("Facility (%)"),
    gettext_lazy("Fully correct (%)"), gettext_lazy("Unanswered (%)"),
    gettext_lazy("Discrimination index"), gettext_lazy("Flags"),
]


def item_analysis_csv(analysis: ItemAnalysis, order: str | None) -> str:
    """The table as CSV text, starting with a byte order mark so that spreadsheet programs
    read the Vietnamese letters as UTF-8. Numbers use a decimal point; an index that cannot
    be computed is left empty and the reason given with the flags."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(label) for label in HEADER])
    for row in item_rows(analysis, order):
        question = row["question"]
        discrimination = row["discrimination"]
        notes = list(row["flags"])
        if discrimination is None:
            notes.append(row["discrimination_text"])
        writer.writerow([
            str(question), str(question.uid), question.bank.name, row["kind"],
            row["competency"], row["difficulty"], row["item"].n, f"{row['facility']:.1f}",
            f"{row['fully_correct']:.1f}", f"{row['unanswered']:.1f}",
            "" if discrimination is None else f"{discrimination:.2f}", "; ".join(notes),
        ])
    return out.getvalue()


class CsvView(_SubjectMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        subject = self.subject()
        text = item_analysis_csv(self.analysis_for(subject), self.order())
        name = slugify(getattr(subject, "slug", "") or subject.name) or str(subject.pk)
        filename = f"hocso-item-analysis-{name}-{timezone.localdate():%Y%m%d}.csv"
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def admin_urls() -> list:
    guard = permission_required(PERMISSION)
    return [
        path("item-analysis/", guard(IndexView.as_view()), name="assessments_item_analysis"),
        path("item-analysis/quiz/<int:quiz_id>/", guard(AnalysisView.as_view()),
             name="assessments_item_analysis_quiz"),
        path("item-analysis/quiz/<int:quiz_id>/csv/", guard(CsvView.as_view()),
             name="assessments_item_analysis_quiz_csv"),
        path("item-analysis/bank/<int:bank_id>/", guard(AnalysisView.as_view()),
             name="assessments_item_analysis_bank"),
        path("item-analysis/bank/<int:bank_id>/csv/", guard(CsvView.as_view()),
             name="assessments_item_analysis_bank_csv"),
    ]


class AnalysisMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)


def admin_menu_item() -> MenuItem:
    return AnalysisMenuItem(gettext_lazy("Item analysis"), reverse("assessments_item_analysis"),
                            name="item-analysis", icon_name="table", order=310)
