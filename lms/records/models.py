"""xAPI statements, the progress projection computed from them, and the activity
requirements that let a parent activity (a course) complete when its parts are done."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PayloadField(models.JSONField):
    """A JSON column inserted with one placeholder per value. (Django's bulk insert on
    PostgreSQL otherwise packs each column into an array, and escaping whole statements
    into an array literal costs more than the rest of the insert.)"""

    def get_placeholder(self, value: object, compiler: object, connection: object) -> str:
        return "%s"


class Client(models.Model):
    """An outside xAPI client (an H5P player, an offline app, another LMS) with its own
    HTTP Basic credentials. The secret is stored hashed; a client bound to an agency may
    only write (and read) statements about the people of that agency's subtree."""

    name = models.CharField(_("name"), max_length=120)
    key = models.CharField(_("key (Basic auth user name)"), max_length=64, unique=True)
    secret_hash = models.CharField(_("secret (SHA-256)"), max_length=64, editable=False)
    can_read = models.BooleanField(_("may read"), default=True)
    can_write = models.BooleanField(_("may write"), default=False)
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("agency subtree"),
                               help_text=_("Empty: every agency."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("xAPI client")
        verbose_name_plural = _("xAPI clients")

    def __str__(self) -> str:
        return self.name


class AccessToken(models.Model):
    """Short-lived credentials handed to launched content (cmi5): they may read and write
    statements and documents of one learner only."""

    key = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    activity_id = models.CharField(max_length=512)
    registration = models.UUIDField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return self.key


class Statement(models.Model):
    """One stored xAPI statement. ``payload`` is the statement as stored (immutable); the
    other columns are copies of the fields queries filter on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own on the learner: (user, activity) covers the learner's lookups,
    # and every index costs each of millions of inserts.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("learner"),
                             db_index=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("client"))
    verb_id = models.CharField(_("verb"), max_length=512)
    activity_id = models.CharField(_("activity"), max_length=512, blank=True)
    actor_key = models.CharField(_("actor"), max_length=512)
    object_key = models.CharField(_("object agent"), max_length=512, blank=True)
    ref_id = models.UUIDField(_("statement referred to"), null=True, blank=True)
    registration = models.UUIDField(_("registration"), null=True, blank=True)
    timestamp = models.DateTimeField(_("timestamp"))
    stored = models.DateTimeField(_("stored"), default=timezone.now)
    voided = models.BooleanField(_("voided"), default=False)
    payload = PayloadField(_("statement"))

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["stored", "id"], name="stmt_stored"),
            models.Index(fields=["actor_key", "stored"], name="stmt_actor"),
            models.Index(fields=["object_key", "stored"], name="stmt_object"),
            models.Index(fields=["verb_id", "stored"], name="stmt_verb"),
            models.Index(fields=["activity_id", "stored"], name="stmt_activity"),
            models.Index(fields=["registration", "stored"], name="stmt_registration"),
            models.Index(fields=["user", "activity_id"], name="stmt_user_activity"),
            models.Index(fields=["ref_id"], name="stmt_ref",
                         condition=models.Q(ref_id__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.verb_id} {self.activity_id}"


class StatementRelation(models.Model):
    """Agents and activities a statement mentions outside its actor and object (context
    activities, instructor, team, a sub-statement's parts): what ``related_agents`` and
    ``related_activities`` queries look in."""

    AGENT = "a"
    ACTIVITY = "c"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+",
                                  db_index=False)
    kind = models.CharField(max_length=1)
    key = models.CharField(max_length=512)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"], name="stmt_rel_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Attachment(models.Model):
    """A statement attachment's raw content, stored once per SHA-2 hash."""

    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.sha2


class Document(models.Model):
    """A state, activity profile or agent profile document of the document resources."""

    STATE = "s"
    ACTIVITY_PROFILE = "a"
    AGENT_PROFILE = "g"

    kind = models.CharField(max_length=1)
    activity_id = models.CharField(max_length=512, blank=True)
    agent_key = models.CharField(max_length=512, blank=True)
    registration = models.CharField(max_length=36, blank=True)
    doc_id = models.CharField(max_length=512)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        verbose_name = _("xAPI document")
        verbose_name_plural = _("xAPI documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity_id", "agent_key", "registration", "doc_id"],
                name="document_unique"),
        ]
        indexes = [models.Index(fields=["kind", "activity_id", "agent_key", "updated"],
                                name="document_lookup")]

    def __str__(self) -> str:
        return self.doc_id


class ForwardItem(models.Model):
    """A statement waiting to be copied to the external LRS (when forwarding is on)."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("statement to forward")
        verbose_name_plural = _("statements to forward")

    def __str__(self) -> str:
        return str(self.statement_id)


class Progress(models.Model):
    """Where one learner stands on one activity, projected from their statements."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="progress", verbose_name=_("learner"))
    activity_id = models.CharField(_("activity"), max_length=512)
    completed = models.BooleanField(_("completed"), default=False)
    success = models.BooleanField(_("passed"), null=True)
    score_scaled = models.FloatField(_("best scaled score"), null=True)
    completed_at = models.DateTimeField(_("completed at"), null=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "activity_id"], name="progress_unique"),
        ]
        indexes = [models.Index(fields=["activity_id", "completed"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.activity_id}"


class RequirementRule(models.TextChoices):
    COMPLETED = "completed", _("completed")
    PASSED = "passed", _("passed")
    # cmi5 moveOn (an AU of an outside content package)
    COMPLETED_AND_PASSED = "completed_and_passed", _("completed and passed")
    COMPLETED_OR_PASSED = "completed_or_passed", _("completed or passed")


class ActivityRequirement(models.Model):
    """``parent_id`` is completed by a learner once every one of its requirements is met."""

    parent_id = models.CharField(_("parent activity"), max_length=512, db_index=True)
    child_id = models.CharField(_("required activity"), max_length=512, db_index=True)
    rule = models.CharField(_("rule"), max_length=32, choices=RequirementRule.choices)

    class Meta:
        verbose_name = _("activity requirement")
        verbose_name_plural = _("activity requirements")
        constraints = [
            models.UniqueConstraint(fields=["parent_id", "child_id"], name="requirement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} needs {self.child_id} {self.rule}"


class Registration(models.Model):
    """A learner's registration on an activity (their enrolment on a course): the xAPI
    ``context.registration`` that ties all their statements about it together."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="registrations", verbose_name=_("learner"))
    activity_id = models.CharField(_("activity"), max_length=512)
    registration = models.UUIDField(_("registration"), default=uuid.uuid4, unique=True,
                                    editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["user", "activity_id"],
                                    name="registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.activity_id}"
