"""Admin form rules of a certificate type."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import QuizPage

from .models import CertificateType


class CertificateTypeForm(forms.ModelForm):
    class Meta:
        model = CertificateType
        fields = ("code", "name", "name_en", "course", "authority", "active", "validity_months",
                  "renewal_window_days", "heading", "heading_en", "statement", "statement_en")

    def clean(self) -> dict:
        """A certificate that expires must be renewable: its course's final exam has to
        accept a new attempt after a pass, or holders could never renew."""
        data = super().clean()
        course = data.get("course")
        if data.get("validity_months") and course is not None:
            closed = [quiz.title for quiz in QuizPage.objects.child_of(course).specific()
                      if quiz.is_exam and not quiz.allow_retake_after_pass]
            if closed:
                raise forms.ValidationError(_(
                    "Holders renew by passing the final exam again, but “%(exams)s” does not "
                    "allow a new attempt after a pass. Tick “allow a new attempt after "
                    "passing” in the exam's rules, or leave the validity empty."
                ) % {"exams": "”, “".join(closed)})
        return data
