"""Append to and verify the audit chain.

`record()` must be called inside the caller's transaction (every action does), so the audit row commits or rolls
back with the change it describes. Appends are serialised — BEGIN IMMEDIATE on SQLite (settings), an advisory
transaction lock on PostgreSQL — so two writers can never read the same previous hash and fork the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from upstander.audit.chain import GENESIS, Head, event_hash
from upstander.audit.models import AuditEvent
from upstander.lib import clock

__all__ = ["GENESIS", "Actor", "VerifyResult", "actor_of", "event_hash", "head", "lock_chain", "record",
           "verify_chain"]

_PG_LOCK_KEY = 0x75707374  # "upst"

REPORTER_ROLE = "reporter"


@dataclass(frozen=True)
class Actor:
    """Who did something: a staff user, a named system actor (`system:tick`), or a reporter."""

    label: str
    role: str

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(label=f"system:{name}", role="system")

    @classmethod
    def reporter(cls) -> Actor:
        return cls(label="reporter", role=REPORTER_ROLE)


def actor_of(user_or_actor) -> Actor:
    if isinstance(user_or_actor, Actor):
        return user_or_actor
    return Actor(label=f"user:{user_or_actor.username}", role=user_or_actor.role)


def lock_chain() -> None:
    """Serialise with every other append (call inside a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
    # SQLite: the surrounding transaction began IMMEDIATE, so this connection already holds the write lock.


def record(actor, action: str, obj=None, *, reason: str = "", object_type: str = "", object_id: str = "",
           at: datetime | None = None) -> AuditEvent:
    """Append one event. Call inside `transaction.atomic()` together with the change it describes."""
    who = actor_of(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or getattr(obj, "code", None) or obj.pk)
    when = at or clock.now()
    if who.role == REPORTER_ROLE:
        when = clock.start_of_day(clock.local_date(when))  # the reporter's day only, in the profile's time zone
    with transaction.atomic():
        lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        prev_hash = last[1] if last else GENESIS
        next_id = (last[0] + 1) if last else 1
        digest = event_hash(id=next_id, action=action, actor=who.label, role=who.role, object_type=object_type,
                            object_id=object_id, at=when, reason=reason, prev_hash=prev_hash)
        return AuditEvent.objects.create(id=next_id, hash=digest, action=action, actor=who.label, role=who.role,
                                         object_type=object_type, object_id=object_id, at=when, reason=reason,
                                         prev_hash=prev_hash)


def head() -> Head:
    """The chain's last event (id 0 and the genesis hash while the log is empty)."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return Head(last[0], last[1]) if last else Head(0, GENESIS)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


def verify_chain(batch: int = 5000) -> VerifyResult:
    """Recompute every hash in id order; report the first row whose hash or link does not hold."""
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for row in rows:
            if row.id != expected_id:
                return VerifyResult(False, checked, row.id, f"missing rows before id {row.id}")
            computed = event_hash(id=row.id, action=row.action, actor=row.actor, role=row.role,
                                  object_type=row.object_type, object_id=row.object_id, at=row.at,
                                  reason=row.reason, prev_hash=row.prev_hash)
            if row.prev_hash != prev_hash or computed != row.hash:
                return VerifyResult(False, checked, row.id, "hash does not match")
            prev_hash = row.hash
            expected_id += 1
            checked += 1
            last_id = row.id
    return VerifyResult(True, checked)
