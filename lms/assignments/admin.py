from django.contrib import admin

from .models import Assignment, LearnerReminder, ManagerDigest
from .services import assignment_sync_enqueue


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Superusers read and write every rule here (HR managers use /hr/assignments/).
    A save enrols the rule's people once committed, as on the HR page."""

    list_display = ("__str__", "agency", "due_on", "active", "created_by", "created_at")
    list_filter = ("active",)
    search_fields = ("title", "agency__name", "agency__code")
    raw_id_fields = ("agency", "course", "certificate_type", "created_by")
    readonly_fields = ("created_at", "updated_at", "synced_at")

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # archive instead: past figures keep their rule

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if obj.active:
            assignment_sync_enqueue(obj)


@admin.register(LearnerReminder)
class LearnerReminderAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "items", "sent_at")
    date_hierarchy = "day"
    raw_id_fields = ("user",)


@admin.register(ManagerDigest)
class ManagerDigestAdmin(admin.ModelAdmin):
    list_display = ("user", "week", "overdue", "sent_at")
    raw_id_fields = ("user",)
