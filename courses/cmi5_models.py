"""cmi5 content in a course: the uploaded packages, their assignable units (AUs), the
``Cmi5UnitPage`` that places a package in a course, and each launch session.

A package is imported once and never changed: a new upload is a new package, and the page
points at it (so a draft with a new package leaves the live page's package in place).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from lms.records import vocab
from lms.records.models import RequirementRule

# What a course needs of an AU, by its moveOn (cmi5 13.1.4). NotApplicable: nothing,
# the AU is satisfied from the start, so it is not a requirement at all.
MOVE_ON_RULES: dict[str, str | None] = {
    "Passed": RequirementRule.PASSED,
    "Completed": RequirementRule.COMPLETED,
    "CompletedAndPassed": RequirementRule.COMPLETED_AND_PASSED,
    "CompletedOrPassed": RequirementRule.COMPLETED_OR_PASSED,
    "NotApplicable": None,
}


class Cmi5Package(models.Model):
    """An imported cmi5 course package; its files live in storage under
    ``cmi5/<id>/`` (none for a bare cmi5.xml, whose AUs are all elsewhere)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sha256 = models.CharField(_("SHA-256 of the uploaded file"), max_length=64, db_index=True)
    course_id = models.CharField(_("course id (publisher)"), max_length=512)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict)
    blocks = models.JSONField(_("blocks"), default=list)
    source_name = models.CharField(_("uploaded file"), max_length=255, blank=True)
    is_zip = models.BooleanField(_("ZIP package"), default=True)
    file_count = models.PositiveIntegerField(_("files"), default=0)
    size_bytes = models.BigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("imported by"))

    class Meta:
        verbose_name = _("cmi5 package")
        verbose_name_plural = _("cmi5 packages")

    def __str__(self) -> str:
        from .cmi5_structure import langstring_pick

        count = self.aus.count()
        units = ngettext("%(n)d AU", "%(n)d AUs", count) % {"n": count}
        name = langstring_pick(self.title, "vi") or self.course_id
        return f"{name} ({units}, {self.source_name})" if self.source_name else f"{name} ({units})"

    @property
    def storage_prefix(self) -> str:
        return f"cmi5/{self.id}"


class Cmi5Au(models.Model):
    """An assignable unit of a package, as its course structure declares it."""

    package = models.ForeignKey(Cmi5Package, on_delete=models.CASCADE, related_name="aus")
    position = models.PositiveIntegerField(_("position"))
    publisher_id = models.CharField(_("AU id (publisher)"), max_length=512)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict)
    url = models.CharField(_("launch URL"), max_length=2000)
    launch_method = models.CharField(_("launch method"), max_length=16, default="AnyWindow")
    move_on = models.CharField(_("move on"), max_length=24, default="NotApplicable")
    mastery_score = models.DecimalField(_("mastery score"), max_digits=5, decimal_places=4,
                                        null=True, blank=True)
    launch_parameters = models.TextField(_("launch parameters"), blank=True)
    entitlement_key = models.TextField(_("entitlement key"), blank=True)
    activity_type = models.CharField(_("activity type"), max_length=512, blank=True)
    block_ids = models.JSONField(_("blocks (outermost first)"), default=list)

    class Meta:
        verbose_name = _("cmi5 AU")
        verbose_name_plural = _("cmi5 AUs")
        ordering = ["package", "position"]
        constraints = [
            models.UniqueConstraint(fields=["package", "publisher_id"], name="cmi5_au_unique"),
        ]

    def __str__(self) -> str:
        return self.publisher_id

    @property
    def requirement_rule(self) -> str | None:
        return MOVE_ON_RULES[self.move_on]


class Cmi5Session(models.Model):
    """One launch of an AU for a learner (the cmi5 session: ``id`` is the session id).
    The fetch URL's code is stored hashed; the auth-token is issued on the first fetch."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    au = models.ForeignKey(Cmi5Au, on_delete=models.CASCADE, related_name="sessions")
    activity_id = models.CharField(_("AU activity"), max_length=512)
    registration = models.UUIDField(_("registration"))
    fetch_hash = models.CharField(max_length=64, unique=True)
    launched_at = models.DateTimeField(_("launched at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    fetched_at = models.DateTimeField(_("token fetched at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    abandoned = models.BooleanField(_("abandoned"), default=False)
    access_token = models.ForeignKey("records.AccessToken", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("cmi5 session")
        verbose_name_plural = _("cmi5 sessions")
        indexes = [models.Index(fields=["user", "activity_id", "registration"],
                                name="cmi5_session_open")]

    def __str__(self) -> str:
        return str(self.id)


class Cmi5UnitPageForm(WagtailAdminPageForm):
    package_file = forms.FileField(
        label=_("cmi5 package"), required=False,
        help_text=_("A ZIP file with cmi5.xml at its root, or a cmi5.xml whose AU addresses "
                    "are all full URLs. Uploading a new file replaces the package when the "
                    "page is published."),
    )

    def clean(self) -> dict[str, Any]:
        from .cmi5 import PackageError, package_read
        from .packages import package_import

        cleaned = super().clean()
        upload = cleaned.get("package_file")
        if upload:
            try:
                if self.errors:  # the page will not be saved: check the package only
                    package_read(upload)
                else:
                    self.instance.package = package_import(upload=upload,
                                                           user=self.for_user)
            except PackageError as exc:
                self.add_error("package_file", exc.message)
        elif self.instance.package_id is None:
            self.add_error("package_file", _("Upload the cmi5 package of this unit."))
        return cleaned


class Cmi5UnitPage(Page):
    """Outside content in a course: the AUs of a cmi5 package, each launched from here;
    each AU is a requirement of the course according to its moveOn."""

    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=15)
    package = models.ForeignKey(Cmi5Package, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("current package"))

    base_form_class = Cmi5UnitPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("package_file"),
        FieldPanel("package", read_only=True),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("cmi5 unit (outside content)")

    def aus(self) -> list[Cmi5Au]:
        return list(self.package.aus.all()) if self.package_id else []

    def au_activity_id(self, au: Cmi5Au) -> str:
        """The AU's activity IRI on this page: generated (never the publisher's id, cmi5
        8.1.5), the same for every launch and registration, kept across new uploads of a
        package that keeps the AU's id."""
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"{self.translation_key}|{au.publisher_id}")
        return vocab.activity_iri("cmi5-au", key)

    def course_requirements(self) -> list[tuple[str, str]]:
        """What the course needs of this page: each AU per its moveOn."""
        return [(self.au_activity_id(au), au.requirement_rule) for au in self.aus()
                if au.requirement_rule is not None]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import cmi5_unit_context

        context = super().get_context(request, *args, **kwargs)
        context.update(cmi5_unit_context(unit=self, user=request.user,
                                         language=getattr(request, "LANGUAGE_CODE", "vi")))
        return context
