"""xAPI statements, the progress projection computed from them, and the activity
requirements that let a parent activity (a course) complete when its parts are done."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    """One stored xAPI statement. ``payload`` is the statement as stored (immutable); the
    other columns are copies of the fields queries filter on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("learner"))
    verb_id = models.CharField(_("verb"), max_length=255)
    activity_id = models.CharField(_("activity"), max_length=512)
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    timestamp = models.DateTimeField(_("timestamp"))
    stored = models.DateTimeField(_("stored"), auto_now_add=True, db_index=True)
    payload = models.JSONField(_("statement"))

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["user", "activity_id"]),
            models.Index(fields=["activity_id", "verb_id"]),
            models.Index(fields=["registration"]),
        ]

    def __str__(self) -> str:
        return f"{self.verb_id} {self.activity_id}"


class Progress(models.Model):
    """Where one learner stands on one activity, projected from their statements."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="progress", verbose_name=_("learner"))
    activity_id = models.CharField(_("activity"), max_length=512)
    completed = models.BooleanField(_("completed"), default=False)
    success = models.BooleanField(_("passed"), null=True)
    score_scaled = models.FloatField(_("best scaled score"), null=True)
    completed_at = models.DateTimeField(_("completed at"), null=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "activity_id"], name="progress_unique"),
        ]
        indexes = [models.Index(fields=["activity_id", "completed"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.activity_id}"


class RequirementRule(models.TextChoices):
    COMPLETED = "completed", _("completed")
    PASSED = "passed", _("passed")


class ActivityRequirement(models.Model):
    """``parent_id`` is completed by a learner once every one of its requirements is met."""

    parent_id = models.CharField(_("parent activity"), max_length=512, db_index=True)
    child_id = models.CharField(_("required activity"), max_length=512, db_index=True)
    rule = models.CharField(_("rule"), max_length=16, choices=RequirementRule.choices)

    class Meta:
        verbose_name = _("activity requirement")
        verbose_name_plural = _("activity requirements")
        constraints = [
            models.UniqueConstraint(fields=["parent_id", "child_id"], name="requirement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} needs {self.child_id} {self.rule}"


class Registration(models.Model):
    """A learner's registration on an activity (their enrolment on a course): the xAPI
    ``context.registration`` that ties all their statements about it together."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="registrations", verbose_name=_("learner"))
    activity_id = models.CharField(_("activity"), max_length=512)
    registration = models.UUIDField(_("registration"), default=uuid.uuid4, unique=True,
                                    editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["user", "activity_id"],
                                    name="registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.activity_id}"
