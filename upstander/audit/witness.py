"""The force's side of the overseer's witness (the witness itself is upstander.witness, run by the overseer).

- `do_witness_pull`: what the witness's token may read — the audit rows after an id (each row's columns, which are
  all its hash covers and which hold no reporter content: reporter events keep the day only), the chain's head, and
  the hash at the id the witness last saw. The pull itself is audited.
- `do_record_witness_head`: the witness posts back the head it has just signed; it is checked against the
  overseer's public key deployed with the force's configuration and against the chain, then kept in the audit log,
  so the overseer's pages can say when the witness last confirmed the log.
- `check_against_witness`: `upstander audit verify --witness FILE` — every head the witness signed must still be in
  the chain at its id. Recomputing every hash and re-signing with every key on the server cannot satisfy this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from upstander.accounts.models import ApiToken
from upstander.audit.chain import GENESIS, at_text
from upstander.audit.log import head, record
from upstander.audit.models import AuditEvent
from upstander.lib import clock, policy
from upstander.lib.keys import overseer_public_key
from upstander.people.actions import token_actor
from upstander.witness.formats import BadHead, head_signature_ok, parse_head

AUDIT_WITNESS_SCOPE = "audit_witness"
PULL_LIMIT = 1000
PULL_LIMIT_MAX = 5000
CONFIRM = "audit.witness_confirm"
MISMATCH = "audit.witness_mismatch"


class WitnessNotConfigured(Exception):
    """The force's configuration has no overseer public key to check the witness's signature with."""


def _require_witness(token: ApiToken) -> None:
    if token.revoked_at is not None or token.scope != AUDIT_WITNESS_SCOPE:
        raise PermissionDenied("this token may not read the audit chain")


def event_fields(row: AuditEvent) -> dict[str, Any]:
    """Exactly the columns of an audit row, `at` in the text form its hash covers."""
    return {"id": row.id, "hash": row.hash, "prev_hash": row.prev_hash, "action": row.action, "actor": row.actor,
            "role": row.role, "object_type": row.object_type, "object_id": row.object_id, "at": at_text(row.at),
            "reason": row.reason}


def _hash_at(event_id: int) -> str | None:
    if event_id == 0:
        return GENESIS
    return AuditEvent.objects.filter(id=event_id).values_list("hash", flat=True).first()


def do_witness_pull(*, token: ApiToken, after: int, limit: int = PULL_LIMIT) -> dict[str, Any]:
    _require_witness(token)
    limit = max(1, min(limit, PULL_LIMIT_MAX))
    with transaction.atomic():
        # Audited before anything is read, so the pull is part of what it returns.
        record(token_actor(token), "audit.witness_pull", object_type="audit", reason=f"events after {after}")
        rows = list(AuditEvent.objects.filter(id__gt=after).order_by("id")[:limit + 1])
        current = head()
        anchor = _hash_at(after)
    more = len(rows) > limit
    return {"after": after, "anchor": {"id": after, "hash": anchor}, "head": {"id": current.id, "hash": current.hash},
            "events": [event_fields(r) for r in rows[:limit]], "more": more}


@dataclass
class RecordedHead:
    matches: bool
    event: AuditEvent


def do_record_witness_head(*, token: ApiToken, head_doc: Any) -> RecordedHead:
    """Keep a head the witness signed. Refuses one that is malformed or not signed with the overseer's key; a
    validly signed head the chain no longer matches is kept as an alarm (audit.witness_mismatch)."""
    _require_witness(token)
    try:
        signed = parse_head(head_doc)
    except BadHead as exc:
        raise ValidationError(str(exc)) from None
    public = overseer_public_key()
    if public is None:
        raise WitnessNotConfigured("this server has no overseer public key to check the witness's signature "
                                   "(UPSTANDER_OVERSEER_PUBLIC_KEY_FILE)")
    if not head_signature_ok(public, signed):
        raise ValidationError("the head is not signed with the overseer's key")
    text = json.dumps(signed, sort_keys=True)
    with transaction.atomic():
        matches = _hash_at(signed["id"]) == signed["hash"]
        event = record(token_actor(token), CONFIRM if matches else MISMATCH, object_type="audit",
                       object_id=str(signed["id"]), reason=text)
    return RecordedHead(matches, event)


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
        still_matches=_hash_at(signed["id"]) == signed["hash"],
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
