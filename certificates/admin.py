from django.contrib import admin

from .models import Certificate, CertificateType


@admin.register(CertificateType)
class CertificateTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "course", "active")


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("serial", "holder_name", "certificate_type", "issued_at", "status")
    list_filter = ("status", "certificate_type")
    search_fields = ("serial", "holder_name")
    readonly_fields = ("serial", "user", "certificate_type", "holder_name", "agency_name",
                       "course_title", "issued_at", "pdf")
