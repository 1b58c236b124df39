"""Question banks and their questions, authored in the Wagtail admin (snippets).

Every question kind is stored the same way Moodle stores it, so that a Moodle XML bank
round-trips: a question with its text and feedback, and its options, each with a grade
fraction (1 = full marks, 0 = none, negative = a penalty for choosing it)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index


class QuestionBank(models.Model):
    name = models.CharField(_("name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_RESPONSE = "multiple_response", _("Multiple response")
    TRUE_FALSE = "true_false", _("True / false")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    NUMERICAL = "numerical", _("Short numeric answer")
    SHORT_ANSWER = "short_answer", _("Short text answer")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("easy")
    MEDIUM = 2, _("medium")
    HARD = 3, _("hard")


class Question(index.Indexed, ClusterableModel):
    """One question. ``uid`` is its stable identity: the xAPI activity of the question and
    the ``idnumber`` of a Moodle XML export."""

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions",
                             verbose_name=_("question bank"))
    kind = models.CharField(_("type"), max_length=24, choices=QuestionKind.choices,
                            default=QuestionKind.SINGLE_CHOICE)
    name = models.CharField(_("short name"), max_length=255, blank=True,
                            help_text=_("For editors only; taken from the question text "
                                        "when left empty."))
    prompt = RichTextField(_("question text"))
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("image"))
    image_alt = models.CharField(
        _("alternative text of the image"), max_length=255, blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an "
                    "image."))
    competency = models.CharField(
        _("competency"), max_length=64, blank=True, db_index=True,
        help_text=_("Code of the competency the question tests, e.g. 1.2 or DMBOK-QUALITY."))
    difficulty = models.PositiveSmallIntegerField(_("difficulty"), choices=Difficulty.choices,
                                                  default=Difficulty.MEDIUM, db_index=True)
    default_mark = models.DecimalField(_("marks"), max_digits=6, decimal_places=2, default=1)
    shuffle_options = models.BooleanField(_("shuffle the options"), default=True)
    case_sensitive = models.BooleanField(
        _("case sensitive"), default=False,
        help_text=_("Short text answers only: whether capital letters must match."))
    feedback_correct = models.TextField(_("feedback for a right answer"), blank=True)
    feedback_partial = models.TextField(_("feedback for a partly right answer"), blank=True)
    feedback_wrong = models.TextField(_("feedback for a wrong answer"), blank=True)
    explanation = models.TextField(_("explanation shown when answers are reviewed"),
                                   blank=True)
    prompt_en = RichTextField(_("question text in English"), blank=True)
    feedback_correct_en = models.TextField(_("feedback for a right answer, in English"),
                                           blank=True)
    feedback_partial_en = models.TextField(_("feedback for a partly right answer, in English"),
                                           blank=True)
    feedback_wrong_en = models.TextField(_("feedback for a wrong answer, in English"),
                                         blank=True)
    explanation_en = models.TextField(_("explanation in English"), blank=True)
    active = models.BooleanField(
        _("in use"), default=True,
        help_text=_("Retired questions stay in past attempts but are no longer drawn."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("prompt"),
        index.FilterField("bank_id"),
        index.FilterField("kind"),
        index.FilterField("competency"),
        index.FilterField("difficulty"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "pk"]
        indexes = [models.Index(fields=["bank", "active", "competency", "difficulty"],
                                name="question_draw")]

    def clean(self) -> None:
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _(
                "Describe the image for people who cannot see it.")})

    def __str__(self) -> str:
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        return self.name or Truncator(strip_tags(self.prompt)).chars(80)


class QuestionOption(Orderable):
    """An option of a question; what its fields mean depends on the question's kind:

    - single choice, multiple response: ``text`` and its grade ``fraction``;
    - true / false: two options, ``text`` ``true`` and ``false``;
    - matching: ``text`` the item, ``match`` its answer (an option with an empty ``text``
      adds a wrong answer to choose from);
    - ordering: ``text``, the options in the right order;
    - short numeric answer: ``text`` the value, ``tolerance``, ``fraction``;
    - short text answer: ``text`` an accepted answer (``*`` matches anything), ``fraction``.
    """

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.TextField(_("option"), blank=True)
    match = models.CharField(_("matching answer"), max_length=500, blank=True)
    fraction = models.DecimalField(
        _("grade"), max_digits=8, decimal_places=7, default=0,
        help_text=_("Share of the marks for this option: 1 for a right answer, 0.5 for "
                    "half, 0 for none, negative for a penalty."))
    tolerance = models.DecimalField(_("tolerance"), max_digits=20, decimal_places=7,
                                    null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    text_en = models.TextField(_("option in English"), blank=True)
    feedback_en = models.TextField(_("feedback in English"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text or self.match
