"""Building a sealed report and its files. Called by the actions (intake/actions.py, cases/report_actions.py),
inside their transaction; nothing here checks permission or writes the audit log itself."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from upstander.intake import sealing, storage
from upstander.intake.files import CheckedFile
from upstander.lib import crypto
from upstander.people.models import Person
from upstander.reports.choices import Channel, ReporterType, ReportingMode, Route
from upstander.reports.models import (
    Attachment,
    Draft,
    Message,
    PendingBlob,
    Report,
    ReporterLink,
    SealedKey,
    SubjectMention,
    UpdateContact,
)

UPDATE_EMAIL_PURPOSE = b"update-email"


@dataclass
class Subject:
    name: str = ""
    number: str = ""
    unit: str = ""

    def is_blank(self) -> bool:
        return not (self.name or self.number or self.unit)


@dataclass
class Identity:
    name: str
    staff_number: str = ""
    email: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "staff_number": self.staff_number, "email": self.email}


@dataclass
class ReportInput:
    mode: str
    reporter_type: str
    narrative: str
    categories: list[str]
    reporter_role: str = ""
    route: str = Route.FORCE
    place: str = ""
    incident_on: date | None = None
    still_works_alongside: bool | None = None
    subjects: list[Subject] = field(default_factory=list)
    identity: Identity | None = None
    wants_update_email: bool = False
    reporter_sex: str = ""
    reporter_ethnicity: str = ""


@dataclass
class StagedFile:
    """A checked file whose two encrypted blobs are already in pending/, and the key they are encrypted under."""

    name: str
    kind: str
    content_type: str
    size: int
    inline_safe: bool
    metadata_removed: bool
    key: bytes
    original_blob: str
    clean_blob: str
    note: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "content_type": self.content_type, "size": self.size,
                "inline": self.inline_safe, "removed": self.metadata_removed, "key": crypto.b64(self.key),
                "original": self.original_blob, "clean": self.clean_blob, "note": self.note}

    @classmethod
    def from_dict(cls, d: dict) -> StagedFile:
        return cls(name=d["name"], kind=d["kind"], content_type=d["content_type"], size=d["size"],
                   inline_safe=d["inline"], metadata_removed=d["removed"], key=crypto.unb64(d["key"]),
                   original_blob=d["original"], clean_blob=d["clean"], note=d.get("note", ""))


def stage_file(checked: CheckedFile, *, draft: Draft | None = None) -> StagedFile:
    """Reserve two names, then write the encrypted original and cleaned copy to pending/. Reservation first: a
    crash after it leaves a reservation the sweeper can expire, never an unexplained file."""
    key = crypto.new_data_key()
    original, clean = storage.new_name(), storage.new_name()
    today = timezone.localdate()
    with transaction.atomic():
        PendingBlob.objects.bulk_create([PendingBlob(name=n, draft=draft, reserved_on=today) for n in (original, clean)])
    storage.write_pending(original, key, checked.original)
    storage.write_pending(clean, key, checked.clean)
    return StagedFile(name=checked.name, kind=checked.kind, content_type=checked.content_type, size=checked.size,
                      inline_safe=checked.inline_safe, metadata_removed=checked.metadata_removed, key=key,
                      original_blob=original, clean_blob=clean, note=checked.note)


def discard_staged(staged: StagedFile) -> None:
    with transaction.atomic():
        PendingBlob.objects.filter(name__in=[staged.original_blob, staged.clean_blob]).delete()
    storage.delete(staged.original_blob)
    storage.delete(staged.clean_blob)


def attach(report: Report, data_key: bytes, staged: Sequence[StagedFile], *,
           message: Message | None = None) -> list[Attachment]:
    """Attachment rows for staged files (inside the caller's transaction); the blobs move to files/ on commit."""
    today = timezone.localdate()
    rows = []
    for f in staged:
        public_id = uuid.uuid4()
        rows.append(Attachment(
            public_id=public_id, report=report, message=message,
            key_ct=crypto.encrypt(data_key, f.key, context=sealing.attachment_context(public_id, "key")),
            name_ct=crypto.encrypt_text(data_key, f.name, context=sealing.attachment_context(public_id, "name")),
            original_blob=f.original_blob, clean_blob=f.clean_blob, kind=f.kind, content_type=f.content_type,
            inline_safe=f.inline_safe, metadata_removed=f.metadata_removed, size=f.size, added_on=today))
    Attachment.objects.bulk_create(rows)
    names = [n for f in staged for n in (f.original_blob, f.clean_blob)]
    PendingBlob.objects.filter(name__in=names).delete()
    def promote_all() -> None:
        for name in names:
            storage.promote(name)

    transaction.on_commit(promote_all)
    return rows


def attachment_key(attachment: Attachment, data_key: bytes) -> bytes:
    return crypto.decrypt(data_key, bytes(attachment.key_ct), context=sealing.attachment_context(attachment.public_id, "key"))


def attachment_name(attachment: Attachment, data_key: bytes) -> str:
    return crypto.decrypt_text(data_key, bytes(attachment.name_ct),
                               context=sealing.attachment_context(attachment.public_id, "name"))


def match_staff_reporter(identity: Identity | None) -> Person | None:
    """The roster entry of a staff reporter who gave their warrant or staff number, if it matches: the number, and
    the roster family name appearing in the name they gave (so a mistyped number does not link someone else)."""
    if identity is None or not identity.staff_number.strip():
        return None
    person = Person.objects.filter(number__iexact=identity.staff_number.strip()).first()
    if person is None or person.family_name.lower() not in identity.name.lower():
        return None
    return person


def create_report(data: ReportInput, *, receipt: tuple[bytes, str] | None, channel: str = Channel.ONLINE,
                  received_on: date | None = None, facilitator=None, files: Sequence[StagedFile] = ()) -> Report:
    """Create the report, sealed. `receipt` is (receipt key, lookup) or None. Call inside transaction.atomic()."""
    data_key = crypto.new_data_key()
    public_id = uuid.uuid4()
    route = data.route if data.reporter_type == ReporterType.STAFF else Route.FORCE
    identity = data.identity if data.mode != ReportingMode.ANONYMOUS else None
    report = Report(
        public_id=public_id, channel=channel, mode=data.mode, route=route, reporter_type=data.reporter_type,
        reporter_role=data.reporter_role, categories=list(data.categories),
        received_on=received_on or timezone.localdate(), incident_on=data.incident_on,
        still_works_alongside=data.still_works_alongside, handling_org=sealing.handling_org(route),
        reporter_sex=data.reporter_sex, reporter_ethnicity=data.reporter_ethnicity,
        narrative_ct=sealing.encrypt_field(data_key, public_id, "narrative", data.narrative),
        place_ct=sealing.encrypt_field(data_key, public_id, "place", data.place) if data.place else None,
        wants_update_email=bool(data.wants_update_email and data.mode == ReportingMode.NAMED and identity
                                and identity.email),
        facilitator=facilitator,
    )
    if identity is not None and data.mode == ReportingMode.NAMED:
        report.identity_ct = sealing.encrypt_identity(data_key, public_id, identity.as_dict())
    elif identity is not None and data.mode == ReportingMode.CONFIDENTIAL:
        report.sealed_identity = sealing.seal_identity(identity.as_dict())
    if receipt is not None:
        receipt_key, lookup = receipt
        report.receipt_lookup = lookup
        report.receipt_sealed_key = crypto.encrypt(receipt_key, data_key, context=sealing.receipt_context(public_id))
    report.save()
    SealedKey.objects.bulk_create([SealedKey(report=report, organisation=org, sealed=crypto.seal(bytes(org.public_key), data_key))
                                   for org in sealing.recipients(route)])
    SubjectMention.objects.bulk_create([
        SubjectMention(report=report, name_as_written=s.name[:200], number_as_written=s.number[:64],
                       unit_as_written=s.unit[:200])
        for s in data.subjects if not s.is_blank()])
    if data.reporter_type == ReporterType.STAFF and identity is not None:
        person = match_staff_reporter(identity)
        if person is not None:
            ReporterLink.objects.create(report=report, person=person)
    if report.wants_update_email and identity is not None:
        UpdateContact.objects.create(report=report, email_ct=sealing.server_encrypt(
            UPDATE_EMAIL_PURPOSE + str(public_id).encode(), identity.email.encode()))
    if files:
        attach(report, data_key, list(files))
    return report
