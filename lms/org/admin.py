from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Agency, ManagerScope, Person, User


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
    list_display = ("full_name", "agency", "position")
    list_filter = ("position",)
    search_fields = ("full_name", "user__username")
    autocomplete_fields = ("user", "agency")


@admin.register(ManagerScope)
class ManagerScopeAdmin(admin.ModelAdmin):
    list_display = ("user", "agency")
    autocomplete_fields = ("user", "agency")
