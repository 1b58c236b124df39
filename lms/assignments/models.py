"""Assignments (rules binding a course or a certificate to the people of an agency subtree
in some positions, by a due date) and the records that keep their reminders to once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.org.models import PositionCategory

if TYPE_CHECKING:
    from courses.models import CoursePage


class Assignment(models.Model):
    """"Every civil servant of this province takes basic digital skills by 31 Dec 2027":
    a course or a certificate type (exactly one) × position categories (none: every
    position) × an agency subtree × a due date. Archived (``active`` off), never deleted,
    so past figures keep their rule."""

    title = models.CharField(_("title"), max_length=255, blank=True,
                             help_text=_("Empty: the course's or certificate's name."))
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("course"))
    certificate_type = models.ForeignKey(
        "certificates.CertificateType", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("certificate"),
        help_text=_("Done when the person holds a valid certificate of this type; they are "
                    "enrolled on its course."))
    positions = models.JSONField(
        _("position categories"), default=list, blank=True,
        help_text=_("Codes of the position categories concerned. Empty: every position."))
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"),
                               help_text=_("This agency and every unit below it."))
    due_on = models.DateField(_("due date"))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Off: archived (no enrolment, no reminders)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    synced_at = models.DateTimeField(_("last enrolment run"), null=True, blank=True,
                                     editable=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(course__isnull=False, certificate_type__isnull=True)
                           | models.Q(course__isnull=True, certificate_type__isnull=False)),
                name="assignment_one_target"),
        ]
        indexes = [models.Index(fields=["active", "due_on"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.certificate_type_id:
            return self.certificate_type.name
        return self.course.title if self.course_id else ""

    @property
    def target_course(self) -> CoursePage:
        """The course people are enrolled on: the rule's, or its certificate type's."""
        return self.certificate_type.course if self.certificate_type_id else self.course

    def position_labels(self) -> list[str]:
        labels = dict(PositionCategory.choices)
        return [str(labels.get(code, code)) for code in self.positions]


class LearnerReminder(models.Model):
    """One reminder digest sent to a learner on a day: written in the same transaction as
    the send, under a unique constraint, so a re-run sends nothing twice and a failed send
    (rolled back) is tried again by the next run."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    day = models.DateField(_("day"))
    items = models.PositiveSmallIntegerField(_("open items listed"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("learner reminder")
        verbose_name_plural = _("learner reminders")
        constraints = [models.UniqueConstraint(fields=["user", "day"],
                                               name="learner_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class ManagerDigest(models.Model):
    """The weekly overdue digest sent to an HR manager, once per ISO week (like
    ``LearnerReminder``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("HR manager"))
    week = models.CharField(_("ISO week"), max_length=8)  # 2027-W05
    overdue = models.PositiveIntegerField(_("overdue people"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("overdue digest")
        verbose_name_plural = _("overdue digests")
        constraints = [models.UniqueConstraint(fields=["user", "week"],
                                               name="manager_digest_once_a_week")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
