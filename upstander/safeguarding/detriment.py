"""Detriment after speaking up: which HR events count, loaded once into arrays for the whole force.

A detriment is an HR event that harms someone's career or standing (policy/retaliation.toml): a transfer they did
not ask for, not promoted after passing a board, development refused, a rating drop, a grievance, disciplinary or
internally raised allegation against them, an attendance procedure started without the attendance trigger being met,
a capability procedure, suspension or restricted duties,
or leaving (for reasons other than retiring or dying).

Everything is held as numpy arrays keyed `person index * SPAN + day ordinal`, so "how many detriments of kind k did
these 3,000 people have between these dates" is two `searchsorted` calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from upstander.cases.choices import ReporterType
from upstander.cases.models import Allegation
from upstander.lib import policy
from upstander.people.choices import HREventKind, HROutcome
from upstander.people.models import HREvent, Person, Unit, UnitHistory

SPAN = 1 << 22  # larger than any day ordinal (date.max is 3,652,059)

LABELS = {
    "involuntary_transfer": "transfer they did not ask for",
    "not_promoted_after_passing": "not promoted after passing a board",
    "development_refused": "development opportunity refused",
    "rating_drop": "performance rating dropped",
    "grievance_against": "grievance raised against them",
    "disciplinary_against": "disciplinary opened against them",
    "internal_allegation_against": "allegation raised against them by colleagues",
    "attendance_procedure": "attendance procedure",
    "capability_procedure": "capability procedure",
    "suspended": "suspended",
    "restricted_duties": "put on restricted duties",
    "left": "left the force",
}
_SAME_NAME = {HREventKind.GRIEVANCE_AGAINST, HREventKind.DISCIPLINARY_AGAINST, HREventKind.ATTENDANCE_PROCEDURE,
              HREventKind.CAPABILITY_PROCEDURE, HREventKind.SUSPENDED, HREventKind.RESTRICTED_DUTIES}


def settings() -> dict[str, Any]:
    return policy.load("retaliation")


def _met_attendance_trigger(sickness: list[tuple[int, int]], day: int, trigger: dict[str, int] | None) -> bool:
    """Whether the sickness absence before `day` met the attendance trigger (so a procedure is routine)."""
    if not trigger:
        return False
    recent = [(d, n) for d, n in sickness if day - int(trigger["within_days"]) <= d <= day]
    return len(recent) >= int(trigger["episodes"]) or sum(n for _, n in recent) >= int(trigger["days"])


def classify(events: list[tuple], *, rating_drop: int, leaving_reasons: set[str],
             attendance_trigger: dict[str, int] | None = None) -> list[tuple[str, int, int]]:
    """(kind, day ordinal, event id) for the detriments among one person's HR events, given in date order as
    (id, person id, kind, day, outcome, rating, initiated_by id, leaving reason, days).

    An attendance procedure after sickness absence that met the attendance trigger is what anyone would get, so it
    is not counted; one started without the trigger being met is."""
    out = []
    last_rating = None
    sickness: list[tuple[int, int]] = []
    for event_id, person_id, kind, day, outcome, rating, initiated_by, leaving_reason, days in events:
        found = None
        if kind == HREventKind.SICKNESS:
            sickness.append((day, days or 0))
        if kind == HREventKind.TRANSFER:
            involuntary = outcome == HROutcome.NOT_REQUESTED or (
                not outcome and initiated_by is not None and initiated_by != person_id)
            found = "involuntary_transfer" if involuntary else None
        elif kind == HREventKind.PROMOTION_BOARD and outcome == HROutcome.NOT_PROMOTED:
            found = "not_promoted_after_passing"
        elif kind == HREventKind.DEVELOPMENT and outcome == HROutcome.NOT_SELECTED:
            found = "development_refused"
        elif kind == HREventKind.PERFORMANCE_RATING and rating is not None:
            if last_rating is not None and rating <= last_rating - rating_drop:
                found = "rating_drop"
            last_rating = rating
        elif kind == HREventKind.ATTENDANCE_PROCEDURE:
            found = None if _met_attendance_trigger(sickness, day, attendance_trigger) else str(kind)
        elif kind in _SAME_NAME:
            found = str(kind)
        elif kind == HREventKind.LEFT and leaving_reason in leaving_reasons:
            found = "left"
        if found:
            out.append((found, day, event_id))
    return out


@dataclass
class Force:
    """The roster and every detriment, as arrays indexed by person position (0 … n-1)."""

    ids: np.ndarray  # person pk
    kind: np.ndarray  # "officer" / "staff"
    rank: np.ndarray
    joined: np.ndarray  # day ordinals
    left: np.ndarray  # day ordinal, or SPAN - 1 when still serving
    current_unit: np.ndarray
    command_of_unit: dict[int, int]
    history_keys: np.ndarray  # person index * SPAN + start day, sorted
    history_units: np.ndarray
    kinds: list[str]
    keys_by_kind: dict[str, np.ndarray]  # sorted keys of each detriment kind
    all_keys: np.ndarray  # sorted keys of every detriment
    events: dict[int, list[tuple[str, int, str]]] = field(default_factory=dict)  # index -> (kind, day, ref)
    index_of: dict[int, int] = field(default_factory=dict)

    def units_on(self, idx: np.ndarray, day: np.ndarray | int) -> np.ndarray:
        """Each person's unit on `day`, from the unit history (the current unit where history is missing)."""
        probe = idx.astype(np.int64) * SPAN + day
        pos = np.searchsorted(self.history_keys, probe, side="right") - 1
        ok = (pos >= 0) & (self.history_keys[np.clip(pos, 0, None)] // SPAN == idx)
        units = self.current_unit[idx].copy()
        units[ok] = self.history_units[pos[ok]]
        return units

    def count(self, keys: np.ndarray, idx: np.ndarray, lo: np.ndarray | int, hi: np.ndarray | int) -> np.ndarray:
        """Events per person in the day range (lo, hi]."""
        base = idx.astype(np.int64) * SPAN
        return np.searchsorted(keys, base + hi, side="right") - np.searchsorted(keys, base + lo, side="right")


def load_force() -> Force:
    conf = settings()["detriment"]
    wanted = set(conf["kinds"])
    rows = list(Person.objects.order_by("pk").values_list("pk", "kind", "rank", "joined_on", "left_on", "unit_id"))
    n = len(rows)
    index_of = {row[0]: i for i, row in enumerate(rows)}
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    left = np.fromiter(((r[4].toordinal() if r[4] else SPAN - 1) for r in rows), dtype=np.int64, count=n)
    force = Force(
        ids=ids, kind=np.array([r[1] for r in rows], dtype=object), rank=np.array([r[2] for r in rows], dtype=object),
        joined=np.fromiter((r[3].toordinal() for r in rows), dtype=np.int64, count=n), left=left,
        current_unit=np.fromiter((r[5] for r in rows), dtype=np.int64, count=n),
        command_of_unit=dict(Unit.objects.values_list("pk", "command_id")),
        history_keys=np.empty(0, dtype=np.int64), history_units=np.empty(0, dtype=np.int64),
        kinds=[k for k in LABELS if k in wanted], keys_by_kind={}, all_keys=np.empty(0, dtype=np.int64),
        index_of=index_of)
    history = sorted((index_of[p] * SPAN + s.toordinal(), u)
                     for p, u, s in UnitHistory.objects.values_list("person_id", "unit_id", "started_on"))
    force.history_keys = np.array([h[0] for h in history], dtype=np.int64)
    force.history_units = np.array([h[1] for h in history], dtype=np.int64)

    found: dict[str, list[int]] = {k: [] for k in force.kinds}
    leaving = set(conf["leaving_reasons"])
    events = HREvent.objects.order_by("person_id", "occurred_on", "pk").values_list(
        "pk", "person_id", "kind", "occurred_on", "outcome", "rating", "initiated_by_id", "leaving_reason", "days",
        "public_id")
    current: list[tuple] = []
    refs: dict[int, str] = {}

    def flush() -> None:
        if not current:
            return
        i = index_of[current[0][1]]
        for kind, day, event_id in classify(current, rating_drop=int(conf["rating_drop"]), leaving_reasons=leaving,
                                            attendance_trigger=conf.get("attendance_trigger")):
            if kind in found:
                found[kind].append(i * SPAN + day)
                force.events.setdefault(i, []).append((kind, day, refs[event_id]))

    for pk, person_id, kind, day, outcome, rating, initiated_by, reason, days, public_id in events.iterator(
            chunk_size=20000):
        if current and current[0][1] != person_id:
            flush()
            current, refs = [], {}
        current.append((pk, person_id, kind, day.toordinal(), outcome, rating, initiated_by, reason, days))
        refs[pk] = str(public_id)
    flush()
    if "internal_allegation_against" in found:
        for subject_id, opened_on, code in internal_allegations():
            i = index_of[subject_id]
            found["internal_allegation_against"].append(i * SPAN + opened_on.toordinal())
            force.events.setdefault(i, []).append(("internal_allegation_against", opened_on.toordinal(), code))
    force.keys_by_kind = {k: np.sort(np.array(v, dtype=np.int64)) for k, v in found.items()}
    force.all_keys = np.sort(np.concatenate([force.keys_by_kind[k] for k in force.kinds])) if force.kinds \
        else np.empty(0, dtype=np.int64)
    for person_events in force.events.values():
        person_events.sort(key=lambda e: (e[1], e[0]))
    return force


def internal_allegations() -> list[tuple[int, date, str]]:
    """(subject id, day the case opened, case code) for allegations on cases a member of staff reported."""
    rows = (Allegation.objects.filter(subject__isnull=False, case__reports__reporter_type=ReporterType.STAFF)
            .values_list("subject_id", "case__opened_on", "case__code").distinct())
    return sorted(set(rows))
