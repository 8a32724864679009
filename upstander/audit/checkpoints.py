"""Signed checkpoints of the audit chain. Each says "the log had rows up to id N ending in hash H", signed with the
overseer's Ed25519 key and written both to the database and to files the overseer keeps (DATA_DIR/checkpoints/),
so truncating or rewriting the log is detected even by someone with database access."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from upstander.audit.log import Actor, record
from upstander.audit.models import AuditCheckpoint, AuditEvent
from upstander.lib import crypto
from upstander.lib.keys import ensure_key_files, signing_private_key, signing_public_key


def checkpoint_dir() -> Path:
    path = Path(settings.DATA_DIR) / "checkpoints"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _message(last_id: int, last_hash: str) -> bytes:
    return json.dumps({"last_event_id": last_id, "last_hash": last_hash}, sort_keys=True).encode()


def do_checkpoint(*, actor: Actor) -> AuditCheckpoint:
    ensure_key_files()
    with transaction.atomic():
        # The checkpoint's own audit event is part of what it covers.
        record(actor, "audit.checkpoint")
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        assert last is not None
        signature = crypto.b64(crypto.sign(signing_private_key(), _message(*last)))
        cp = AuditCheckpoint.objects.create(last_event_id=last[0], last_hash=last[1], created_at=timezone.now(),
                                            signature=signature)
    doc = {"last_event_id": last[0], "last_hash": last[1], "signature": signature}
    (checkpoint_dir() / f"checkpoint-{last[0]:012d}.json").write_text(json.dumps(doc, sort_keys=True))
    return cp


@dataclass
class CheckpointProblem:
    event_id: int
    problem: str


def verify_checkpoints() -> list[CheckpointProblem]:
    """Every checkpoint (from the database and from the overseer's files) must be validly signed and match the
    log: the row it names must exist with the hash it names."""
    public = signing_public_key()
    docs: list[dict] = [{"last_event_id": c.last_event_id, "last_hash": c.last_hash, "signature": c.signature}
            for c in AuditCheckpoint.objects.all()]
    docs += [json.loads(p.read_text()) for p in sorted(checkpoint_dir().glob("checkpoint-*.json"))]
    problems = []
    for doc in docs:
        event_id, expected = int(doc["last_event_id"]), doc["last_hash"]
        if not crypto.verify_signature(public, _message(event_id, expected), crypto.unb64(doc["signature"])):
            problems.append(CheckpointProblem(event_id, "checkpoint signature is not valid"))
            continue
        actual = AuditEvent.objects.filter(id=event_id).values_list("hash", flat=True).first()
        if actual is None:
            problems.append(CheckpointProblem(event_id, "the log was truncated before this checkpoint"))
        elif actual != expected:
            problems.append(CheckpointProblem(event_id, "the log was rewritten at this checkpoint"))
    return sorted(problems, key=lambda p: p.event_id)
