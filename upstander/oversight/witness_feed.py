"""The actions behind the overseer's witness's two token endpoints (oversight/witness_api.py): what a token of scope
`audit_witness` may read of the audit chain, and the head the witness posts back once it has signed it.

- `do_witness_pull`: the audit rows after an id (audit/witness.py:event_fields), the chain's head, and the hash at
  the id the witness last saw. The pull itself is audited.
- `do_record_witness_head`: the signed head is checked against the overseer's public key deployed with the force's
  configuration and against the chain, then kept in the audit log (audit.witness_confirm), so the overseer's pages
  can say when the witness last confirmed the log; a validly signed head the chain no longer matches is kept as an
  alarm (audit.witness_mismatch).

They live with the overseer's pages rather than in the audit app because they know of tokens (accounts, people):
the audit log is a foundation layer that imports neither.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from upstander.accounts.models import ApiToken
from upstander.audit.log import head, record
from upstander.audit.models import AuditEvent
from upstander.audit.witness import CONFIRM, MISMATCH, event_fields, hash_at
from upstander.audit.witness_formats import BadHead, head_signature_ok, parse_head
from upstander.lib.keys import overseer_public_key
from upstander.people.actions import token_actor

AUDIT_WITNESS_SCOPE = "audit_witness"
PULL_LIMIT = 1000
PULL_LIMIT_MAX = 5000


class WitnessNotConfigured(Exception):
    """The force's configuration has no overseer public key to check the witness's signature with."""


def _require_witness(token: ApiToken) -> None:
    if token.revoked_at is not None or token.scope != AUDIT_WITNESS_SCOPE:
        raise PermissionDenied("this token may not read the audit chain")


def do_witness_pull(*, token: ApiToken, after: int, limit: int = PULL_LIMIT) -> dict[str, Any]:
    _require_witness(token)
    limit = max(1, min(limit, PULL_LIMIT_MAX))
    with transaction.atomic():
        # Audited before anything is read, so the pull is part of what it returns.
        record(token_actor(token), "audit.witness_pull", object_type="audit", reason=f"events after {after}")
        rows = list(AuditEvent.objects.filter(id__gt=after).order_by("id")[:limit + 1])
        current = head()
        anchor = hash_at(after)
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
        matches = hash_at(signed["id"]) == signed["hash"]
        event = record(token_actor(token), CONFIRM if matches else MISMATCH, object_type="audit",
                       object_id=str(signed["id"]), reason=text)
    return RecordedHead(matches, event)
