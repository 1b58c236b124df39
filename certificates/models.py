"""Issuing authorities, certificate types (what a certificate requires, how long it is
valid, what it says), issued certificates and their audit trail."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssuingAuthority(models.Model):
    """Who issues and signs: the name printed on the certificate and its signing key. An
    authority without key paths signs with the platform's key (settings
    ``HOCSO_SIGNING_KEY`` / ``HOCSO_SIGNING_CERT``)."""

    code = models.SlugField(_("code"), max_length=32, unique=True,
                            help_text=_("Part of the address of the authority's public "
                                        "profile; never change it once credentials exist."))
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    signer_title_en = models.CharField(_("signer's title in English"), max_length=255,
                                       blank=True)
    location = models.CharField(_("place of signing"), max_length=255, blank=True,
                                default="Việt Nam")
    key_path = models.CharField(
        _("signing key file"), max_length=500, blank=True,
        help_text=_("Path of a PEM private key (ECDSA P-256) on the server. Empty: the "
                    "platform's key."))
    certificate_path = models.CharField(
        _("signing certificate file"), max_length=500, blank=True,
        help_text=_("Path of the key's X.509 certificate (PEM). Empty: the platform's."))

    class Meta:
        verbose_name = _("issuing authority")
        verbose_name_plural = _("issuing authorities")

    def __str__(self) -> str:
        return self.name


class CertificateType(models.Model):
    """What a certificate attests: its course completed, any further requirements met
    (another course completed, an exam passed with a minimum score), and for how long."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("course"),
        help_text=_("Completing it (its lessons and its final exam) is always required; "
                    "its title is printed on the certificate."))
    authority = models.ForeignKey(IssuingAuthority, on_delete=models.PROTECT,
                                  related_name="certificate_types",
                                  verbose_name=_("issuing authority"))
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Empty: valid without end (basic digital skills). For example 36 for "
                    "the data-management certificate."))
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal opens (days before expiry)"), default=90,
        validators=[MaxValueValidator(3650)],
        help_text=_("From then on, passing the final exam again issues a renewed "
                    "certificate, and the holder is reminded by e-mail."))
    heading = models.CharField(_("heading"), max_length=120, default="GIẤY CHỨNG NHẬN")
    heading_en = models.CharField(_("heading in English"), max_length=120,
                                  default="CERTIFICATE OF COMPLETION")
    statement = models.CharField(_("statement"), max_length=255,
                                 default="đã hoàn thành khóa học")
    statement_en = models.CharField(_("statement in English"), max_length=255,
                                    default="has completed the course")
    active = models.BooleanField(_("issued automatically"), default=True)

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self) -> str:
        return self.name

    def expiry_for(self, issued_at: datetime.datetime) -> datetime.datetime | None:
        """End of validity of a certificate issued at ``issued_at`` (calendar months: a
        certificate issued on 31 January for one month ends on 28 or 29 February)."""
        if not self.validity_months:
            return None
        local = timezone.localtime(issued_at)
        month_index = local.month - 1 + self.validity_months
        year, month = local.year + month_index // 12, month_index % 12 + 1
        day = local.day
        while True:
            try:
                return local.replace(year=year, month=month, day=day)
            except ValueError:  # 29-31 in a shorter month
                day -= 1


class CertificateRequirement(models.Model):
    """A further condition of a certificate type: another course completed, or an exam
    passed, optionally with at least ``min_score`` percent (from the progress records)."""

    certificate_type = models.ForeignKey(CertificateType, on_delete=models.CASCADE,
                                         related_name="requirements")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("course or exam"))
    min_score = models.PositiveSmallIntegerField(
        _("minimum score (%)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For an exam: the best score needed. Empty: passing is enough."))

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [models.UniqueConstraint(fields=["certificate_type", "page"],
                                               name="certificate_requirement_unique")]

    def __str__(self) -> str:
        return str(self.page)


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")  # never stored: derived from ``expires_at``
    REVOKED = "revoked", _("revoked")


class Certificate(models.Model):
    """One issued certificate. The holder's name, agency and course title are copied at
    issue time: the certificate says what was true when it was issued. A renewal is a new
    certificate of the next ``cycle``."""

    serial = models.CharField(_("serial"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="certificates", verbose_name=_("holder"))
    certificate_type = models.ForeignKey(CertificateType, on_delete=models.PROTECT,
                                         related_name="certificates",
                                         verbose_name=_("certificate type"))
    cycle = models.PositiveSmallIntegerField(_("issue number"), default=1,
                                             help_text=_("1 for the first, 2 after a "
                                                         "renewal, and so on."))
    holder_name = models.CharField(_("holder name"), max_length=255)
    agency_name = models.CharField(_("agency"), max_length=512, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True,
                              db_index=True)
    credential = models.JSONField(_("signed credential (Open Badges 3.0)"), null=True,
                                  blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["user", "certificate_type", "cycle"],
                                    name="one_certificate_per_type_and_cycle"),
            models.CheckConstraint(
                condition=~models.Q(status="revoked", revoked_at__isnull=True),
                name="revoked_certificate_has_date"),
        ]
        indexes = [models.Index(fields=["certificate_type", "status"]),
                   models.Index(fields=["expires_at"], name="certificate_expiry",
                                condition=models.Q(expires_at__isnull=False))]

    def __str__(self) -> str:
        return self.serial

    def status_at(self, moment: datetime.datetime | None = None) -> str:
        """Valid, expired or revoked at ``moment`` (now by default)."""
        moment = moment or timezone.now()
        if self.status == CertificateStatus.REVOKED and (self.revoked_at is None
                                                         or self.revoked_at <= moment):
            return CertificateStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= moment:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def current_status(self) -> str:
        return self.status_at()

    def get_current_status_display(self) -> str:
        return CertificateStatus(self.current_status).label

    @property
    def renewal_open(self) -> bool:
        """Whether passing the exam again now renews it (its renewal window has opened)."""
        if self.expires_at is None or self.status == CertificateStatus.REVOKED:
            return False
        window = datetime.timedelta(days=self.certificate_type.renewal_window_days)
        return timezone.now() >= self.expires_at - window


class CertificateEvent(models.Model):
    """The audit trail of a certificate: issued, revoked, reminders sent. A reminder of a
    given kind is recorded once (the database refuses a second), which makes sending
    idempotent."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("issued")
        REVOKED = "revoked", _("revoked")
        REMINDED = "reminded", _("expiry reminder sent")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE,
                                    related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "detail"],
                                    condition=models.Q(action="reminded"),
                                    name="one_reminder_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.action}"
