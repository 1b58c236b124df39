from django.contrib import admin

from .models import Team, Visit


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "leader", "active"]
    list_filter = ["active"]
    search_fields = ["name", "commune__name", "commune__code"]
    raw_id_fields = ["commune", "leader"]
    filter_horizontal = ["members"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only: visits are records; follow-up phone numbers are not shown here."""

    list_display = ["visited_on", "team", "place", "citizens", "outcome"]
    list_filter = ["outcome"]
    date_hierarchy = "visited_on"
    exclude = ["services"]
    readonly_fields = ["team", "member", "commune", "visited_on", "place", "citizens",
                       "outcome", "note", "recorded_at", "received_at", "statement_id"]

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
