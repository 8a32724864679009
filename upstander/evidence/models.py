"""Chat exports taken in as evidence on a case, their messages, and the handlers' decisions on each flag.

What is kept in the clear, and why (DESIGN.md: structured facts stay in the clear so the workflow runs without
keys): who sent each message as the export names them, when, its kind, the category the classifier gave it, its
score and the flag's state — so counts per sender and per category need no key. Everything anyone wrote stays
ciphertext under the export's own data key: the original file (in chunks), each message's text together with the
words that made the classifier flag it, and the lines the parser could not read. The data key is sealed to the
same organisations a report on the case's route is sealed to (sealing.py)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ChatExport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="chat_exports")
    name = models.CharField(max_length=255)  # the file or folder name as received
    format = models.CharField(max_length=16)  # whatsapp, slack, teams
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)  # of the original bytes, also in the audit log
    message_count = models.PositiveIntegerField()  # people's messages (text, media, deleted)
    system_count = models.PositiveIntegerField(default=0)  # joins, leaves, notices, bots
    unreadable_count = models.PositiveIntegerField(default=0)
    unreadable_ct = models.BinaryField(null=True)  # the unreadable lines (they hold chat text), encrypted
    notes = models.JSONField(default=list)  # what the parser inferred, e.g. which way dates were read
    model_version = models.CharField(max_length=64)  # the classifier that scored it (its training data hash)
    received_at = models.DateTimeField()
    received_by = models.CharField(max_length=150)

    class Meta:
        indexes = [models.Index(fields=["case", "received_at"])]

    def __str__(self) -> str:
        return self.name


class SealedExportKey(models.Model):
    """The export's data key sealed to one organisation's public key."""

    export = models.ForeignKey(ChatExport, on_delete=models.CASCADE, related_name="sealed_keys")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["export", "organisation"], name="one_export_key_per_org")]


class ExportChunk(models.Model):
    """The original file, encrypted in chunks whose index and last-ness are bound into each ciphertext."""

    export = models.ForeignKey(ChatExport, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    blob = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["export", "index"], name="export_chunk_order")]


class ChatSender(models.Model):
    """A sender as the export writes them, and the roster person a handler linked them to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    export = models.ForeignKey(ChatExport, on_delete=models.CASCADE, related_name="senders")
    name = models.CharField(max_length=255)
    message_count = models.PositiveIntegerField(default=0)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="chat_senders")
    linked_by = models.CharField(max_length=150, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["export", "name"], name="one_sender_per_name")]

    def __str__(self) -> str:
        return self.name


class FlagState(models.TextChoices):
    NONE = "", "Not flagged"
    FLAGGED = "flagged", "Flagged, not yet reviewed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class ChatMessage(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    export = models.ForeignKey(ChatExport, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveIntegerField()  # order in the export, from 0
    sender = models.ForeignKey(ChatSender, null=True, blank=True, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=8)  # message, media, deleted, system
    at = models.CharField(max_length=40)  # ISO 8601 as the export's clock shows it
    day = models.DateField()  # the export's own calendar day, for counts over time
    edited = models.BooleanField(default=False)
    text_ct = models.BinaryField()  # {"text": ..., "why": [...]} under the export's data key
    category = models.CharField(max_length=32, blank=True)  # "" when the classifier found nothing
    score = models.FloatField(default=0.0)
    state = models.CharField(max_length=12, choices=FlagState.choices, blank=True, default=FlagState.NONE)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["export", "position"], name="chat_message_order")]
        indexes = [models.Index(fields=["export", "sender", "state"]), models.Index(fields=["export", "state"])]


class Decision(models.TextChoices):
    CONFIRM = "confirmed", "Confirmed"
    REJECT = "rejected", "Rejected"


class FlagDecision(models.Model):
    """A handler confirmed or rejected a flag, with a note. The latest decision on a message stands; earlier ones
    stay, so a hearing sees every change of mind."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(ChatMessage, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    category = models.CharField(max_length=32)  # the flag's category at the time of the decision
    note = models.TextField()
    decided_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]


class WholeChatReading(models.Model):
    """A handler asked, with a reason, to read the whole chat (every message and sender). It lasts the period that
    policy/evidence.toml sets; then they must ask again."""

    export = models.ForeignKey(ChatExport, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    opened_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["export", "user", "opened_at"])]
