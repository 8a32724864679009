"""The force's side of the overseer's witness (the witness itself is upstander.witness, run by the overseer): what
the audit log knows of it, without knowing of tokens or accounts.

- `event_fields`, `hash_at`: what the witness's pull returns of each row (its columns, which are all its hash covers
  and which hold no reporter content: reporter events keep the day only) and the hash at an id. The two token
  endpoints and the actions behind them are the overseer's (oversight/witness_feed.py, oversight/witness_api.py).
- `latest_confirmation`: the last head the witness signed and posted back (audit.witness_confirm), checked against
  the overseer's public key deployed with the force's configuration and against the chain, so the overseer's pages
  can say when the witness last confirmed the log.
- `check_against_witness`: `upstander audit verify --witness FILE` — every head the witness signed must still be in
  the chain at its id. Recomputing every hash and re-signing with every key on the server cannot satisfy this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from upstander.audit.chain import GENESIS, at_text
from upstander.audit.models import AuditEvent
from upstander.audit.witness_formats import BadHead, head_signature_ok, parse_head
from upstander.lib import clock, policy
from upstander.lib.keys import overseer_public_key

CONFIRM = "audit.witness_confirm"
MISMATCH = "audit.witness_mismatch"


def event_fields(row: AuditEvent) -> dict[str, Any]:
    """Exactly the columns of an audit row, `at` in the text form its hash covers."""
    return {"id": row.id, "hash": row.hash, "prev_hash": row.prev_hash, "action": row.action, "actor": row.actor,
            "role": row.role, "object_type": row.object_type, "object_id": row.object_id, "at": at_text(row.at),
            "reason": row.reason}


def hash_at(event_id: int) -> str | None:
    if event_id == 0:
        return GENESIS
    return AuditEvent.objects.filter(id=event_id).values_list("hash", flat=True).first()


# --- what the overseer's pages show ---------------------------------------------------------------------------------


@dataclass
class Confirmation:
    event_id: int           # the last event the witness confirmed
    seen_at: datetime | None
    signature_checked: bool  # False: this server has no overseer public key to check it with
    signature_ok: bool
    still_matches: bool      # the chain still has the confirmed hash at that id
    stale: bool
    stale_after_hours: int
    mismatch_reported: bool  # the witness reported a mismatch after its last confirmation


def stale_after() -> timedelta:
    return timedelta(hours=int(policy.load("audit")["witness"]["stale_after_hours"]))


def latest_confirmation() -> Confirmation | None:
    event = AuditEvent.objects.filter(action=CONFIRM).order_by("-id").first()
    if event is None:
        return None
    try:
        signed = parse_head(json.loads(event.reason))
    except (ValueError, BadHead):
        return None
    try:
        seen_at: datetime | None = datetime.fromisoformat(signed["seen_at"])
    except ValueError:
        seen_at = None
    public = overseer_public_key()
    window = stale_after()
    return Confirmation(
        event_id=signed["id"], seen_at=seen_at, signature_checked=public is not None,
        signature_ok=public is not None and head_signature_ok(public, signed),
        still_matches=hash_at(signed["id"]) == signed["hash"],
        stale=seen_at is None or clock.now() - seen_at > window, stale_after_hours=int(window.total_seconds() // 3600),
        mismatch_reported=AuditEvent.objects.filter(action=MISMATCH, id__gt=event.id).exists())


# --- `upstander audit verify --witness FILE` -------------------------------------------------------------------------


@dataclass
class WitnessCheck:
    heads: int
    signatures_checked: bool
    mismatch_id: int | None = None
    bad_signature_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.mismatch_id is None and self.bad_signature_id is None


def check_against_witness(heads: list[dict[str, Any]], public_key: bytes | None) -> WitnessCheck:
    """Every head the witness signed must still be in the chain at its id; the first (lowest) id that is not is
    named. With the witness's public key, every head's signature is checked first."""
    if public_key is not None:
        for signed in heads:
            if not head_signature_ok(public_key, signed):
                return WitnessCheck(len(heads), True, bad_signature_id=signed["id"],
                                    problem=f"the witness's head at id {signed['id']} is not signed with the witness's key")
    wanted = sorted({h["id"]: h["hash"] for h in heads}.items())
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start:start + 1000]
        stored = dict(AuditEvent.objects.filter(id__in=[i for i, _ in chunk]).values_list("id", "hash"))
        stored[0] = GENESIS
        for event_id, expected in chunk:
            if event_id not in stored:
                return WitnessCheck(len(heads), public_key is not None, event_id,
                                    problem=f"the log no longer has event {event_id}, which the witness saw (truncated)")
            if stored[event_id] != expected:
                return WitnessCheck(len(heads), public_key is not None, event_id,
                                    problem=f"event {event_id} no longer has the hash the witness saw (rewritten)")
    return WitnessCheck(len(heads), public_key is not None)
