"""StreamField blocks of a lesson."""

from django.core.exceptions import ValidationError
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


VIDEO_EXTENSIONS = ("mp4", "webm")
CAPTION_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]  # each named in itself


class VideoValue(blocks.StructValue):
    def captions_label(self) -> str:
        return dict(CAPTION_LANGUAGES).get(self.get("captions_language"), "")


class VideoBlock(blocks.StructBlock):
    """A video: an embedded address (YouTube, Vimeo…) or a video file of the documents,
    with captions (WebVTT) and a transcript always shown as text below it. In low-data mode
    only the title, the transcript and a link to the video are shown."""

    video = EmbedBlock(label=_("video address"), required=False,
                       help_text=_("A YouTube or Vimeo address. Or leave empty and choose a "
                                   "video file below."))
    file = DocumentChooserBlock(label=_("video file"), required=False,
                                help_text=_("An MP4 or WebM file, played on the page."))
    poster = ImageChooserBlock(label=_("poster image"), required=False,
                               help_text=_("Shown before the video file plays."))
    captions = DocumentChooserBlock(label=_("captions"), required=False,
                                    help_text=_("A WebVTT file (.vtt) of the video file's "
                                                "captions."))
    captions_language = blocks.ChoiceBlock(label=_("language of the captions"),
                                           choices=CAPTION_LANGUAGES, default="vi")
    title = blocks.CharBlock(label=_("title"), max_length=255)
    transcript = blocks.TextBlock(
        label=_("transcript"), required=False,
        help_text=_("Everything said and shown in the video, as text. Needed when the video "
                    "has no captions file; always shown below the video, and instead of it "
                    "in low-data mode."))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        value_class = VideoValue

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        errors = {}
        if not value.get("video") and not value.get("file"):
            errors["video"] = ValidationError(_("Give a video address or a video file."))
        video_file = value.get("file")
        if video_file and video_file.file_extension.lower() not in VIDEO_EXTENSIONS:
            errors["file"] = ValidationError(_("The video file must be MP4 or WebM."))
        captions = value.get("captions")
        if captions and captions.file_extension.lower() != "vtt":
            errors["captions"] = ValidationError(_("Captions must be a WebVTT (.vtt) file."))
        elif captions and not video_file:
            errors["captions"] = ValidationError(
                _("Captions go with a video file (an embedded video brings its own)."))
        if not captions and not (value.get("transcript") or "").strip():
            errors["transcript"] = ValidationError(
                _("A video without captions needs a transcript."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


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
