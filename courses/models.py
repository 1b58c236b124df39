"""Wagtail page types of the course catalogue. Page models hold presentation helpers only;
enrolment and completion are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from lms.org.models import PositionCategory
from lms.records import vocab
from lms.records.models import RequirementRule

from .blocks import LessonBodyBlock


class CatalogPage(Page):
    """The course catalogue: lists the live courses below it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import catalog_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalog_courses(catalog=self, user=request.user)
        return context


class CoursePageForm(WagtailAdminPageForm):
    target_positions = forms.MultipleChoiceField(
        label=_("target position categories"),
        choices=PositionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CoursePage(Page):
    code = models.CharField(
        _("course code"), max_length=32, unique=True,
        help_text=_("A short, stable code, e.g. KNS-CB. It names the course in learning "
                    "records: do not change it once learners have started."),
    )
    summary = models.TextField(_("summary"))
    estimated_minutes = models.PositiveIntegerField(
        _("estimated minutes"), default=60, validators=[MinValueValidator(1),
                                                        MaxValueValidator(10_000)])
    target_positions = models.JSONField(_("target position categories"), default=list,
                                        blank=True)

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("target_positions"),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage", "courses.Cmi5UnitPage", "assessments.QuizPage"]

    class Meta:
        verbose_name = _("course")

    @property
    def activity_id(self) -> str:
        return vocab.activity_iri("course", self.code)

    def target_position_labels(self) -> list[str]:
        labels = dict(PositionCategory.choices)
        return [str(labels[p]) for p in self.target_positions if p in labels]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self, user=request.user)
        return context


class LessonPage(Page):
    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["assessments.QuizPage"]  # practice quizzes of the lesson

    class Meta:
        verbose_name = _("lesson")

    @property
    def activity_id(self) -> str:
        return vocab.activity_iri("lesson", self.translation_key)

    def course_requirement(self) -> tuple[str, str]:
        """What the course needs of this page: to be completed."""
        return self.activity_id, RequirementRule.COMPLETED

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(lesson=self, user=request.user))
        return context


# cmi5 content (outside packages) lives in its own module; imported here so Django finds it.
from .cmi5_models import Cmi5Au, Cmi5Package, Cmi5Session, Cmi5UnitPage  # noqa: E402

__all__ = ["CatalogPage", "Cmi5Au", "Cmi5Package", "Cmi5Session", "Cmi5UnitPage", "CoursePage",
           "LessonPage"]
