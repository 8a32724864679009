"""Statutory clocks, derived — never stored. `compute(facts, today)` is a pure function of a case's events and
policy/clocks.toml; "is it overdue" is always computed from it.

Events are reduced to local calendar dates in the policy's time zone (Europe/London by default) before any
arithmetic, so a clock change never moves a deadline and an event at 00:30 BST counts on its London day.
`Case.due_on` is a cache of `next_due()` that actions and `upstander tick` rewrite, so the queue can sort by urgency
in SQL; it holds a due date (a function of events only), never whether the date has passed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from upstander.cases.workdays import DayCalendar
from upstander.lib import clock

NOT_STARTED, RUNNING, MET, MET_LATE, OVERDUE, LAPSED, STOPPED = (
    "not_started", "running", "met", "met_late", "overdue", "lapsed", "stopped")
STATUS_LABELS = {
    NOT_STARTED: "Not started", RUNNING: "Running", MET: "Met on time", MET_LATE: "Met late",
    OVERDUE: "Overdue", LAPSED: "Window closed", STOPPED: "Stopped (case closed)",
}


@dataclass(frozen=True)
class Facts:
    """What the clocks need to know about a case: local dates only."""

    received_on: date
    came_to_attention_on: date
    stages: tuple[tuple[str, date], ...] = ()  # (stage key, local date) in the order they happened
    messages_to_reporter: tuple[date, ...] = ()
    closed_on: date | None = None


@dataclass(frozen=True)
class Breach:
    clock: str
    key: str  # unique per missed deadline, so each is escalated once: "<clock>:<due date>"
    due_on: date
    escalate: str  # "supervisor" or "overseer"


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    status: str
    started_on: date | None = None
    due_on: date | None = None
    met_on: date | None = None
    escalate: str = "supervisor"
    breaches: tuple[Breach, ...] = field(default_factory=tuple)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def days_late(self, today: date) -> int:
        if self.status != OVERDUE or self.due_on is None:
            return 0
        return (today - self.due_on).days


def spec() -> dict[str, Any]:
    return clock.clock_policy()


# The one clock (upstander/lib/clock.py): kept under these names for the callers of this module.
zone = clock.zone
local_date = clock.local_date
today = clock.today


def _stage_dates(facts: Facts, key: str) -> list[date]:
    return [d for s, d in facts.stages if s == key]


def _event_dates(facts: Facts, names: Iterable[str]) -> list[date]:
    found: list[date] = []
    for name in names:
        found.extend(facts.messages_to_reporter if name == "message" else _stage_dates(facts, name))
    return sorted(found)


def _start(facts: Facts, start: str, cal: DayCalendar, clock_specs: Sequence[dict]) -> date | None:
    if start == "received":
        return facts.received_on
    if start == "came_to_attention":
        return facts.came_to_attention_on
    if start == "last_update":
        updates = [d for _, d in facts.stages] + list(facts.messages_to_reporter)
        return max(updates, default=facts.received_on)
    dates = _stage_dates(facts, start)
    return dates[-1] if dates else None


def _start_of(facts: Facts, c: dict, cal: DayCalendar, clock_specs: Sequence[dict]) -> date | None:
    """When clock `c` starts: its `start` (a stage key, or received / came_to_attention / last_update); failing that,
    the end of the clock named in `or_from_end_of` (feedback runs from the acknowledgement, or from the end of the
    days allowed to acknowledge if none was sent)."""
    started = _start(facts, c["start"], cal, clock_specs)
    fallback = c.get("or_from_end_of")
    if started is not None or not fallback:
        return started
    other = next((o for o in clock_specs if o["key"] == fallback), None)
    if other is None:
        raise KeyError(f"clock {c['key']!r} starts from the end of the unknown clock {fallback!r}")
    begun = _start(facts, other["start"], cal, clock_specs)
    return cal.add(begun, other["period"]) if begun is not None else None


def _current_stage(facts: Facts) -> str | None:
    return facts.stages[-1][0] if facts.stages else None


def _spell_start(facts: Facts, stages: set[str]) -> date | None:
    """When the current uninterrupted spell in `stages` began (None if the case is not in one now)."""
    begun = None
    for stage, day in facts.stages:
        if stage in stages:
            begun = begun or day
        else:
            begun = None
    return begun


def _one_clock(facts: Facts, c: dict, today: date, cal: DayCalendar, clock_specs: Sequence[dict]) -> Clock:
    key, label, escalate = c["key"], c["label"], str(c.get("escalate", "supervisor"))
    started = _start_of(facts, c, cal, clock_specs)
    if started is None:
        return Clock(key, label, NOT_STARTED, escalate=escalate)
    due = cal.add(started, c["period"])
    if "while_in" in c:
        return _while_in_clock(facts, c, today, cal, started, due)
    met_on = None
    if not c.get("recurring"):
        met_on = next((d for d in _event_dates(facts, c.get("met_by", [])) if d >= started), None)
    if met_on is not None:
        return Clock(key, label, MET if met_on <= due else MET_LATE, started, due, met_on, escalate)
    if facts.closed_on is not None:
        return Clock(key, label, STOPPED, started, due, None, escalate)
    if today <= due:
        return Clock(key, label, RUNNING, started, due, None, escalate)
    if escalate == "none":
        return Clock(key, label, LAPSED, started, due, None, escalate)
    breach = Breach(key, f"{key}:{due.isoformat()}", due, escalate)
    return Clock(key, label, OVERDUE, started, due, None, escalate, (breach,))


def _while_in_clock(facts: Facts, c: dict, today: date, cal: DayCalendar, started: date, due: date) -> Clock:
    """A limit on how long a stage may stay open (the 12-month investigation), repeated every `repeat` period."""
    key, label, escalate = c["key"], c["label"], str(c.get("escalate", "overseer"))
    during = set(c["while_in"])
    spell = _spell_start(facts, during)
    if spell is None or facts.closed_on is not None:
        ever = [d for s, d in facts.stages if s in during]
        if not ever:
            return Clock(key, label, NOT_STARTED, started, due, None, escalate)
        left = next((d for s, d in facts.stages if d >= ever[-1] and s not in during), None)
        left = left or facts.closed_on
        if left is None:
            return Clock(key, label, NOT_STARTED, started, due, None, escalate)
        return Clock(key, label, MET if left <= due else MET_LATE, started, due, left, escalate)
    if today <= due:
        return Clock(key, label, RUNNING, started, due, None, escalate)
    milestones, months, step = [], int(c["period"].get("months", 0)), int(c.get("repeat", {}).get("months", 0))
    milestone = due
    while milestone < today:
        if milestone >= spell:
            milestones.append(milestone)
        if step <= 0:
            break
        months += step
        milestone = cal.add_months(started, months)
    if not milestones:  # the spell began after the limit had already passed: report it from the spell's start
        milestones = [spell]
    breaches = tuple(Breach(key, f"{key}:{m.isoformat()}", m, escalate) for m in milestones)
    return Clock(key, label, OVERDUE, started, due, None, escalate, breaches)


def compute(facts: Facts, today: date, clock_spec: dict[str, Any] | None = None) -> list[Clock]:
    """Every clock of the case as of `today` (a local date)."""
    s = clock_spec if clock_spec is not None else spec()
    cal = DayCalendar.from_policy(s)
    clock_specs = list(s.get("clock", []))
    return [_one_clock(facts, c, today, cal, clock_specs) for c in clock_specs]


def next_due(clocks: Iterable[Clock]) -> tuple[date | None, str]:
    """The earliest deadline still to meet (running or overdue) of a deadline the force must keep."""
    live = [c for c in clocks if c.status in (RUNNING, OVERDUE) and c.escalate != "none" and c.due_on]
    if not live:
        return None, ""
    first = min(live, key=lambda c: (c.due_on, c.key))
    return first.due_on, first.key


def breaches(clocks: Iterable[Clock]) -> list[Breach]:
    return [b for c in clocks for b in c.breaches]


# --- reading facts from the database --------------------------------------------------------------------------


def facts_for_cases(case_ids: Sequence[int]) -> dict[int, Facts]:
    """Facts for many cases in four queries (tick and the bench use this)."""
    from upstander.cases.choices import MessageDirection
    from upstander.cases.models import Case, Message, Report, StageEvent

    cases = {row["id"]: row for row in Case.objects.filter(id__in=case_ids).values(
        "id", "came_to_attention_on", "opened_on", "closed_on")}
    received: dict[int, date] = {}
    for case_id, received_on in Report.objects.filter(case_id__in=case_ids).values_list("case_id", "received_on"):
        received[case_id] = min(received.get(case_id, received_on), received_on)
    stages: dict[int, list[tuple[datetime, int, str]]] = defaultdict(list)
    for case_id, pk, stage, at in StageEvent.objects.filter(case_id__in=case_ids, allegation__isnull=True).values_list(
            "case_id", "id", "stage", "at"):
        stages[case_id].append((at, pk, stage))
    messages: dict[int, list[date]] = defaultdict(list)
    for case_id, sent_on in Message.objects.filter(
            report__case_id__in=case_ids, direction=MessageDirection.TO_REPORTER).values_list("report__case_id", "sent_on"):
        messages[case_id].append(sent_on)
    result = {}
    tz = zone()  # once: reading the policy per event would dominate a tick over many cases
    for case_id, row in cases.items():
        ordered = tuple((stage, at.astimezone(tz).date()) for at, _, stage in sorted(stages[case_id]))
        result[case_id] = Facts(
            received_on=received.get(case_id, row["came_to_attention_on"] or row["opened_on"]),
            came_to_attention_on=row["came_to_attention_on"], stages=ordered,
            messages_to_reporter=tuple(sorted(messages[case_id])), closed_on=row["closed_on"])
    return result


def facts_for(case) -> Facts:
    return facts_for_cases([case.pk])[case.pk]


def clocks_for(case, on: date | None = None) -> list[Clock]:
    return compute(facts_for(case), on or today())


def refresh_due(case_ids: Sequence[int]) -> int:
    """Rewrite the `due_on` cache of these cases from their events. Returns how many rows changed."""
    from django.db import transaction

    from upstander.cases.models import Case

    now = today()
    clock_spec = spec()
    facts = facts_for_cases(case_ids)
    current = {pk: (d, k) for pk, d, k in Case.objects.filter(id__in=case_ids).values_list("id", "due_on", "due_clock")}
    changed = []
    for case_id, f in facts.items():
        due = next_due(compute(f, now, clock_spec))
        if current.get(case_id) != due:
            changed.append(Case(id=case_id, due_on=due[0], due_clock=due[1]))
    with transaction.atomic():  # one commit for the lot, not one per case
        Case.objects.bulk_update(changed, ["due_on", "due_clock"], batch_size=500)
    return len(changed)


def lateness_days(due_on: date | None, on: date) -> int:
    return max(0, (on - due_on).days) if due_on else 0

