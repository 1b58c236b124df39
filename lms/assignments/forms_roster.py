"""The roster upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.org.models import Agency
from lms.org.selectors import agencies_for_roster


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        indent = "\u00a0\u00a0" * (obj.depth - self.root_depth)
        return f"{indent}{obj.name} ({obj.code})"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Staff list (CSV or Excel .xlsx)"), allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,application/"
                                               "vnd.openxmlformats-officedocument."
                                               "spreadsheetml.sheet"}))
    complete_for = AgencyChoiceField(
        queryset=Agency.objects.none(), required=False,
        label=_("This file is the complete list of"),
        empty_label=_("— no: only add and update the people listed —"),
        help_text=_("If you choose an agency, the people of that agency and its units who "
                    "are not in the file are marked as having left today (nobody is "
                    "deleted)."))

    def __init__(self, *args: Any, root: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["complete_for"]
        field.queryset = agencies_for_roster(root=root)
        field.root_depth = root.depth
