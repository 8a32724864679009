"""Signed checkpoints of the audit chain. Each says "the log had rows up to id N ending in hash H", signed with the
force's own Ed25519 key and written both to the database and to files under DATA_DIR/checkpoints/.

A checkpoint catches a careless or partial change (a truncated log, a row edited without recomputing the rest) and
anyone who copies the checkpoint files off the server. It cannot stop the server's operator, who holds the force's
key and can recompute and re-sign everything: that is what the overseer's witness is for (audit.witness).
`upstander tick` makes one checkpoint per interval of policy/audit.toml by itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from upstander.audit.log import Actor, lock_chain, record
from upstander.audit.models import AuditCheckpoint, AuditEvent
from upstander.lib import clock, crypto, policy
from upstander.lib.keys import ensure_key_files, force_signing_private_key, force_signing_public_key


def checkpoint_dir() -> Path:
    path = Path(settings.DATA_DIR) / "checkpoints"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _message(last_id: int, last_hash: str) -> bytes:
    return json.dumps({"last_event_id": last_id, "last_hash": last_hash}, sort_keys=True).encode()


def checkpoint_interval() -> timedelta:
    return timedelta(minutes=int(policy.load("audit")["checkpoints"]["interval_minutes"]))


def _write(actor: Actor, now: datetime) -> AuditCheckpoint:
    # The checkpoint's own audit event is part of what it covers.
    record(actor, "audit.checkpoint")
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    assert last is not None
    signature = crypto.b64(crypto.sign(force_signing_private_key(), _message(*last)))
    return AuditCheckpoint.objects.create(last_event_id=last[0], last_hash=last[1], created_at=now,
                                          signature=signature)


def _write_file(cp: AuditCheckpoint) -> None:
    doc = {"last_event_id": cp.last_event_id, "last_hash": cp.last_hash, "signature": cp.signature}
    (checkpoint_dir() / f"checkpoint-{cp.last_event_id:012d}.json").write_text(json.dumps(doc, sort_keys=True))


def do_checkpoint(*, actor: Actor) -> AuditCheckpoint:
    ensure_key_files()
    with transaction.atomic():
        cp = _write(actor, clock.now())
    _write_file(cp)
    return cp


def do_checkpoint_if_due(*, actor: Actor, now: datetime | None = None) -> AuditCheckpoint | None:
    """At most one checkpoint per interval, however often it runs (and if two run at once: the chain's lock
    serialises them, and the second sees the first's checkpoint)."""
    ensure_key_files()
    now = now or clock.now()
    with transaction.atomic():
        lock_chain()
        latest = AuditCheckpoint.objects.order_by("-created_at").values_list("created_at", flat=True).first()
        if latest is not None and now - latest < checkpoint_interval():
            return None
        cp = _write(actor, now)
    _write_file(cp)
    return cp


@dataclass
class CheckpointProblem:
    event_id: int
    problem: str


def verify_checkpoints() -> list[CheckpointProblem]:
    """Every checkpoint (from the database and from the files) must be validly signed with the force's key and
    match the log: the row it names must exist with the hash it names."""
    public = force_signing_public_key()
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
