"""Finishes or removes what an interrupted request or a crash left behind, in either file store (lib/storage.py),
without using timestamps:

- expired drafts (and with them their blob reservations) are deleted;
- a stored blob that an attachment names is promoted (directory store: the crash came after commit, before the
  rename into files/; the database store has nothing to promote);
- a stored, unpromoted blob that neither an attachment nor a reservation names is deleted (the crash came before
  commit, or the draft expired), as is a half-written one whose name is not reserved (directory store only: the
  database store writes a blob's chunks in one transaction);
- a promoted blob that no attachment names is deleted (its report was purged);
- with the database store, blobs an earlier directory store left on this host's disk are moved into the database
  first (lib/storage.adopt_directory_files), and then treated like any other.

Ordering makes it safe to run beside live requests, and on one host while others write: the store is listed
before the database is asked, and reservations are read before attachments, because a name only ever moves from
reserved to attached, and is reserved before its first byte is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from upstander.lib import clock, storage
from upstander.reports.models import Attachment, Draft, PendingBlob, ReceiptFailureWindow
from upstander.reports.throttle import window_start


@dataclass
class SweepResult:
    drafts_deleted: int = 0
    reservations_deleted: int = 0
    promoted: int = 0
    orphans_deleted: int = 0
    moved_into_database: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _attached_names() -> set[str]:
    names: set[str] = set()
    for original, clean in Attachment.objects.values_list("original_blob", "clean_blob").iterator():
        names.update((original, clean))
    return names


def _purge_expired_drafts() -> int:
    """Expired drafts go, and with them their file reservations (secure_delete overwrites them)."""
    _, per_model = Draft.objects.filter(expires_at__lt=clock.now()).delete()
    return per_model.get(Draft._meta.label, 0)


def sweep() -> SweepResult:
    """Idempotent; `upstander tick` and `upstander intake sweep` run it."""
    result = SweepResult(drafts_deleted=_purge_expired_drafts())
    yesterday = clock.today() - timedelta(days=1)
    result.reservations_deleted, _ = PendingBlob.objects.filter(draft__isnull=True, reserved_on__lt=yesterday).delete()
    ReceiptFailureWindow.objects.filter(window_start__lt=window_start()).delete()

    result.moved_into_database = storage.adopt_directory_files()
    stored = storage.inventory()
    reserved = set(PendingBlob.objects.values_list("name", flat=True))
    attached = _attached_names()
    for name in stored.pending:
        if name in attached:
            result.promoted += storage.promote(name)
        elif name not in reserved:
            storage.delete(name)
            result.orphans_deleted += 1
    for name in stored.partial:
        if name not in reserved:
            storage.delete_partial(name)
            result.orphans_deleted += 1

    attached = _attached_names()
    for name in stored.final:
        if name not in attached:
            storage.delete(name)
            result.orphans_deleted += 1
    return result
