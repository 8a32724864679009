"""The reporter's timeline: what has happened to their report, in plain language, and what happens next and by when.

It reads the case's StageEvent and Decision rows (stage keys from policy/workflow.toml: received, acknowledged,
assessed, routed, investigation, case_to_answer, proceedings, outcome, review, closed). Texts come from the workflow
policy (cases/workflow.py) and deadlines from the derived clocks (cases/clocks.py); the fallbacks below keep the
page truthful before a report has become a case. Nothing here is stored: the timeline is
computed on each visit. Staff-only facts (who decided, their reasons, internal decisions) are never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from upstander.cases import clocks, workflow
from upstander.cases.models import Decision, StageEvent
from upstander.lib import policy
from upstander.reports.models import Report

FALLBACK_TEXT = {
    "received": "We have received your report.",
    "acknowledged": "We have confirmed to you that your report arrived and is being looked at.",
    "assessed": "Someone has assessed how serious your report is and recorded it formally.",
    "routed": "We have decided how your report will be dealt with.",
    "investigation": "An investigation has started.",
    "case_to_answer": "A decision has been made on whether anyone has a case to answer.",
    "proceedings": "A misconduct meeting or hearing has been arranged.",
    "outcome": "We have told you the outcome.",
    "review": "Your request for a review has been received and is being considered.",
    "closed": "Your case is now closed.",
}
REPORTER_CLOCKS = {
    "acknowledge": "The team should confirm to you that they have your report",
    "feedback": "The team should tell you what is being done about your report",
    "reporter_update": "The team should send you an update",
}
DEFAULT_ACKNOWLEDGE_DAYS = 7
DEFAULT_REVIEW_DAYS = 28


@dataclass(frozen=True)
class Entry:
    on: date
    text: str


@dataclass(frozen=True)
class NextStep:
    text: str
    by: date | None
    overdue: bool = False


@dataclass(frozen=True)
class ReviewWindow:
    until: date
    open: bool


@dataclass
class Timeline:
    entries: list[Entry] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    review: ReviewWindow | None = None
    closed: bool = False


def _stage_text(stage: str) -> str:
    text = workflow.reporter_text(stage)
    return text or FALLBACK_TEXT.get(stage, "")


def _local_day(moment) -> date:
    return timezone.localtime(moment).date()


def _clock_days(key: str, default: int) -> int:
    try:
        spec = next(c for c in policy.load("clocks")["clock"] if c["key"] == key)
        return int(spec["period"]["days"])
    except (FileNotFoundError, KeyError, StopIteration, TypeError, ValueError):
        return default


def _decision_entries(report: Report) -> list[Entry]:
    entries: list[Entry] = []
    if report.case_id is None:
        return entries
    for d in Decision.objects.filter(case_id=report.case_id, kind="outcome").order_by("at", "id"):
        text = workflow.outcome_text(d.value)
        if text:
            entries.append(Entry(_local_day(d.at), text))
    return entries


def _stage_entries(report: Report) -> list[Entry]:
    entries: list[Entry] = [Entry(report.received_on, _stage_text("received"))]
    if report.case_id is None:
        return entries
    seen: set[tuple[str, date]] = {("received", report.received_on)}
    events = StageEvent.objects.filter(case_id=report.case_id).order_by("at", "id").values_list("stage", "at")
    for stage, at in events:
        day = _local_day(at)
        text = _stage_text(stage)
        if not text or (stage, day) in seen or stage == "received":
            continue
        seen.add((stage, day))
        entries.append(Entry(day, text))
        if stage == "routed" and report.case and report.case.handling_route:
            route_text = workflow.route_reporter_text(report.case.handling_route)
            if route_text:
                entries.append(Entry(day, route_text))
    return entries


def _clocks(report: Report, today: date):
    if report.case_id is None:
        return None
    return clocks.clocks_for(report.case, on=today)


def review_window(report: Report, today: date | None = None) -> ReviewWindow | None:
    """The window to ask for a review of the outcome, once there is an outcome."""
    today = today or timezone.localdate()
    computed = _clocks(report, today)
    if computed is not None:
        clock = next((c for c in computed if c.key == "review_window" and c.due_on), None)
        if clock is None:
            return None
        return ReviewWindow(until=clock.due_on, open=clock.status in ("running", "overdue") and today <= clock.due_on)
    if report.case_id is None:
        return None
    outcome = StageEvent.objects.filter(case_id=report.case_id, stage="outcome").order_by("-at").first()
    if outcome is None:
        return None
    until = _local_day(outcome.at) + timedelta(days=_clock_days("review_window", DEFAULT_REVIEW_DAYS))
    already = StageEvent.objects.filter(case_id=report.case_id, stage="review", at__gte=outcome.at).exists()
    return ReviewWindow(until=until, open=today <= until and not already)


def _next_steps(report: Report, today: date, closed: bool) -> list[NextStep]:
    if closed:
        return []
    computed = _clocks(report, today)
    if computed is None:
        due = report.received_on + timedelta(days=_clock_days("acknowledge", DEFAULT_ACKNOWLEDGE_DAYS))
        return [NextStep(REPORTER_CLOCKS["acknowledge"], due, overdue=due < today)]
    steps = [NextStep(REPORTER_CLOCKS[c.key], c.due_on, overdue=c.status == "overdue")
             for c in computed if c.key in REPORTER_CLOCKS and c.status in ("running", "overdue") and c.due_on]
    steps.sort(key=lambda s: s.by or date.max)
    return steps[:1]


def build(report: Report, *, today: date | None = None) -> Timeline:
    today = today or timezone.localdate()
    entries = _stage_entries(report) + (_decision_entries(report) if report.case_id else [])
    # A confidential reporter is told whenever their sealed identity was opened (break-glass), and why.
    from upstander.custody.break_glass import disclosures_for_report

    entries += [Entry(d.opened_on, d.text) for d in disclosures_for_report(report)]
    entries.sort(key=lambda e: e.on)
    closed = bool(report.case_id and report.case and report.case.closed_on)
    return Timeline(entries=entries, next_steps=_next_steps(report, today, closed),
                    review=review_window(report, today), closed=closed)
