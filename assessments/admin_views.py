"""Import of question files into a bank and export of a bank as Moodle XML, in the Wagtail
admin. The views parse the request and show the report; ``banks`` does the work."""

from __future__ import annotations

import os
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.auth import permission_required
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from .banks import FORMATS, MAX_IMPORT_BYTES, bank_export, bank_import
from .models import QuestionBank

IMPORT_PERMISSION = "assessments.add_question"
EXPORT_PERMISSION = "assessments.change_question"


class ImportForm(forms.Form):
    bank = forms.ModelChoiceField(QuestionBank.objects.all(), label=gettext_lazy("Question bank"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Moodle XML (.xml) or GIFT (.gift, .txt), in UTF-8."))

    def clean_file(self):
        file = self.cleaned_data["file"]
        extension = os.path.splitext(file.name.lower())[1]
        if extension not in FORMATS:
            raise forms.ValidationError(
                _("Choose a Moodle XML file (.xml) or a GIFT file (.gift or .txt)."))
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB; split it and import the parts.")
                % {"size": MAX_IMPORT_BYTES // (1024 * 1024)})
        return file


class ImportView(WagtailAdminTemplateMixin, FormView):
    form_class = ImportForm
    template_name = "assessments/admin/import.html"
    page_title = gettext_lazy("Import questions")
    header_icon = "upload"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        banks = reverse("wagtailsnippets_assessments_questionbank:list")
        return [*self.breadcrumbs_items, {"url": banks, "label": _("Question banks")},
                {"url": "", "label": _("Import questions")}]

    def get_initial(self) -> dict[str, Any]:
        bank = self.request.GET.get("bank", "")
        return {"bank": bank} if bank.isdigit() else {}

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        bank = form.cleaned_data["bank"]
        report = bank_import(bank=bank, data=upload.read(), filename=upload.name,
                             user=self.request.user)
        context = self.get_context_data(form=ImportForm(initial={"bank": bank.pk}),
                                        report=report, bank=bank, filename=upload.name)
        return TemplateResponse(self.request, self.template_name, context)


class ExportView(View):
    def get(self, request: HttpRequest, bank_id: int) -> HttpResponse:
        bank = get_object_or_404(QuestionBank, pk=bank_id)
        name = slugify(bank.name) or str(bank.pk)
        response = HttpResponse(bank_export(bank=bank), content_type="application/xml")
        filename = f"hocso-{name}-{timezone.localdate():%Y%m%d}.xml"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


def admin_urls() -> list:
    return [
        path("question-banks/import/",
             permission_required(IMPORT_PERMISSION)(ImportView.as_view()),
             name="assessments_bank_import"),
        path("question-banks/<int:bank_id>/export/",
             permission_required(EXPORT_PERMISSION)(ExportView.as_view()),
             name="assessments_bank_export"),
    ]


def bank_listing_buttons(snippet: Any, user: Any) -> list[Button]:
    """"Import questions" and "Export to Moodle XML" for a bank in the banks' listing."""
    if not isinstance(snippet, QuestionBank):
        return []
    buttons = []
    if user.has_perm(IMPORT_PERMISSION):
        buttons.append(Button(_("Import questions"),
                              reverse("assessments_bank_import") + f"?bank={snippet.pk}",
                              icon_name="upload", priority=60))
    if user.has_perm(EXPORT_PERMISSION):
        buttons.append(Button(_("Export to Moodle XML"),
                              reverse("assessments_bank_export", args=[snippet.pk]),
                              icon_name="download", priority=61))
    return buttons
