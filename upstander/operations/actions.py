"""Operations actions: recording an installation and a scheduled job's run. Each runs as a named system actor, in one
transaction with its audit event."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.audit.log import Actor, record
from upstander.lib import clock
from upstander.operations.models import Installation, ScheduledRun

JOBS = ("tick",)  # the witness runs elsewhere; its confirmations are audit events (audit/witness.py)


def _require_system(actor: Actor) -> None:
    if getattr(actor, "role", None) != "system":
        raise PermissionDenied("installation records and scheduled runs are written by a system actor")


def do_record_installation(*, actor: Actor, demo: bool, key_fingerprints: dict[str, str],
                           adopted: bool = False) -> Installation:
    """Create the installation row (or return the one there: at most one exists). `adopted`: the database held data
    from before installation records existed and its key files were kept, not made."""
    _require_system(actor)
    with transaction.atomic():
        existing = Installation.objects.select_for_update().first()
        if existing is not None:
            return existing
        installation = Installation.objects.create(created_on=clock.today(), demo=demo,
                                                   key_fingerprints=key_fingerprints)
        record(actor, "installation.adopt" if adopted else "installation.create", installation,
               reason=("demo; " if demo else "") + "keys: " + ", ".join(sorted(key_fingerprints)))
    return installation


def do_record_run(*, actor: Actor, job: str) -> ScheduledRun:
    """Note that a scheduled job ran now (what /metrics reports as its last run)."""
    _require_system(actor)
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    now = clock.now()
    with transaction.atomic():
        run, created = ScheduledRun.objects.select_for_update().get_or_create(job=job, defaults={"last_run_at": now})
        run.last_run_at = now
        run.runs += 1
        run.save(update_fields=["last_run_at", "runs"])
        record(actor, "schedule.run", object_type="operations.scheduledrun", object_id=job)
    return run
