"""National targets and the daily coverage snapshots the dashboard reads."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.org.models import PositionCategory


class Measure(models.TextChoices):
    TRAINED = "trained", _("trained (course completed)")
    CERTIFIED = "certified", _("certified (valid certificate)")


class Target(models.Model):
    """A national target: by ``deadline``, ``rate`` percent of the people in
    ``positions`` (all positions when empty) are trained in, or certified for,
    ``certificate_type``'s course. Editable in the admin; the defaults come from the
    programme's decisions (see ``source``)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    certificate_type = models.ForeignKey("certificates.CertificateType",
                                         on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("certificate type"))
    positions = models.JSONField(
        _("position categories"), default=list, blank=True,
        help_text=_("Codes of the position categories the target binds; empty: everyone."))
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices,
                               default=Measure.CERTIFIED)
    rate = models.PositiveSmallIntegerField(
        _("target rate (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    deadline = models.DateField(_("deadline"))
    source = models.CharField(_("source"), max_length=255, blank=True)
    active = models.BooleanField(_("shown on the dashboard"), default=True)

    class Meta:
        verbose_name = _("national target")
        verbose_name_plural = _("national targets")
        ordering = ["deadline", "code"]

    def __str__(self) -> str:
        return self.name

    def position_codes(self) -> list[str]:
        return list(self.positions) or [choice.value for choice in PositionCategory]


class CoverageSnapshot(models.Model):
    """The figures of one agency's whole subtree, for one certificate type and one position
    category, at the end of ``day``. Written by the daily job (a day's rows are replaced as
    a whole), read by the dashboard, the exports and the API."""

    day = models.DateField(_("day"))
    agency = models.ForeignKey("org.Agency", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("agency"))
    certificate_type = models.ForeignKey("certificates.CertificateType",
                                         on_delete=models.CASCADE, related_name="+",
                                         verbose_name=_("certificate type"))
    position = models.CharField(_("position category"), max_length=32,
                                choices=PositionCategory.choices)
    headcount = models.PositiveIntegerField(_("headcount"))
    enrolled = models.PositiveIntegerField(_("enrolled"))
    in_progress = models.PositiveIntegerField(_("in progress"))
    trained = models.PositiveIntegerField(_("trained"))
    certified = models.PositiveIntegerField(_("certified"))

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        constraints = [
            models.UniqueConstraint(fields=["certificate_type", "agency", "day", "position"],
                                    name="coverage_snapshot_unique"),
        ]
        indexes = [models.Index(fields=["certificate_type", "day"],
                                name="coverage_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id} {self.position}"


class ReportDelivery(models.Model):
    """The weekly coverage report sent to one manager for one ISO week (``2026-W48``):
    recorded in the transaction that sends it, so a re-run of the week sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    week = models.CharField(_("ISO week"), max_length=8)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("weekly report sent")
        verbose_name_plural = _("weekly reports sent")
        constraints = [models.UniqueConstraint(fields=["user", "week"],
                                               name="report_delivery_unique")]

    def __str__(self) -> str:
        return f"{self.week} {self.user}"
