"""A single-choice question, authored in the quiz page's StreamField."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"), max_length=500)
    correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        label = _("Answer option")


class SingleChoiceQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("answer options"), min_num=2)
    explanation = blocks.TextBlock(label=_("explanation shown after grading"), required=False)

    class Meta:
        icon = "help"
        label = _("Single-choice question")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct != 1:
            raise StructBlockValidationError(block_errors={
                "choices": ErrorList([ValidationError(
                    _("Mark exactly one answer option as correct."))])
            })
        return value


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
