"""The HR form of a rule: its agency limited to the manager's subtree, a course or a
certificate type, position checkboxes, a due date not in the past."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import CertificateType
from courses.models import CoursePage
from lms.org.models import Agency, PositionCategory
from lms.org.selectors import agency_subtree_q

from .models import Assignment


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{'— ' * (obj.depth - self.top_depth)}{obj.name} ({obj.code})"


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Empty: the course's or certificate's name."))
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none(),
                                    required=False)
    certificate_type = forms.ModelChoiceField(
        label=_("or a certificate"), queryset=CertificateType.objects.none(), required=False,
        help_text=_("Done when the person holds a valid certificate; they are enrolled on "
                    "its course."))
    positions = forms.MultipleChoiceField(
        label=_("Position categories"), choices=PositionCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every position."))
    agency = AgencyChoiceField(label=_("Agency (and every unit below it)"),
                               queryset=Agency.objects.none())
    due_on = forms.DateField(label=_("Due date"),
                             widget=forms.DateInput(attrs={"type": "date"},
                                                    format="%Y-%m-%d"))

    def __init__(self, *args: Any, root: Agency, instance: Assignment | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title, "course": instance.course_id,
                "certificate_type": instance.certificate_type_id,
                "positions": instance.positions, "agency": instance.agency_id,
                "due_on": instance.due_on}
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["certificate_type"].queryset = (CertificateType.objects
                                                    .select_related("course").order_by("name"))
        agency_field = self.fields["agency"]
        agency_field.queryset = Agency.objects.filter(agency_subtree_q(root)).order_by("path")
        agency_field.top_depth = root.depth
        agency_field.initial = agency_field.initial or root.pk

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        unchanged = self.instance is not None and self.instance.due_on == due_on
        if due_on < timezone.localdate() and not unchanged:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("course")) == bool(data.get("certificate_type")):
            raise forms.ValidationError(_("Choose a course or a certificate, not both."))
        return data
