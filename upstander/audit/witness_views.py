"""The overseer's page about the witness: when it last confirmed the audit log, in plain words. The same summary
is shown on the overseer's queue (the `witness_status` template tag)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.timesince import timesince
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.audit.models import AuditCheckpoint
from upstander.audit.witness import latest_confirmation, stale_after
from upstander.lib import clock


def witness_summary() -> dict[str, Any]:
    """One state and the facts the sentence about it needs. States, worst first: no_longer_matches (the log was
    changed under what the witness confirmed), mismatch_reported, bad_signature, never, stale, unchecked, ok."""
    found = latest_confirmation()
    hours = int(stale_after().total_seconds() // 3600)
    if found is None:
        state = "never"
    elif not found.still_matches:
        state = "no_longer_matches"
    elif found.mismatch_reported:
        state = "mismatch_reported"
    elif found.signature_checked and not found.signature_ok:
        state = "bad_signature"
    elif found.stale:
        state = "stale"
    elif not found.signature_checked:
        state = "unchecked"
    else:
        state = "ok"
    now = clock.now()
    ago = timesince(found.seen_at, now) if found is not None and found.seen_at is not None else ""
    return {"state": state, "confirmation": found, "stale_after_hours": hours, "warning": state not in ("ok", "unchecked"),
            "ago": "less than a minute" if ago.startswith("0\xa0") or ago.startswith("0 ") else ago}


@never_cache
@staff_view((Role.OVERSEER,))
@require_GET
def witness_page(request: HttpRequest) -> HttpResponse:
    checkpoint = AuditCheckpoint.objects.order_by("-created_at").first()
    return render(request, "audit/witness.html", {"witness": witness_summary(), "checkpoint": checkpoint})
