"""What the course-pack importer last wrote, so a re-import can tell an editor's change
from its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedContent(models.Model):
    """The hash of the content the importer last wrote to one page or question. If the
    object's content no longer has this hash, an editor changed it since."""

    key = models.CharField(_("object"), max_length=100, unique=True,
                           help_text=_("page:<id> or question:<uid>"))
    digest = models.CharField(_("hash of the imported content"), max_length=64)
    pack = models.CharField(_("course pack"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("imported content")
        verbose_name_plural = _("imported content")

    def __str__(self) -> str:
        return self.key
