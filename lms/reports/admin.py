from django.contrib import admin

from .models import CoverageSnapshot, Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("name", "certificate_type", "measure", "rate", "deadline", "active")
    list_filter = ("active", "measure", "certificate_type")


@admin.register(CoverageSnapshot)
class CoverageSnapshotAdmin(admin.ModelAdmin):
    """Read-only: the snapshots are written by the daily job."""

    list_display = ("day", "agency", "certificate_type", "position", "headcount", "trained",
                    "certified")
    list_filter = ("day", "certificate_type", "position")
    raw_id_fields = ("agency",)

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
