"""Shared checks for case actions: who may act, the move from stage to stage, and its record.

`move()` is the only code that changes `Case.state`: it refuses a transition that policy/workflow.toml does not
allow from the current stage, by someone it does not name, without reasons where reasons are required, or while
a safety-net flag is unresolved; then writes the StageEvent, refreshes the clock cache and audits — inside the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from upstander.accounts.models import Role, User
from upstander.audit.log import Actor, actor_of, record
from upstander.cases import clocks, workflow
from upstander.cases.access import can_see
from upstander.cases.models import Assignment, Case, Flag, StageEvent


class Refused(PermissionDenied):
    """An action the actor may not take, or not now; the message says why, in words a handler can act on."""


class ReasonsRequired(Refused):
    """Not proceeding, downgrading and closing are refused without written reasons."""


def label(actor) -> str:
    return actor_of(actor).label


def now() -> datetime:
    return timezone.now()


def start_of_day(day: date) -> datetime:
    """Local midnight of a day: reporter-side dates carry the day only."""
    return datetime(day.year, day.month, day.day, tzinfo=clocks.zone())


def require_reasons(reasons: str, doing: str) -> str:
    text = (reasons or "").strip()
    if len(text) < 5:
        raise ReasonsRequired(f"Refused: written reasons are required to {doing}.")
    return text


def holds(actor, case: Case, who: Iterable[str]) -> bool:
    """Whether the actor is one of `who` (workflow.toml's vocabulary) for this case."""
    if not isinstance(actor, User) or not actor.is_authenticated or not can_see(actor, case):
        return False
    who = set(who)
    if actor.role == Role.OVERSEER:
        return "overseer" in who
    if actor.role == Role.SUPERVISOR and "supervisor" in who:
        return True
    if actor.role not in (Role.HANDLER, Role.SUPERVISOR):
        return False
    if "owner" in who and case.owner_id == actor.pk:
        return True
    roles = who & {"assessor", "investigator", "decision_maker"}
    return bool(roles) and Assignment.objects.filter(case=case, user=actor, role__in=roles, ended_at__isnull=True).exists()


def require(actor, case: Case, who: Iterable[str], doing: str) -> None:
    if not holds(actor, case, who):
        allowed = ", ".join(w.replace("_", "-") for w in who)
        raise Refused(f"Refused: you may not {doing} on case {case.code} (allowed: {allowed}).")


def require_open(case: Case, doing: str) -> None:
    if not workflow.is_open(case.state):
        raise Refused(f"Refused: case {case.code} is closed, so you may not {doing}.")


def unresolved_flags(case: Case):
    return Flag.objects.filter(case=case, resolved_at__isnull=True)


def refresh_due(case: Case) -> None:
    clocks.refresh_due([case.pk])


def move(case: Case, target: str, *, actor, reasons: str = "", doing: str = "", allegation=None,
         at: datetime | None = None) -> StageEvent:
    """Move the case to `target` if policy allows it now. Call inside transaction.atomic()."""
    step = workflow.transition(case.state, target)
    doing = doing or f"move the case to “{workflow.stage_label(target)}”"
    if step is None:
        allowed = ", ".join(workflow.stage_label(s) for s in workflow.next_stages(case.state)) or "none"
        raise Refused(f"Refused: a case at “{workflow.stage_label(case.state)}” cannot {doing} "
                      f"(next steps from here: {allowed}).")
    require(actor, case, step.who, doing)
    if step.reasons:
        reasons = require_reasons(reasons, doing)
    if step.flag_blocks:
        open_flags = sorted(set(unresolved_flags(case).values_list("flag", flat=True)))
        if open_flags:
            raise Refused(f"Refused: the safety net flagged this case ({', '.join(f.replace('_', ' ') for f in open_flags)}). "
                          "A handler must resolve the flag with written reasons before the case moves on.")
    source = case.state
    case.state = target
    fields = ["state"]
    if not workflow.is_open(target):
        case.closed_on = clocks.today()
        fields.append("closed_on")
    case.save(update_fields=fields)
    event = StageEvent.objects.create(case=case, allegation=allegation, stage=target, at=at or now(),
                                      actor=label(actor), reason=reasons)
    refresh_due(case)
    record(actor, f"case.{target}", case, reason=f"{source} → {target}" + (f": {reasons}" if reasons else ""))
    return event


def atomic():
    return transaction.atomic()


__all__ = ["Actor", "ReasonsRequired", "Refused", "atomic", "holds", "label", "move", "now", "record", "refresh_due", "require",
           "require_open", "require_reasons", "start_of_day", "unresolved_flags"]
