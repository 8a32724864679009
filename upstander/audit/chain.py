"""The audit chain's hash, with no database and no Django: the force's server (audit.log) and the overseer's
witness (upstander.witness), which runs on a machine the force does not control, compute it with the same code.

Each event's hash is SHA-256 over the canonical JSON of every column of its row, its own id and the previous
event's hash included, so changing, renumbering or reordering any row changes every hash after it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from upstander.lib import crypto

GENESIS = "0" * 64
# The columns an event's hash covers, and therefore all that anyone needs to recompute it.
HASHED_FIELDS = ("id", "action", "actor", "role", "object_type", "object_id", "at", "reason", "prev_hash")


def at_text(at: datetime) -> str:
    """The one text form of an event's time that goes into its hash (UTC, microseconds)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def hash_fields(fields: Mapping[str, Any]) -> str:
    """The hash of an event given as {field: value} with `at` already in its text form (`at_text`)."""
    return crypto.sha256_hex(canonical({name: fields[name] for name in HASHED_FIELDS}))


def event_hash(*, id: int, action: str, actor: str, role: str, object_type: str, object_id: str, at: datetime,
               reason: str, prev_hash: str) -> str:
    return hash_fields({"id": id, "action": action, "actor": actor, "role": role, "object_type": object_type,
                        "object_id": object_id, "at": at_text(at), "reason": reason, "prev_hash": prev_hash})


@dataclass(frozen=True)
class Head:
    """The last event of a chain, or of the part of it someone has seen: its id and hash."""

    id: int
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def check_extension(start: Head, events: Iterable[Mapping[str, Any]]) -> tuple[Head, ChainBreak | None]:
    """Check that `events` (dicts of HASHED_FIELDS plus `hash`, in order) continue the chain from `start`: each
    id one more than the last, each prev_hash the last hash, each hash recomputed from the event's own fields.
    Returns the new head (as far as the events held) and the first break, if any."""
    head = start
    for event in events:
        try:
            event_id = int(event["id"])
            recomputed = hash_fields(event)
        except (KeyError, TypeError, ValueError):
            return head, ChainBreak(head.id + 1, "an event is missing fields its hash needs")
        if event_id != head.id + 1:
            return head, ChainBreak(head.id + 1, f"event {head.id + 1} is missing (the next event is {event_id})")
        if event["prev_hash"] != head.hash:
            return head, ChainBreak(event_id, f"event {event_id} does not follow event {head.id} as it was seen: "
                                              "the log before it has been changed (a fork or a rewrite)")
        if recomputed != event.get("hash"):
            return head, ChainBreak(event_id, f"event {event_id}'s hash does not match its own fields")
        head = Head(event_id, str(event["hash"]))
    return head, None
