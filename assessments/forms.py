"""The Wagtail admin form of a question: checks its options against what its kind needs
(``validation.question_problems``) before anything is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from .validation import question_problems


def _kept_forms(formset: forms.BaseFormSet) -> list[forms.BaseForm]:
    """The option forms that will be saved, in their order: not deleted, and not blank
    extra forms."""
    if formset.can_order:
        return list(formset.ordered_forms)
    initial = formset.initial_form_count()
    return [form for index, form in enumerate(formset.forms)
            if (index < initial or form.has_changed())
            and not (formset.can_delete and formset._should_delete_form(form))]


def option_dicts(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The options as ``question_problems`` reads them."""
    options = []
    for form in _kept_forms(formset):
        data = form.cleaned_data
        tolerance = data.get("tolerance")
        options.append({
            "text": data.get("text") or "",
            "match": data.get("match") or "",
            "fraction": float(data.get("fraction") or 0),
            "tolerance": None if tolerance is None else float(tolerance),
        })
    return options


class QuestionForm(WagtailAdminModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        formset = self.formsets.get("options")
        # an option with its own errors is shown with them first; the kind's rules follow
        if not kind or formset is None or not formset.is_valid():
            return cleaned
        for problem in question_problems(kind, option_dicts(formset)):
            self.add_error(None, problem)
        return cleaned
