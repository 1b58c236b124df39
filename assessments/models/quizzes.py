"""Quiz pages: a course's final exam or a practice quiz, with their rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from lms.records import vocab
from lms.records.models import RequirementRule

from ..blocks import QuizQuestionsBlock


class QuizKind(models.TextChoices):
    EXAM = "exam", _("Final exam (needed to finish the course)")
    PRACTICE = "practice", _("Practice quiz (not counted)")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LAST = "last", _("Last attempt")


class ReviewPolicy(models.TextChoices):
    AFTER_ATTEMPT = "after_attempt", _("Right after each attempt")
    AFTER_FINAL = "after_final", _("Once passed or out of attempts")
    AFTER_CLOSE = "after_close", _("After the quiz closes")
    NEVER = "never", _("Never (score only)")


class QuizPage(Page):
    """A quiz or exam. The right answers stay on the server: pages render prompts and
    options only, and grading happens in ``services.attempt_submit``."""

    kind = models.CharField(_("kind"), max_length=16, choices=QuizKind.choices,
                            default=QuizKind.EXAM)
    intro = models.TextField(_("instructions"), blank=True)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = models.TextField(_("instructions in English"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)])
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=0,
        help_text=_("0 for no limit. The server closes the attempt when time runs out and "
                    "grades what was saved before."))
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=0,
                                               help_text=_("0 for unlimited."))
    cooldown_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0)
    allow_retake_after_pass = models.BooleanField(
        _("allow a new attempt after passing"), default=False)
    grading_method = models.CharField(_("grade kept"), max_length=16,
                                      choices=GradingMethod.choices,
                                      default=GradingMethod.HIGHEST)
    review_policy = models.CharField(_("when learners see the right answers"), max_length=16,
                                     choices=ReviewPolicy.choices,
                                     default=ReviewPolicy.AFTER_FINAL)
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True,
        help_text=_("Optional. No attempt can be started or continued after this time."))
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=True)
    questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("questions"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("intro_en")], heading=_("English")),
    ]
    settings_panels = [
        MultiFieldPanel([
            FieldPanel("pass_mark"),
            FieldPanel("estimated_minutes"),
            FieldPanel("time_limit_minutes"),
            FieldPanel("max_attempts"),
            FieldPanel("cooldown_minutes"),
            FieldPanel("allow_retake_after_pass"),
            FieldPanel("grading_method"),
            FieldPanel("review_policy"),
            FieldPanel("closes_at"),
            FieldPanel("shuffle_questions"),
        ], heading=_("Rules")),
        *Page.settings_panels,
    ]
    parent_page_types = ["courses.CoursePage", "courses.LessonPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")

    @property
    def activity_id(self) -> str:
        return vocab.activity_iri("assessment", self.translation_key)

    @property
    def local_title(self) -> str:
        return self.title_en if self.title_en and get_language() == "en" else self.title

    @property
    def local_intro(self) -> str:
        return self.intro_en if self.intro_en and get_language() == "en" else self.intro

    @property
    def is_exam(self) -> bool:
        return self.kind == QuizKind.EXAM

    def course_requirements(self) -> list[tuple[str, str]]:
        """What the course needs of this page: an exam must be passed; a practice quiz is
        never counted."""
        return [(self.activity_id, RequirementRule.PASSED)] if self.is_exam else []

    def clean(self) -> None:
        from ..draw import draw_problems

        super().clean()
        if self.review_policy == ReviewPolicy.AFTER_CLOSE and self.closes_at is None:
            raise ValidationError({"closes_at": _(
                "Set a closing time, or choose another moment for showing the answers.")})
        problems = draw_problems(self)
        if problems:
            raise ValidationError({"questions": problems})

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            from ..services import attempt_expire_if_due

            attempt_expire_if_due(user=request.user, quiz=self)  # came back after time ran out
        return super().serve(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..selectors import quiz_context

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_context(quiz=self, user=request.user))
        return context
