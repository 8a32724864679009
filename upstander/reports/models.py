"""A report and everything kept with it: the copies of its data key sealed to organisations, the subjects as the
reporter named them, the staff-reporter link, messages both ways, files, the reporter's requests and a listening
circle's record; and the reporter side's working state (drafts, file reservations, the receipt-attempt budget).

Free text a reporter types (narrative, place, messages, identity, file names) is stored only as ciphertext under
the report's data key (or, for a confidential identity, sealed to the identity custodians); reports/sealing.py
chooses every key and context. Structured facts — dates, categories, subjects as written, states — stay in the
clear so clocks, rules and statistics work without keys. Metadata minimisation (DESIGN.md rule 6): nothing here
records exactly when a reporter acted; dates are days.

The tables keep the names they had when these models lived in `cases` and `intake` (db_table), so moving the
models to this app moved no data.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from upstander.reports.choices import (
    Channel,
    Consent,
    FileKind,
    LinkStatus,
    MessageDirection,
    ReporterRole,
    ReporterType,
    ReportingMode,
    RequestKind,
    Route,
)


class Report(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=24, choices=Channel.choices)
    mode = models.CharField(max_length=16, choices=ReportingMode.choices)
    route = models.CharField(max_length=16, choices=Route.choices, default=Route.FORCE)
    reporter_type = models.CharField(max_length=16, choices=ReporterType.choices)
    reporter_role = models.CharField(max_length=16, choices=ReporterRole.choices, blank=True)
    categories = models.JSONField(default=list)  # category keys from policy/categories.toml
    # The day only: no precise timing of a reporter is kept.
    received_on = models.DateField()
    incident_on = models.DateField(null=True, blank=True)  # null: "I don't know"
    still_works_alongside = models.BooleanField(null=True)
    handling_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="reports")
    released_on = models.DateField(null=True, blank=True)  # independent route: when the overseer released it
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    # Equality monitoring, optional, aggregate use only.
    reporter_sex = models.CharField(max_length=24, blank=True)
    reporter_ethnicity = models.CharField(max_length=40, blank=True)
    # Encrypted content (see module docstring).
    narrative_ct = models.BinaryField(null=True)
    place_ct = models.BinaryField(null=True)
    identity_ct = models.BinaryField(null=True)  # named: under the data key
    sealed_identity = models.BinaryField(null=True)  # confidential: sealed to the identity custodians only
    receipt_lookup = models.CharField(max_length=64, unique=True, null=True)
    receipt_sealed_key = models.BinaryField(null=True)  # data key sealed to the receipt-derived key
    # A named reporter's opt-in to an email saying only "there is an update"; the address is the one in their
    # identity, under the data key, opened by the staff action that sends it (reports/notify.py).
    wants_update_email = models.BooleanField(default=False)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="recorded_disclosures")
    purged_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "cases_report"
        indexes = [models.Index(fields=["handling_org", "received_on"])]


class SealedKey(models.Model):
    """The report's data key sealed to one recipient organisation's (pinned) public key."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sealed_keys")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        db_table = "cases_sealedkey"
        constraints = [models.UniqueConstraint(fields=["report", "organisation"], name="one_sealed_key_per_org")]


class ReporterLink(models.Model):
    """Protected table: the link from a staff reporter's report to their roster entry (DESIGN.md). Kept in the
    clear so separation and retaliation monitoring run without keys; only the overseer sees it."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="reporter_link")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "cases_reporterlink"


class SubjectMention(models.Model):
    """Who did it, as the reporter wrote it, and the roster person it was resolved to."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="mentions")
    name_as_written = models.CharField(max_length=200, blank=True)
    number_as_written = models.CharField(max_length=64, blank=True)
    unit_as_written = models.CharField(max_length=200, blank=True)
    rank_as_written = models.CharField(max_length=64, blank=True)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="mentions")
    link_status = models.CharField(max_length=16, choices=LinkStatus.choices, default=LinkStatus.UNRESOLVED)
    match_probability = models.FloatField(null=True, blank=True)

    class Meta:
        db_table = "cases_subjectmention"


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    body_ct = models.BinaryField()
    sent_on = models.DateField()  # the day only, for both directions, so reporter timing is not kept
    sequence = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_question = models.BooleanField(default=False)

    class Meta:
        db_table = "cases_message"
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["report", "sequence"], name="message_sequence")]


class Attachment(models.Model):
    """A file given by a reporter. Two encrypted blobs: the original, kept as evidence, and a copy with metadata
    removed, which is what handlers see. Both are encrypted under the attachment's own key, which is itself
    encrypted under the report's data key; the file name is encrypted too."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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

    class Meta:
        db_table = "intake_attachment"


class ReporterRequest(models.Model):
    """A structured, clear-text signal that the reporter asked for something (the words are in the encrypted
    message), so the case workflow and safeguarding can act without unlocking keys."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reporter_requests")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    made_on = models.DateField()

    class Meta:
        db_table = "intake_reporterrequest"


class ListeningCircleDisclosure(models.Model):
    """What a listening-circle facilitator recorded beside the report: the session day and the discloser's consent."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="disclosure")
    session_on = models.DateField()
    consent = models.CharField(max_length=16, choices=Consent.choices)

    class Meta:
        db_table = "intake_listeningcircledisclosure"


# --- the reporter side's working state -------------------------------------------------------------------------
# Not records: never audited (auditing them would itself keep a trail of a reporter's activity), swept by
# reports/sweeper.py. Drafts are the reporter side's (intake/drafts.py), the budget the core's (reports/throttle.py);
# they live here so that the one sweeper, which `upstander tick` runs, can clean them without the staff side
# importing intake.


class Draft(models.Model):
    """A report being written. Its answers (and the keys of files already uploaded) are encrypted under a key that
    lives only in the reporter's cookie; after submission it holds the receipt, sealed the same way, for a few
    minutes so a repeated POST shows the same receipt, then it is deleted (secure_delete overwrites it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload_ct = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)  # rounded up to EXPIRY_GRANULARITY (intake/drafts.py)

    class Meta:
        db_table = "intake_draft"


class PendingBlob(models.Model):
    """A file name reserved before its encrypted bytes are written. The sweeper deletes a stored file only when
    neither a reservation nor an attachment names it, so it needs no file timestamps to tell a write in progress
    from the debris of a crash."""

    name = models.CharField(max_length=32, unique=True)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="blobs")
    reserved_on = models.DateField()

    class Meta:
        db_table = "intake_pendingblob"


class StoredChunk(models.Model):
    """One encrypted chunk of a stored file, when files are kept in the database (lib/storage.py, so that every app
    host sees them). The ciphertext binds the blob's name, the index and `last` as associated data, so rows cannot
    be reordered, moved between blobs or dropped unnoticed. No time column: nothing says when a reporter uploaded.
    Only the store writes these rows; a blob is reached through the Attachment (or reservation) that names it."""

    blob_name = models.CharField(max_length=32)
    index = models.PositiveIntegerField()
    last = models.BooleanField()
    ciphertext = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blob_name", "index"], name="storedchunk_one_row_per_index")]


class ReceiptFailureWindow(models.Model):
    """Global budget of receipt attempts per fixed window (reports/throttle.py). Linked to nothing and to no one."""

    window_start = models.DateTimeField(unique=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "intake_receiptfailurewindow"
