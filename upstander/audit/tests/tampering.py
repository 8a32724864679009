"""What someone who runs the force's server can do to the audit log: everything the database and the data
directory allow. Used by the tests that show the witness catches it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import connection

from upstander.audit import db_guard
from upstander.audit.checkpoints import _message, checkpoint_dir
from upstander.audit.log import GENESIS, event_hash
from upstander.audit.models import AuditCheckpoint, AuditEvent
from upstander.lib import crypto
from upstander.lib.keyfiles import keys_dir


def _triggers(drop: bool) -> None:
    sqlite = connection.vendor == "sqlite"
    if drop:
        statements = db_guard.SQLITE_DROP if sqlite else db_guard.POSTGRES_DROP
    else:
        statements = db_guard.SQLITE_TRIGGERS if sqlite else db_guard.POSTGRES_TRIGGERS
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)


def signing_keys_on_the_server() -> list[bytes]:
    """Every Ed25519 private key in the force's data directory (the files that hold one)."""
    found = []
    for path in sorted(keys_dir(Path(settings.DATA_DIR)).glob("*.key")):
        found.append(crypto.unb64(path.read_text().strip()))
    return found


def rewrite_and_recompute(event_id: int, reason: str) -> None:
    """Change one old row, recompute every later hash with the project's own code, and re-sign every checkpoint
    (in the database and in the files) with every signing key in the data directory."""
    _triggers(drop=True)
    prev = AuditEvent.objects.get(id=event_id - 1).hash if event_id > 1 else GENESIS
    with connection.cursor() as cur:
        for row in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
            new_reason = reason if row.id == event_id else row.reason
            digest = event_hash(id=row.id, action=row.action, actor=row.actor, role=row.role,
                                object_type=row.object_type, object_id=row.object_id, at=row.at, reason=new_reason,
                                prev_hash=prev)
            cur.execute("UPDATE audit_event SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
                        [new_reason, prev, digest, row.id])
            prev = digest
    _triggers(drop=False)
    for private in signing_keys_on_the_server():
        for cp in AuditCheckpoint.objects.all():
            new_hash = AuditEvent.objects.get(id=cp.last_event_id).hash
            signature = crypto.b64(crypto.sign(private, _message(cp.last_event_id, new_hash)))
            AuditCheckpoint.objects.filter(pk=cp.pk).update(last_hash=new_hash, signature=signature)
        for path in checkpoint_dir().glob("checkpoint-*.json"):
            event = int(path.stem.split("-")[1])
            new_hash = AuditEvent.objects.get(id=event).hash
            signature = crypto.b64(crypto.sign(private, _message(event, new_hash)))
            path.write_text(f'{{"last_event_id": {event}, "last_hash": "{new_hash}", "signature": "{signature}"}}')


def remove_from(event_id: int) -> None:
    """Delete the newest rows, from `event_id` on."""
    _triggers(drop=True)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_event WHERE id >= %s", [event_id])
    _triggers(drop=False)
