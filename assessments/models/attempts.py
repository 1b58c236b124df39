"""Attempts at a quiz and their question slots.

An attempt freezes what it asks: each slot holds a snapshot of its question (text, options,
grades) taken when the attempt began, and the order the options were shown in. Editing a
question later changes neither the questions of open attempts nor past grades."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .banks import Question
from .quizzes import QuizPage


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted")


class Attempt(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="attempts",
                             verbose_name=_("quiz"))
    number = models.PositiveIntegerField(_("attempt number"), default=1)
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AttemptStatus.choices,
                              default=AttemptStatus.IN_PROGRESS)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_by_deadline = models.BooleanField(_("closed when time ran out"), default=False)
    score_raw = models.FloatField(_("marks"), null=True, blank=True)
    score_max = models.FloatField(_("maximum marks"), null=True, blank=True)
    score_scaled = models.FloatField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=models.Q(status="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
            models.UniqueConstraint(fields=["user", "quiz", "number"],
                                    name="attempt_number_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="attempt_open_deadline"),
            models.Index(fields=["quiz", "status", "score_scaled"], name="attempt_quiz_score"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} {self.user_id} #{self.number} {self.status}"

    @property
    def percent(self) -> int | None:
        return None if self.score_scaled is None else round(self.score_scaled * 100)

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS


class AttemptSlot(models.Model):
    """One question of an attempt: its frozen snapshot, the learner's saved response and,
    once graded, the fraction of the marks earned (0..1)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="slots",
                                 verbose_name=_("question"))
    snapshot = models.JSONField(_("question as asked"))
    layout = models.JSONField(_("order shown"), default=dict)
    response = models.JSONField(_("response"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    fraction = models.FloatField(_("grade"), null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="slot_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="slot_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.position}"

    @property
    def mark(self) -> float:
        return float(self.snapshot.get("mark", 1))
