"""Admin: authorities, certificate types with their requirements, issued certificates with
their audit trail, and revocation with a reason."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import CertificateTypeForm
from .models import (
    Certificate,
    CertificateEvent,
    CertificateRequirement,
    CertificateType,
    IssuingAuthority,
)
from .services import certificate_revoke


@admin.register(IssuingAuthority)
class IssuingAuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "signer_name", "signer_title")
    search_fields = ("name", "code")


class RequirementInline(admin.TabularInline):
    model = CertificateRequirement
    extra = 0
    autocomplete_fields = ()
    raw_id_fields = ("page",)


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    form = CertificateTypeForm
    list_display = ("name", "code", "course", "authority", "validity_months", "active")
    list_filter = ("active", "authority")
    inlines = [RequirementInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "course", "authority", "active")}),
        (gettext_lazy("Validity"), {"fields": ("validity_months", "renewal_window_days")}),
        (gettext_lazy("Wording on the certificate"),
         {"fields": ("heading", "heading_en", "statement", "statement_en")}),
    )


class EventInline(admin.TabularInline):
    model = CertificateEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "detail", "actor")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (shown on the public check page)"),
                             max_length=255, widget=forms.TextInput(attrs={"size": 60}))


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("serial", "holder_name", "certificate_type", "issued_at", "expires_at",
                    "status_now")
    list_filter = ("status", "certificate_type")
    search_fields = ("serial", "holder_name")
    readonly_fields = ("serial", "user", "certificate_type", "cycle", "holder_name",
                       "agency_name", "course_title", "issued_at", "expires_at", "pdf",
                       "sha256", "status", "revoked_at", "revoked_reason")
    inlines = [EventInline]
    actions = ["revoke"]
    list_select_related = ("certificate_type",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # certificates are issued by the job, from the learning records

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoke instead: the public check must keep answering

    @admin.display(description=gettext_lazy("status now"))
    def status_now(self, certificate: Certificate) -> str:
        return certificate.get_current_status_display()

    @admin.action(description=gettext_lazy("Revoke the selected certificates…"),
                  permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Certificate]
               ) -> HttpResponse | None:
        form = RevokeForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            revoked = 0
            for certificate in queryset:
                try:
                    certificate_revoke(certificate=certificate, actor=request.user,
                                       reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.WARNING)
                    continue
                revoked += 1
            self.message_user(request, _("%(count)d certificate(s) revoked.")
                              % {"count": revoked}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/certificates/revoke.html", {
            **self.admin_site.each_context(request), "title": _("Revoke certificates"),
            "form": form, "certificates": queryset, "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        })
