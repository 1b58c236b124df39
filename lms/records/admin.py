from django.contrib import admin

from .models import ActivityRequirement, Progress, Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("stored", "verb_id", "activity_id", "user")
    list_filter = ("verb_id",)
    search_fields = ("activity_id",)
    readonly_fields = [f.name for f in Statement._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Progress)
class ProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "activity_id", "completed", "success", "score_scaled")
    list_filter = ("completed", "success")
    search_fields = ("activity_id",)


@admin.register(ActivityRequirement)
class ActivityRequirementAdmin(admin.ModelAdmin):
    list_display = ("parent_id", "child_id", "rule")
    search_fields = ("parent_id", "child_id")
