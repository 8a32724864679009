"""Shared plumbing for case actions: the move from stage to stage, written reasons, and the record.

Whether an actor may do something is decided in one place, cases/permissions.py (`may`/`check`); this module only
carries out a step it allows. `move()` is the only code that changes `Case.state`: it asks `check()`, takes the
stage the policy names for the step from the current stage, requires reasons where the policy does, then writes
the StageEvent, refreshes the clock cache and audits — inside the caller's transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from upstander.audit.log import Actor, actor_of, record
from upstander.cases import clocks, workflow
from upstander.cases.models import Case, StageEvent
from upstander.cases.permissions import STEPS, ReasonsRequired, Refused, check, holds, may
from upstander.lib import clock


def label(actor) -> str:
    return actor_of(actor).label


def now() -> datetime:
    return clock.now()


def start_of_day(day: date) -> datetime:
    """Local midnight of a day: reporter-side dates carry the day only."""
    return clock.start_of_day(day)


def require_reasons(reasons: str, doing: str) -> str:
    text = (reasons or "").strip()
    if len(text) < 5:
        raise ReasonsRequired(f"Refused: written reasons are required to {doing}.")
    return text


def refresh_due(case: Case) -> None:
    clocks.refresh_due([case.pk])


def move(case: Case, action: str, *, actor, reasons: str = "", allegation=None, at: datetime | None = None) -> StageEvent:
    """Take the step `action` (policy/workflow.toml) if `check` allows it now. Call inside transaction.atomic()."""
    check(actor, case, action)
    step = workflow.step(action, case.state)
    assert step is not None  # check() refuses a step the policy has not got from this stage
    if step.reasons:
        reasons = require_reasons(reasons, STEPS[action])
    elif step.late_after:
        deadline = next((c.due_on for c in clocks.clocks_for(case) if c.key == step.late_after), None)
        if deadline is not None and clock.today() > deadline:
            reasons = require_reasons(reasons, f"{STEPS[action]} after {deadline:%d %B %Y}")
    source, target = case.state, step.target
    case.state = target
    fields = ["state"]
    if not workflow.is_open(target):
        case.closed_on = clock.today()
        fields.append("closed_on")
    case.save(update_fields=fields)
    event = StageEvent.objects.create(case=case, allegation=allegation, stage=target, at=at or now(),
                                      actor=label(actor), reason=reasons)
    refresh_due(case)
    record(actor, f"case.{target}", case, reason=f"{source} → {target}" + (f": {reasons}" if reasons else ""))
    return event


def atomic():
    return transaction.atomic()


__all__ = ["Actor", "ReasonsRequired", "Refused", "atomic", "check", "holds", "label", "may", "move", "now", "record",
           "refresh_due", "require_reasons", "start_of_day"]
