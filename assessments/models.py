"""The final quiz of a course, its attempts and answers."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from lms.records import vocab
from lms.records.models import RequirementRule

from .blocks import QuestionStreamBlock


class QuizPage(Page):
    """A course's final quiz. The correct answers stay on the server: the page renders
    only prompts and options, and grading happens in ``services.attempt_submit``."""

    intro = models.TextField(_("instructions"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("pass_mark"),
        FieldPanel("estimated_minutes"),
        FieldPanel("questions"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")

    @property
    def activity_id(self) -> str:
        return vocab.activity_iri("assessment", self.translation_key)

    def course_requirement(self) -> tuple[str, str]:
        """What the course needs of this page: to be passed."""
        return self.activity_id, RequirementRule.PASSED

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import quiz_context

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_context(quiz=self, user=request.user))
        return context


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    SUBMITTED = "submitted", _("submitted")


class Attempt(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("learner"))
    quiz = models.ForeignKey(QuizPage, on_delete=models.PROTECT, related_name="attempts",
                             verbose_name=_("quiz"))
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AttemptStatus.choices,
                              default=AttemptStatus.IN_PROGRESS)
    question_ids = models.JSONField(_("questions of this attempt"), default=list)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    correct_count = models.PositiveIntegerField(_("correct answers"), null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} {self.user_id} {self.status}"

    @property
    def percent(self) -> int | None:
        return None if self.score_scaled is None else round(self.score_scaled * 100)


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    choice_id = models.CharField(max_length=64)
    correct = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_id"],
                                    name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.question_id}"
