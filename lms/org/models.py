"""Agencies (a tree), people and HR scopes."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import Storage, default_storage, storages
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class User(AbstractUser):
    """A login. ``xapi_id`` is the opaque name of the learner's xAPI account: it is the only
    identifier that ever leaves the platform in a learning record."""

    xapi_id = models.UUIDField(_("learning-record id"), default=uuid.uuid4, unique=True,
                               editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def display_name(self) -> str:
        person = getattr(self, "person", None)
        if person is not None:
            return person.full_name
        return self.get_full_name() or self.username


class AgencyKind(models.TextChoices):
    NATION = "nation", _("Nation")
    CENTRAL = "central", _("Central level")
    LOCAL = "local", _("Local level")
    MINISTRY = "ministry", _("Ministry")
    MINISTERIAL_AGENCY = "ministerial_agency", _("Ministerial-level agency")
    PROVINCE = "province", _("Province / centrally-run city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    UNIT = "unit", _("Department / unit")


class Agency(MP_Node):
    """A node of the agency tree: the nation, the central and local branches, ministries,
    provinces, communes and their units. Subtrees are path prefixes (materialised path)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class PositionCategory(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant / public employee")
    IT_OFFICIAL = "it_official", _("IT / digital-transformation official")
    LEADER = "leader", _("Leader")
    COMMUNE_OFFICIAL = "commune_official", _("Commune official")
    COMMUNITY_TEAM = "community_team", _("Community digital team member")


class Person(models.Model):
    """A learner's profile: who they are (name), where they work and in which position.
    Deliberately minimal: no ID numbers, no birth dates."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="person", verbose_name=_("user"))
    full_name = models.CharField(_("full name"), max_length=255)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people",
                               verbose_name=_("agency"))
    position = models.CharField(_("position category"), max_length=32,
                                choices=PositionCategory.choices)
    # The agency's own staff number, the key of roster imports (None for people who were
    # never imported). The login of a person created by an import is this number.
    staff_id = models.CharField(_("staff ID"), max_length=64, unique=True, null=True,
                                blank=True)
    # database defaults too, so that rows loaded with COPY (bench/national.py) need neither
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="",
                             db_default="")
    # The day the person left the agency; imports never delete anybody.
    left_on = models.DateField(_("left on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now())

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["agency", "position"])]

    def __str__(self) -> str:
        return self.full_name


class ManagerScope(models.Model):
    """An HR manager sees one agency subtree: this agency and everything below it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="manager_scope", verbose_name=_("user"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))

    class Meta:
        verbose_name = _("HR manager scope")
        verbose_name_plural = _("HR manager scopes")

    def __str__(self) -> str:
        return f"{self.user} → {self.agency}"


def roster_storage() -> Storage:
    """Where uploaded staff lists are kept: the ``rosters`` storage when one is configured in
    ``STORAGES`` (e.g. a private bucket), else the default storage under ``rosters/``, which
    ``lms.urls`` never serves. Only the roster pages read them back."""
    return storages["rosters"] if "rosters" in settings.STORAGES else default_storage


class RosterImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class RosterImport(models.Model):
    """One staff list uploaded by an HR manager: the stored file, what its preview found and,
    once applied, what it changed. See ``lms.org.rosters``."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    scope = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("scope"))
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    # kept in the private roster storage (``rosters/``), never under a public URL
    file = models.FileField(_("file"), upload_to="rosters/%Y/%m/", max_length=255, blank=True,
                            storage=roster_storage)
    status = models.CharField(_("status"), max_length=16, choices=RosterImportStatus.choices,
                              default=RosterImportStatus.PREVIEWED)
    message = models.TextField(_("message"), blank=True)  # why a file was refused
    complete_for = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True,
                                     verbose_name=_("complete list for"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    moved = models.PositiveIntegerField(_("moved"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    marked_left = models.PositiveIntegerField(_("marked left"), default=0)
    rejoined = models.PositiveIntegerField(_("rejoined"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    # [{"line": 7, "staff_id": "HN001", "reason": "..."}], every bad row
    row_errors = models.JSONField(_("row errors"), default=list, blank=True)
    # the first changes of each kind, for the preview page: {"created": [...], ...}
    sample = models.JSONField(_("sample of changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   verbose_name=_("applied by"))

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["scope", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
