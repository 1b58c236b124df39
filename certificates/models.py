"""Certificate types and issued certificates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateType(models.Model):
    """What a certificate attests: completing a course (its lessons and its final quiz)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("course"))
    issuer_name = models.CharField(_("issuing authority"), max_length=255, default="HọcSố")
    active = models.BooleanField(_("issued automatically"), default=True)

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    REVOKED = "revoked", _("revoked")


class Certificate(models.Model):
    """One issued certificate. The holder's name, agency and course title are copied at
    issue time: the certificate says what was true when it was issued."""

    serial = models.CharField(_("serial"), max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="certificates", verbose_name=_("holder"))
    certificate_type = models.ForeignKey(CertificateType, on_delete=models.PROTECT,
                                         related_name="certificates",
                                         verbose_name=_("certificate type"))
    holder_name = models.CharField(_("holder name"), max_length=255)
    agency_name = models.CharField(_("agency"), max_length=512, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    issued_at = models.DateTimeField(_("issued at"))
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["user", "certificate_type"],
                                    name="one_certificate_per_type"),
        ]
        indexes = [models.Index(fields=["certificate_type", "status"])]

    def __str__(self) -> str:
        return self.serial
