from django.contrib import admin, messages
from django.db.models import QuerySet
from django.db.models.functions import Length
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .clients import client_rotate_secret, client_save_new, client_update
from .forwarding import REJECTED_PREFIX, forward_retry, forward_status
from .models import (
    ActivityRequirement,
    Client,
    Document,
    ForwardItem,
    Progress,
    Statement,
)


def _secret_message(request: HttpRequest, client: Client, secret: str, *, text: str) -> None:
    """Show a client's secret, the one time it exists in clear text."""
    messages.warning(request, format_html(
        "{} {}: <code>{}</code> · {}: <code>{}</code>. {}",
        text, _("Key"), client.key, _("Secret"), secret,
        _("Copy the secret now: it is stored only as a hash and cannot be shown again."),
    ))


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "can_read", "can_write", "agency", "is_active", "created_at")
    list_filter = ("is_active", "can_write", "can_read")
    search_fields = ("name", "key")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency",)
    actions = ("rotate_secret",)

    def get_fields(self, request: HttpRequest, obj: Client | None = None) -> list[str]:
        fields = ["name", "agency", "can_read", "can_write", "is_active"]
        return fields if obj is None else ["key", *fields, "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Client | None = None
                            ) -> tuple[str, ...]:
        return () if obj is None else ("key", "created_at")

    def save_model(self, request: HttpRequest, obj: Client, form, change: bool) -> None:
        if change:
            client_update(client=obj, name=obj.name, agency=obj.agency,
                          can_read=obj.can_read, can_write=obj.can_write,
                          is_active=obj.is_active)
            return
        secret = client_save_new(client=obj)
        _secret_message(request, obj, secret,
                        text=_("xAPI client “%(name)s” created.") % {"name": obj.name})

    @admin.action(description=_("Rotate the secret (the old one stops working)"),
                  permissions=["change"])
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        for client in queryset.order_by("name"):
            secret = client_rotate_secret(client=client)
            _secret_message(request, client, secret,
                            text=_("New secret of “%(name)s”.") % {"name": client.name})


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("stored", "verb_id", "activity_id", "user", "client")
    list_filter = ("verb_id",)
    list_select_related = ("user", "client")
    search_fields = ("activity_id",)
    readonly_fields = [f.name for f in Statement._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("doc_id", "kind", "activity_id", "agent_key", "registration",
                    "content_type", "size", "updated")
    list_filter = ("kind",)
    search_fields = ("doc_id", "activity_id")
    fields = ("kind", "doc_id", "activity_id", "agent_key", "registration", "content_type",
              "size", "etag", "updated")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        return super().get_queryset(request).defer("content").annotate(
            content_size=Length("content"))

    @admin.display(description=_("size (bytes)"), ordering="content_size")
    def size(self, obj: Document) -> int:
        return obj.content_size

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ForwardStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("pending", _("waiting")), ("sent", _("sent")), ("rejected", _("rejected"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False).exclude(
                last_error__startswith=REJECTED_PREFIX)
        if self.value() == "rejected":
            return queryset.filter(sent_at__isnull=False,
                                   last_error__startswith=REJECTED_PREFIX)
        return queryset


@admin.register(ForwardItem)
class ForwardItemAdmin(admin.ModelAdmin):
    list_display = ("statement_id", "status", "created_at", "sent_at", "attempts",
                    "error_short")
    list_filter = (ForwardStatusFilter,)
    search_fields = ("statement__id",)
    fields = ("statement_id", "status", "created_at", "sent_at", "attempts", "last_error")
    readonly_fields = fields
    actions = ("retry_now",)

    @admin.display(description=_("status"))
    def status(self, obj: ForwardItem) -> str:
        labels = {"pending": _("waiting"), "sent": _("sent"), "rejected": _("rejected")}
        return str(labels[forward_status(obj)])

    @admin.display(description=_("last error"))
    def error_short(self, obj: ForwardItem) -> str:
        return obj.last_error if len(obj.last_error) <= 80 else obj.last_error[:80] + "…"

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[ForwardItem]) -> None:
        waiting = forward_retry(item_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext(
            "%(count)d statement is being sent to the external LRS.",
            "%(count)d statements are being sent to the external LRS.", waiting,
        ) % {"count": waiting}, messages.SUCCESS)

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("records.change_forwarditem")

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
