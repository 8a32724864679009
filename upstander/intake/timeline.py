"""The reporter's timeline: what has happened to their report, in plain language, and what happens next and by when.

Computed on each visit, never stored. It reads the report's case through the ORM (its stage events — stage keys
from policy/workflow.toml — and its outcome decisions), the openings of a confidential reporter's sealed identity
(break-glass), the texts from policy (lib/reporter_texts.py) and the deadlines from the case workflow's clocks,
which the staff side provides through the reports core (reports/hooks.case_clocks), so this module imports nothing
from the staff side. Staff-only facts (who decided, their reasons, internal decisions) are never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from upstander.lib import clock, reporter_texts
from upstander.reports.hooks import ClockState, case_clocks
from upstander.reports.models import Report

REPORTER_CLOCKS = {
    "acknowledge": "The team should confirm to you that they have your report",
    "feedback": "The team should tell you what is being done about your report",
    "reporter_update": "The team should send you an update",
}
LIVE = ("running", "overdue")


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


def _stage_entries(report: Report) -> list[Entry]:
    entries = [Entry(report.received_on, reporter_texts.stage_text("received"))]
    if report.case is None:
        return entries
    seen: set[tuple[str, date]] = {("received", report.received_on)}
    for stage, at in report.case.stage_events.order_by("at", "id").values_list("stage", "at"):
        day = clock.local_date(at)
        text = reporter_texts.stage_text(stage)
        if not text or (stage, day) in seen or stage == "received":
            continue
        seen.add((stage, day))
        entries.append(Entry(day, text))
        route_text = reporter_texts.route_text(report.case.handling_route) if stage == "routed" else ""
        if route_text:
            entries.append(Entry(day, route_text))
    return entries


def _outcome_entries(report: Report) -> list[Entry]:
    if report.case is None:
        return []
    outcomes = report.case.decisions.filter(kind="outcome").order_by("at", "id").values_list("value", "at")
    return [Entry(clock.local_date(at), text) for value, at in outcomes if (text := reporter_texts.outcome_text(value))]


def _disclosure_entries(report: Report) -> list[Entry]:
    """A confidential reporter is told whenever their sealed identity was opened (break-glass), and why; never by
    whom."""
    return [Entry(on, f"Your identity was opened by an identity custodian on {on.day} {on:%B %Y}, for this reason: "
                      f"{reason}")
            for on, reason in report.identity_disclosures.order_by("opened_on", "id").values_list("opened_on", "reason")]


def _review_window(clocks: list[ClockState], today: date) -> ReviewWindow | None:
    window = next((c for c in clocks if c.key == "review_window" and c.due_on), None)
    if window is None or window.due_on is None:
        return None
    return ReviewWindow(until=window.due_on, open=window.status in LIVE and today <= window.due_on)


def review_window(report: Report, today: date | None = None) -> ReviewWindow | None:
    """The window to ask for a review of the outcome, once there is an outcome."""
    today = today or clock.today()
    return _review_window(list(case_clocks(report, today)), today)


def _next_steps(clocks: list[ClockState]) -> list[NextStep]:
    steps = [NextStep(REPORTER_CLOCKS[c.key], c.due_on, overdue=c.status == "overdue")
             for c in clocks if c.key in REPORTER_CLOCKS and c.status in LIVE and c.due_on]
    steps.sort(key=lambda s: s.by or date.max)
    return steps[:1]


def build(report: Report, *, today: date | None = None) -> Timeline:
    today = today or clock.today()
    entries = _stage_entries(report) + _outcome_entries(report) + _disclosure_entries(report)
    entries.sort(key=lambda e: e.on)
    closed = bool(report.case and report.case.closed_on)
    clocks = list(case_clocks(report, today))
    return Timeline(entries=entries, next_steps=[] if closed else _next_steps(clocks),
                    review=_review_window(clocks, today), closed=closed)
