"""StreamField blocks of a lesson."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(label=_("alternative text"), max_length=255,
                           help_text=_("What the image shows, for people who cannot see it."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"))
    title = blocks.CharBlock(label=_("title"), max_length=255)
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Note")), ("tip", _("Tip")), ("warning", _("Warning")),
                 ("example", _("Worked example")), ("steps", _("Steps"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=255)
    body = blocks.RichTextBlock(label=_("text"),
                                features=["bold", "italic", "link", "ul", "ol", "code"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("file"))
    title = blocks.CharBlock(label=_("title"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable file")
        template = "courses/blocks/download.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr", "document-link",
                  "code", "blockquote"],
    )
    table = TableBlock(label=_("Table"), template="courses/blocks/table.html")
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    download = DownloadBlock()
