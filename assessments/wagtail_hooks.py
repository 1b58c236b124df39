"""Question banks and questions in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import QuestionForm
from .models import Question, QuestionBank


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("description")]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["__str__", "bank", "kind", "competency", "difficulty", "active"]
    list_filter = ["bank", "kind", "difficulty", "active"]
    search_fields = ["name", "prompt", "competency"]
    panels = [
        FieldPanel("bank"),
        FieldPanel("kind"),
        FieldPanel("prompt"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_alt")]),
        FieldRowPanel([FieldPanel("competency"), FieldPanel("difficulty"),
                       FieldPanel("default_mark")]),
        InlinePanel("options", label=_("Options"), min_num=1),
        MultiFieldPanel([
            FieldPanel("feedback_correct"), FieldPanel("feedback_partial"),
            FieldPanel("feedback_wrong"), FieldPanel("explanation"),
        ], heading=_("Feedback")),
        MultiFieldPanel([
            FieldPanel("prompt_en"), FieldPanel("feedback_correct_en"),
            FieldPanel("feedback_partial_en"), FieldPanel("feedback_wrong_en"),
            FieldPanel("explanation_en"),
        ], heading=_("English"), classname="collapsed"),
        MultiFieldPanel([
            FieldPanel("name"), FieldPanel("shuffle_options"), FieldPanel("case_sensitive"),
            FieldPanel("active"),
        ], heading=_("Settings")),
    ]
    edit_handler = ObjectList(panels, base_form_class=QuestionForm)


class AssessmentsGroup(SnippetViewSetGroup):
    items = (QuestionBankViewSet, QuestionViewSet)
    menu_icon = "help"
    menu_label = _("Question banks")
    menu_name = "question-banks"


register_snippet(AssessmentsGroup)


# Item analysis
from wagtail import hooks  # noqa: E402

from .admin_analysis import admin_menu_item, admin_urls  # noqa: E402


@hooks.register("register_admin_urls")
def register_item_analysis_urls() -> list:
    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_item_analysis_menu_item():
    return admin_menu_item()


# Import / export
from .admin_views import admin_urls as import_export_urls  # noqa: E402
from .admin_views import bank_listing_buttons  # noqa: E402


@hooks.register("register_admin_urls")
def register_import_export_urls() -> list:
    return import_export_urls()


@hooks.register("register_snippet_listing_buttons")
def register_bank_listing_buttons(snippet, user, next_url=None) -> list:
    return bank_listing_buttons(snippet, user)
