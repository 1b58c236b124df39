"""Community digital teams (tổ công nghệ số cộng đồng) of a commune, and the guidance visits
their members record, door to door, often offline.

Personal data: a visit names no citizen. A phone number for follow-up is kept apart
(``FollowUpContact``), only with the citizen's recorded consent, and never leaves the
database: not in xAPI statements, exports or the API."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMUNE_KINDS = ("commune", "ward", "special_zone")


class Service(models.TextChoices):
    """What a team helped citizens with."""

    VNEID = "vneid", _("VNeID activation")
    PUBLIC_SERVICE = "public_service", _("Online public-service submission")
    PAYMENT = "payment", _("Online payment")
    SAFETY = "safety", _("Online safety")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    DONE = "done", _("Done: the citizen managed")
    PARTLY = "partly", _("Partly done: to be continued")
    FOLLOW_UP = "follow_up", _("Needs a follow-up visit")
    NOT_POSSIBLE = "not_possible", _("Not possible (e.g. missing papers, no signal)")


class Team(models.Model):
    """A community digital team of one commune (or ward, or special zone). Its members are
    people with the community-team position working in that commune's subtree; the
    commune's HR manager manages it."""

    name = models.CharField(_("name"), max_length=255)
    commune = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    leader = models.ForeignKey("org.Person", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("leader"))
    members = models.ManyToManyField("org.Person", blank=True, related_name="teams",
                                     verbose_name=_("members"))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Off: disbanded (its visits stay counted)."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("community digital team")
        verbose_name_plural = _("community digital teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"],
                                               name="team_name_unique_in_commune")]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """One guidance visit recorded by a team member. ``id`` is generated on the device, so
    a record queued offline and sent twice is stored once. ``recorded_at`` is when the
    member saved it (the device's clock), ``received_at`` when the server got it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits",
                             verbose_name=_("team"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("member"))
    # the team's commune when the visit was recorded: reach rolls up the agency tree
    commune = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("commune"))
    visited_on = models.DateField(_("date"))
    place = models.CharField(_("place (village, hamlet)"), max_length=255)
    services = models.JSONField(_("services"), default=list)
    citizens = models.PositiveIntegerField(
        _("citizens guided"), validators=[MinValueValidator(1), MaxValueValidator(1000)])
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_at = models.DateTimeField(_("recorded at (on the device)"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    statement_id = models.UUIDField(_("learning-record statement"), null=True, blank=True,
                                    editable=False)

    class Meta:
        verbose_name = _("guidance visit")
        verbose_name_plural = _("guidance visits")
        ordering = ["-visited_on", "-recorded_at"]
        indexes = [models.Index(fields=["commune", "visited_on"]),
                   models.Index(fields=["team", "visited_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(citizens__gte=1),
                                              name="visit_citizens_positive")]

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.place} · {self.citizens}"


class FollowUpContact(models.Model):
    """A citizen's phone number for a follow-up, stored only with their consent (the
    service refuses a number without it; the database refuses a row without the time of
    consent). Never in statements, exports or the API."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="contact",
                                 verbose_name=_("visit"))
    phone = models.CharField(_("phone"), max_length=20)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_text = models.CharField(_("consent wording shown"), max_length=500)

    class Meta:
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        constraints = [models.CheckConstraint(condition=~models.Q(phone=""),
                                              name="contact_phone_not_empty")]

    def __str__(self) -> str:
        return str(self.visit_id)
