"""A report's files: staging an upload, attaching it to a report (or a message), listing and reading it.

Each file gets its own key; its two blobs (the original, kept as evidence, and the copy with metadata removed that
handlers see, reports/files.py) are encrypted under it in the store (lib/storage.py), and the key and the file's
name are encrypted under the report's data key (reports/sealing.py).

Crash safety: two store names are reserved (PendingBlob) before any byte is written, the blobs are written (not yet
promoted), the attachment rows replace the reservations in the caller's transaction, and the blobs are promoted
only once that has committed (lib/storage.py: a rename in the directory store, nothing in the database store). reports/sweeper.py finishes or removes whatever a crash left. Called inside the caller's action;
nothing here checks permission or writes the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction

from upstander.lib import clock, crypto, storage
from upstander.reports import sealing
from upstander.reports.files import CheckedFile
from upstander.reports.models import Attachment, Draft, Message, PendingBlob, Report


@dataclass
class StagedFile:
    """A checked file whose two encrypted blobs are already stored (not yet promoted), and their key."""

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
    """Reserve two names, then write the encrypted original and cleaned copy to the store. Reservation first: a
    crash after it leaves a reservation the sweeper can expire, never an unexplained file."""
    key = crypto.new_data_key()
    original, clean = storage.new_name(), storage.new_name()
    today = clock.today()
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
    """Attachment rows for staged files (inside the caller's transaction); the blobs are promoted on commit."""
    today = clock.today()
    rows = []
    for f in staged:
        public_id = uuid.uuid4()
        rows.append(Attachment(
            public_id=public_id, report=report, message=message,
            key_ct=sealing.encrypt_attachment_key(data_key, public_id, f.key),
            name_ct=sealing.encrypt_attachment_name(data_key, public_id, f.name),
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


@dataclass(frozen=True)
class FileEntry:
    """What a page lists about a file: never its blobs or key."""

    public_id: uuid.UUID
    name: str
    kind: str
    size: int
    metadata_removed: bool
    added_on: object
    message_id: int | None

    def as_dict(self) -> dict:
        return {"public_id": self.public_id, "name": self.name, "kind": self.kind, "size": self.size,
                "metadata_removed": self.metadata_removed, "added_on": self.added_on}


def files_of(report: Report, data_key: bytes) -> list[FileEntry]:
    """The report's files in the order they were added, their names opened with the data key."""
    return [FileEntry(a.public_id, sealing.attachment_name(a, data_key), a.get_kind_display(), a.size,
                      a.metadata_removed, a.added_on, a.message_id)
            for a in Attachment.objects.filter(report=report).order_by("id")]


class FileUnavailable(Exception):
    """No such file on this report, or its key or blob cannot be read."""


@dataclass
class OpenedFile:
    name: str
    content_type: str
    inline_safe: bool
    chunks: Iterator[bytes]


def open_clean_copy(report: Report, file_public_id, data_key: bytes) -> OpenedFile:
    """The copy with metadata removed, decrypted chunk by chunk as it is streamed (never the original)."""
    attachment = Attachment.objects.filter(report=report, public_id=file_public_id).first()
    if attachment is None:
        raise FileUnavailable("no such file")
    try:
        key = sealing.attachment_key(attachment, data_key)
        name = sealing.attachment_name(attachment, data_key)
        chunks = storage.read_chunks(attachment.clean_blob, key)  # a missing blob is refused here, not mid-stream
    except (crypto.CryptoError, storage.StoreError) as exc:
        raise FileUnavailable("file not available") from exc
    return OpenedFile(name=name, content_type=attachment.content_type, inline_safe=attachment.inline_safe,
                      chunks=chunks)
