"""Turning clock breaches into escalations (`upstander tick`), and marking them seen.

A breach is a missed deadline the clocks compute (clocks.Breach, keyed "<clock>:<due date>"). It goes first to the
supervisor; still unmet `supervisor_days` later it goes into the overseer's queue. A clock whose breach is itself a
report to the overseer (the 12-month investigation) goes straight there. One Escalation row per (case, breach,
level) — enforced by a unique constraint — so running tick again, or twice a day, escalates nothing twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from upstander.accounts.models import Role, User
from upstander.cases import clocks
from upstander.cases.guards import Refused, atomic, check, label, now, record
from upstander.cases.models import Case, Escalation, EscalationLevel
from upstander.lib import clock

CHUNK = 1000


@dataclass
class TickResult:
    on: str
    cases_checked: int = 0
    due_dates_refreshed: int = 0
    breaches_open: int = 0
    escalated_to_supervisor: int = 0
    escalated_to_overseer: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _open_case_ids() -> list[int]:
    return list(Case.objects.filter(closed_on__isnull=True).order_by("id").values_list("id", flat=True))


def run_tick(*, actor, on: date | None = None, progress=None) -> TickResult:
    """Refresh every open case's due-date cache and escalate each breach once. Idempotent."""
    if getattr(actor, "role", None) != "system":
        raise Refused("Refused: tick runs as a system actor (system:tick).")
    on = on or clock.today()
    clock_spec = clocks.spec()  # read once: the policy file does not change during a run
    supervisor_days = int(clock_spec.get("supervisor_days", 7))
    result = TickResult(on=on.isoformat())
    ids = _open_case_ids()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        with atomic():
            _tick_chunk(chunk, on, supervisor_days, actor, result, clock_spec)
        if progress is not None:
            progress(len(chunk))
    return result


def _tick_chunk(chunk: list[int], on: date, supervisor_days: int, actor, result: TickResult, clock_spec: dict) -> None:
    facts = clocks.facts_for_cases(chunk)
    cached = {pk: (d, k) for pk, d, k in Case.objects.filter(id__in=chunk).values_list("id", "due_on", "due_clock")}
    existing: dict[tuple[int, str, str], date] = {
        (c, k, lv): raised for c, k, lv, raised in Escalation.objects.filter(case_id__in=chunk).values_list(
            "case_id", "breach_key", "level", "raised_on")}
    codes = {pk: str(uid) for pk, uid in Case.objects.filter(id__in=chunk).values_list("id", "public_id")}
    stale = []
    for case_id in chunk:
        result.cases_checked += 1
        computed = clocks.compute(facts[case_id], on, clock_spec)
        due = clocks.next_due(computed)
        if cached.get(case_id) != due:
            stale.append(Case(id=case_id, due_on=due[0], due_clock=due[1]))
        for breach in clocks.breaches(computed):
            result.breaches_open += 1
            first = EscalationLevel.OVERSEER if breach.escalate == "overseer" else EscalationLevel.SUPERVISOR
            raised = existing.get((case_id, breach.key, first))
            if raised is None:
                _escalate(case_id, codes[case_id], breach, first, on, actor, result)
            elif (first == EscalationLevel.SUPERVISOR and on >= raised + timedelta(days=supervisor_days)
                  and (case_id, breach.key, EscalationLevel.OVERSEER) not in existing):
                _escalate(case_id, codes[case_id], breach, EscalationLevel.OVERSEER, on, actor, result)
    Case.objects.bulk_update(stale, ["due_on", "due_clock"], batch_size=500)
    result.due_dates_refreshed += len(stale)


def _escalate(case_id: int, public_id: str, breach: clocks.Breach, level: str, on: date, actor, result: TickResult) -> None:
    Escalation.objects.create(case_id=case_id, clock=breach.clock, breach_key=breach.key, due_on=breach.due_on, level=level,
                              raised_on=on, raised_by=label(actor))
    if level == EscalationLevel.OVERSEER:
        result.escalated_to_overseer += 1
    else:
        result.escalated_to_supervisor += 1
    record(actor, "case.escalate", object_type="cases.case", object_id=public_id,
           reason=f"{breach.key} to {level} ({(on - breach.due_on).days} day(s) late)")


def escalations_for(actor: User):
    """Escalations the actor should act on: the overseer's queue, or a supervisor's unit."""
    from upstander.cases.access import visible_cases

    qs = Escalation.objects.select_related("case")
    if isinstance(actor, User) and actor.role == Role.OVERSEER:
        return qs.filter(level=EscalationLevel.OVERSEER)
    if isinstance(actor, User) and actor.role == Role.SUPERVISOR:
        return qs.filter(level=EscalationLevel.SUPERVISOR, case__in=visible_cases(actor))
    return qs.none()


def seen_action(escalation: Escalation) -> str:
    """The action (policy/workflow.toml) of marking this escalation seen: the overseer's level or the supervisor's."""
    return "see_overseer_escalation" if escalation.level == EscalationLevel.OVERSEER else "see_escalation"


def do_mark_escalation_seen(*, actor, escalation: Escalation, note: str = "") -> Escalation:
    """The supervisor (their level) or the overseer (any) records that they have seen it, with what they did."""
    case = escalation.case
    with atomic():
        check(actor, case, seen_action(escalation))
        escalation.seen_at = now()
        escalation.seen_by = label(actor)
        escalation.note = note.strip()
        escalation.save(update_fields=["seen_at", "seen_by", "note"])
        record(actor, "case.escalation_seen", case, reason=f"{escalation.breach_key}" + (f": {escalation.note}" if note else ""))
    return escalation
