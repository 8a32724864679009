"""Reporter-side storage that is not the report itself: drafts, attachments, follow-up signals and the global
budget of failed receipt attempts.

Metadata minimisation (DESIGN.md rule 6): nothing here records who a reporter is or exactly when they acted.
Dates are days; the only times kept are coarse expiry times of short-lived rows (drafts), rounded up so that they
do not pin a visit to the second, and the start of a ten-minute throttle window linked to no report.
"""

from __future__ import annotations

import uuid

from django.db import models


class Draft(models.Model):
    """A report being written. Its answers (and the keys of files already uploaded) are encrypted under a key that
    lives only in the reporter's cookie; after submission it holds the receipt, sealed the same way, for a few
    minutes so a repeated POST shows the same receipt, then it is deleted (secure_delete overwrites it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload_ct = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)  # rounded up to EXPIRY_GRANULARITY (intake/drafts.py)


class PendingBlob(models.Model):
    """A file name reserved before its encrypted bytes are written. The sweeper deletes a stored file only when
    neither a reservation nor an attachment names it, so it needs no file timestamps to tell a write in progress
    from the debris of a crash."""

    name = models.CharField(max_length=32, unique=True)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="blobs")
    reserved_on = models.DateField()


class FileKind(models.TextChoices):
    IMAGE = "image", "Image"
    PDF = "pdf", "PDF document"
    OFFICE = "office", "Office document"
    TEXT = "text", "Text"
    AUDIO_VIDEO = "media", "Audio or video"
    UNSAFE = "unsafe", "Web page or drawing (download only)"
    OTHER = "other", "Other file (download only)"


class Attachment(models.Model):
    """A file given by a reporter. Two encrypted blobs: the original, kept as evidence, and a copy with metadata
    removed, which is what handlers see. Both are encrypted under the attachment's own key, which is itself
    encrypted under the report's data key; the file name is encrypted too."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey("cases.Report", on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey("cases.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key_ct = models.BinaryField()
    name_ct = models.BinaryField()
    original_blob = models.CharField(max_length=32, unique=True)
    clean_blob = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    content_type = models.CharField(max_length=100)  # of the cleaned copy, as we detected it (never as sent)
    inline_safe = models.BooleanField(default=False)  # re-encoded images only; everything else is a download
    metadata_removed = models.BooleanField(default=False)
    size = models.PositiveIntegerField()
    added_on = models.DateField()


class RequestKind(models.TextChoices):
    INFORMATION = "information", "More information"
    RETALIATION = "retaliation", "Retaliation since the report"
    REVIEW = "review", "Application for a review of the outcome"


class ReporterRequest(models.Model):
    """A structured, clear-text signal that the reporter asked for something (the words are in the encrypted
    message), so the case workflow and safeguarding can act without unlocking keys."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey("cases.Report", on_delete=models.CASCADE, related_name="reporter_requests")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    message = models.ForeignKey("cases.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    made_on = models.DateField()


class UpdateContact(models.Model):
    """A named reporter's opt-in: an email saying only "there is an update". The address is encrypted under a
    server key (the server must send the email without anyone's key); nothing else is ever emailed."""

    report = models.OneToOneField("cases.Report", on_delete=models.CASCADE, related_name="update_contact")
    email_ct = models.BinaryField()


class Consent(models.TextChoices):
    CASE_TEAM = "case_team", "They agree to it going to the case team"
    RECORD_ONLY = "record_only", "Record it only for now: ask them before anyone acts on it"


class ListeningCircleDisclosure(models.Model):
    """What a listening-circle facilitator recorded beside the report: the session day and the discloser's consent."""

    report = models.OneToOneField("cases.Report", on_delete=models.CASCADE, related_name="disclosure")
    session_on = models.DateField()
    consent = models.CharField(max_length=16, choices=Consent.choices)


class ReceiptFailureWindow(models.Model):
    """Global budget of receipt attempts per fixed window (intake/throttle.py). Linked to nothing and to no one."""

    window_start = models.DateTimeField(unique=True)
    attempts = models.PositiveIntegerField(default=0)
