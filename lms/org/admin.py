from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Agency, ManagerScope, Person, RosterImport, User


@admin.register(User)
class HocsoUserAdmin(UserAdmin):
    readonly_fields = ("xapi_id",)


@admin.register(Agency)
class AgencyAdmin(TreeAdmin):
    form = movenodeform_factory(Agency)
    list_display = ("name", "code", "kind")
    search_fields = ("name", "code")
    list_filter = ("kind",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "staff_id", "agency", "position", "left_on")
    list_filter = ("position",)
    search_fields = ("full_name", "staff_id", "user__username")
    autocomplete_fields = ("user", "agency")


@admin.register(ManagerScope)
class ManagerScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "agency")
    autocomplete_fields = ("user", "agency")


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made and applied on the HR roster pages."""

    list_display = ("file_name", "scope", "status", "rows", "created", "updated", "moved",
                    "marked_left", "errors", "uploaded_by", "created_at")
    list_filter = ("status",)
    search_fields = ("file_name", "sha256", "scope__code", "scope__name")
    exclude = ("file",)  # never linked: the stored staff lists are not served

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
