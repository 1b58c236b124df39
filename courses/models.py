"""Wagtail page types of the course catalogue. Page models hold presentation helpers only;
enrolment and completion are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from lms.org.models import PositionCategory
from lms.records import vocab
from lms.records.models import RequirementRule

from .blocks import LessonBodyBlock
from .caching import SharedWhenAnonymous


def in_language(vietnamese: Any, english: Any) -> Any:
    """The English text when the page is shown in English and has one, else Vietnamese."""
    return english if english and get_language() == "en" else vietnamese


class Bilingual(models.Model):
    """The English version of a page's title and summary, kept on the same page: one page,
    one address, one activity id, whichever language the learner reads it in."""

    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    summary_en = models.TextField(_("summary in English"), blank=True)
    competencies = models.JSONField(
        _("competencies"), default=list, blank=True,
        help_text=_("Codes of the competency framework, e.g. dc.1.3 or dmbok.quality."))
    sources = models.JSONField(
        _("sources"), default=list, blank=True,
        help_text=_("The documents the content rests on: a list of {title, note}."))

    class Meta:
        abstract = True

    @property
    def local_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def local_summary(self) -> str:
        return in_language(self.summary, self.summary_en)

    def competency_list(self) -> list[Any]:
        from .competencies import competencies_named

        return competencies_named(self.competencies or [])


class CatalogPage(Page):
    """The course catalogue: lists the live courses below it."""

    intro = models.TextField(_("introduction"), blank=True)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"),
                      MultiFieldPanel([FieldPanel("title_en"), FieldPanel("intro_en")],
                                      heading=_("English"))]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    @property
    def local_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def local_intro(self) -> str:
        return in_language(self.intro, self.intro_en)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .catalog import catalog_page_context
        from .selectors import public_course_count

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_page_context(catalog=self, user=request.user,
                                            params=request.GET))
        context["courses"] = [entry.outline for entry in context["entries"]]
        context["public_course_count"] = public_course_count()
        return context


class CoursePageForm(WagtailAdminPageForm):
    target_positions = forms.MultipleChoiceField(
        label=_("target position categories"),
        choices=PositionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CoursePage(SharedWhenAnonymous, Page, Bilingual):  # noqa: DJ008 (Page has __str__)
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
    audience = models.TextField(_("who it is for"), blank=True)
    audience_en = models.TextField(_("who it is for, in English"), blank=True)
    public = models.BooleanField(_("public"), default=False,
                                 help_text=_("Readable without an account (for citizens)."))
    sequential = models.BooleanField(_("lessons in order"), default=False)
    version = models.PositiveIntegerField(_("content version"), default=1)

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("estimated_minutes"),
        FieldPanel("target_positions"),
        FieldPanel("competencies"),
        FieldPanel("sources"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("summary_en"),
                         FieldPanel("audience_en")], heading=_("English")),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("public"),
        FieldPanel("sequential"),
        FieldPanel("version"),
    ]
    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.LessonPage", "courses.Cmi5UnitPage", "assessments.QuizPage"]

    class Meta:
        verbose_name = _("course")

    @property
    def activity_id(self) -> str:
        return vocab.activity_iri("course", self.code)

    @property
    def local_audience(self) -> str:
        return in_language(self.audience, self.audience_en)

    def target_position_labels(self) -> list[str]:
        labels = dict(PositionCategory.choices)
        return [str(labels[p]) for p in self.target_positions if p in labels]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self, user=request.user)
        return context


class LessonPage(SharedWhenAnonymous, Page, Bilingual):  # noqa: DJ008 (Page has __str__)
    summary = models.TextField(_("summary"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"))
    body_en = StreamField(LessonBodyBlock(), verbose_name=_("content in English"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("competencies"),
        FieldPanel("sources"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("summary_en"),
                         FieldPanel("body_en")], heading=_("English")),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["assessments.QuizPage"]  # practice quizzes of the lesson

    class Meta:
        verbose_name = _("lesson")

    @property
    def activity_id(self) -> str:
        return vocab.activity_iri("lesson", self.translation_key)

    @property
    def local_body(self) -> Any:
        """The English content when shown in English and written, else the Vietnamese."""
        return in_language(self.body, self.body_en if len(self.body_en) else None)

    def course_requirement(self) -> tuple[str, str]:
        """What the course needs of this page: to be completed."""
        return self.activity_id, RequirementRule.COMPLETED

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(lesson=self, user=request.user))
        return context


class Competency(models.Model):
    """One item of a competency framework (content/competencies/*.yaml), loaded by
    ``competencies.competencies_load``; pages and questions keep the code as a string."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    framework = models.CharField(_("framework"), max_length=64, db_index=True)
    kind = models.CharField(_("kind"), max_length=32)
    parent_code = models.CharField(_("parent"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def local_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def local_description(self) -> str:
        return in_language(self.description, self.description_en)


# cmi5 content (outside packages) lives in its own module; imported here so Django finds it.
from .cmi5_models import Cmi5Au, Cmi5Package, Cmi5Session, Cmi5UnitPage  # noqa: E402

__all__ = ["CatalogPage", "Cmi5Au", "Cmi5Package", "Cmi5Session", "Cmi5UnitPage", "Competency",
           "CoursePage", "LessonPage"]
