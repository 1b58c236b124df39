"""What a quiz asks, authored in its StreamField: fixed questions from the banks and random
draws (N questions of a bank, optionally of one competency and difficulty)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from .models.banks import Difficulty


class FixedQuestionBlock(blocks.StructBlock):
    question = SnippetChooserBlock("assessments.Question", label=_("question"))

    class Meta:
        icon = "help"
        label = _("Question")


class RandomDrawBlock(blocks.StructBlock):
    bank = SnippetChooserBlock("assessments.QuestionBank", label=_("question bank"))
    count = blocks.IntegerBlock(label=_("number of questions"), min_value=1, default=5)
    competency = blocks.CharBlock(label=_("competency"), required=False, max_length=64,
                                  help_text=_("Only questions of this competency code."))
    difficulty = blocks.ChoiceBlock(
        label=_("difficulty"), required=False,
        choices=[(str(value), label) for value, label in Difficulty.choices])

    class Meta:
        icon = "pick"
        label = _("Random questions from a bank")


class QuizQuestionsBlock(blocks.StreamBlock):
    question = FixedQuestionBlock()
    random = RandomDrawBlock()
