"""Agencies (a tree), people and HR scopes."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
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
