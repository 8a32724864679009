"""Validate every row of a roster import before anything is written: values, duplicate keys, references to units,
teams and people (in the same import or already in the roster), and cycles in the chain of command.

The result is either a `RosterBatch` ready for `do_import_roster` or the full list of `RowError`s.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from upstander.lib import clock
from upstander.people.choices import HREventKind
from upstander.people.models import Person, Team, Unit
from upstander.people.readers import RawRow, RowError, Sheet
from upstander.people.records import OUTCOMES_BY_KIND, TABLE_ORDER, TABLES, is_blank


@dataclass
class CleanRow:
    source: str
    line: int
    unit: str
    values: dict[str, Any]  # only the columns the row has; None means "clear it"

    def error(self, reason: str) -> RowError:
        return RowError(self.source, self.line, reason, unit=self.unit)


@dataclass
class RosterBatch:
    tables: dict[str, dict[str, CleanRow]] = field(default_factory=lambda: {t: {} for t in TABLE_ORDER})
    sources: list[str] = field(default_factory=list)
    # Keys of rows that failed validation: a reference to one is not reported a second time as missing.
    attempted: dict[str, set[str]] = field(default_factory=lambda: {t: set() for t in TABLE_ORDER})
    as_of: date = field(default_factory=clock.today)

    def rows(self, table: str) -> list[CleanRow]:
        return list(self.tables[table].values())

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


@dataclass
class Validation:
    batch: RosterBatch
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _clean(raw: RawRow, table_name: str) -> tuple[CleanRow | None, list[str]]:
    table = TABLES[table_name]
    reasons: list[str] = list(raw.problems)
    values: dict[str, Any] = {}
    for name, cell in raw.values.items():
        column = table.column(name)
        if column is None:
            continue
        if is_blank(cell):
            if column.required:
                reasons.append(f"{name} is required")
            values[name] = None
            continue
        try:
            values[name] = column.parse(cell)
        except ValueError as exc:
            reasons.append(f"{name} {exc}")
    for name in table.required:
        if name not in raw.values:
            reasons.append(f"{name} is required")
    if reasons:
        return None, reasons
    return CleanRow(raw.source, raw.line, raw.unit, values), []


def _check_event(values: dict[str, Any]) -> list[str]:
    kind, outcome = str(values.get("kind") or ""), values.get("outcome")
    reasons = []
    allowed = OUTCOMES_BY_KIND.get(kind, set())
    if outcome and outcome not in allowed:
        reasons.append(f"outcome {outcome} does not apply to a {kind} event"
                       + (f" (use one of {', '.join(sorted(allowed))})" if allowed else ""))
    if kind == HREventKind.TRANSFER and not values.get("to_unit"):
        reasons.append("a transfer needs to_unit")
    if kind == HREventKind.PERFORMANCE_RATING and values.get("rating") is None:
        reasons.append("a performance rating needs rating (1–5)")
    if kind == HREventKind.LEFT and not values.get("leaving_reason"):
        reasons.append("a leaving event needs leaving_reason")
    if kind != HREventKind.PERFORMANCE_RATING and values.get("rating") is not None:
        reasons.append("rating applies only to performance ratings")
    return reasons


def _check_person(values: dict[str, Any]) -> list[str]:
    reasons = []
    joined, left = values.get("joined_on"), values.get("left_on")
    if joined and left and left < joined:
        reasons.append(f"left_on {left} is before joined_on {joined}")
    if values.get("leaving_reason") and "left_on" in values and not left:
        reasons.append("leaving_reason is given without left_on")
    if values.get("line_manager_number") and values.get("line_manager_number") == values.get("number"):
        reasons.append("a person cannot be their own line manager")
    return reasons


class _Known:
    """What the roster already holds, loaded once: codes and numbers, teams' units, managers and parents."""

    def __init__(self) -> None:
        self.units = dict(Unit.objects.values_list("code", "parent__code"))
        self.team_units = dict(Team.objects.values_list("code", "unit__code"))
        self.managers = dict(Person.objects.values_list("number", "line_manager__number"))


def _cycle_from(start: str, parent_of: Mapping[str, str | None], limit: int = 10_000) -> bool:
    seen = {start}
    current = parent_of.get(start)
    steps = 0
    while current is not None and steps < limit:
        if current in seen:
            return current == start
        seen.add(current)
        current = parent_of.get(current)
        steps += 1
    return False


def _check_references(batch: RosterBatch, known: _Known) -> list[RowError]:
    errors: list[RowError] = []
    units = set(known.units) | set(batch.tables["units"]) | batch.attempted["units"]
    people = set(known.managers) | set(batch.tables["people"]) | batch.attempted["people"]
    team_units: dict[str, str | None] = dict(known.team_units)
    team_units.update({code: "" for code in batch.attempted["teams"]})
    team_units.update({code: row.values["unit_code"] for code, row in batch.tables["teams"].items()})

    def missing(row: CleanRow, column: str, pool: Collection[str], what: str) -> str | None:
        value = row.values.get(column)
        if value and value not in pool:
            return f"{column} {value}: no such {what} in this import or the roster"
        return None

    for row in batch.rows("units"):
        reasons = [r for r in (missing(row, "parent_code", units, "unit"), missing(row, "head_number", people, "person"))
                   if r]
        if row.values.get("parent_code") == row.values["unit_code"]:
            reasons.append("a unit cannot be its own parent")
        if reasons:
            errors.append(row.error("; ".join(reasons)))
    for row in batch.rows("teams"):
        reason = missing(row, "unit_code", units, "unit")
        if reason:
            errors.append(row.error(reason))
    for row in batch.rows("people"):
        reasons = [r for r in (missing(row, "unit_code", units, "unit"), missing(row, "team_code", team_units, "team"),
                               missing(row, "line_manager_number", people, "person")) if r]
        team = row.values.get("team_code")
        if team and team_units.get(team) and team_units[team] != row.values["unit_code"]:
            reasons.append(f"team {team} belongs to unit {team_units[team]}, not {row.values['unit_code']}")
        if reasons:
            errors.append(row.error("; ".join(reasons)))
    for row in batch.rows("hr_events"):
        reasons = [r for r in (missing(row, "number", people, "person"), missing(row, "from_unit", units, "unit"),
                               missing(row, "to_unit", units, "unit"),
                               missing(row, "initiated_by_number", people, "person")) if r]
        if reasons:
            errors.append(row.error("; ".join(reasons)))

    parents: dict[str, str | None] = dict(known.units)
    parents.update({c: r.values.get("parent_code") for c, r in batch.tables["units"].items() if "parent_code" in r.values})
    for code_, row in batch.tables["units"].items():
        if row.values.get("parent_code") != code_ and _cycle_from(code_, parents):
            errors.append(row.error(f"parent_code makes a loop: unit {code_} would be inside itself"))
    managers: dict[str, str | None] = dict(known.managers)
    managers.update({n: r.values.get("line_manager_number") for n, r in batch.tables["people"].items()
                     if "line_manager_number" in r.values})
    for number, row in batch.tables["people"].items():
        if row.values.get("line_manager_number") != number and _cycle_from(number, managers):
            errors.append(row.error(f"line_manager_number makes a loop: {number} would manage themselves"))
    return errors


def _check_names(batch: RosterBatch) -> list[RowError]:
    """A command, location or shift code named differently in two rows is ambiguous."""
    errors = []
    named: dict[tuple[str, str], tuple[str, CleanRow]] = {}
    pairs = {"units": [("command_code", "command_name"), ("location_code", "location_name")],
             "teams": [("shift_code", "shift_name"), ("location_code", "location_name")]}
    for table, columns in pairs.items():
        for row in batch.rows(table):
            for code_col, name_col in columns:
                code_, name = row.values.get(code_col), row.values.get(name_col)
                if not code_ or not name:
                    continue
                key = (code_col, code_)
                if key in named and named[key][0] != name:
                    first = named[key][1]
                    errors.append(row.error(f"{name_col} “{name}” differs from “{named[key][0]}” given for "
                                            f"{code_col} {code_} at {first.source} {first.unit} {first.line}"))
                else:
                    named.setdefault(key, (name, row))
    return errors


def validate(sheets: list[Sheet], *, as_of: date | None = None) -> Validation:
    batch = RosterBatch(sources=sorted({s.source for s in sheets}), as_of=as_of or clock.today())
    errors: list[RowError] = []
    for sheet in sheets:
        errors.extend(sheet.errors)
        if sheet.table is None:
            continue
        table = sheet.table
        for raw in sheet.rows:
            row, reasons = _clean(raw, table.name)
            if row is not None and not reasons:
                if table.name == "hr_events":
                    reasons = _check_event(row.values)
                elif table.name == "people":
                    reasons = _check_person(row.values)
            if reasons or row is None:
                key_cell = raw.values.get(table.key)
                if not is_blank(key_cell):
                    batch.attempted[table.name].add(str(key_cell).strip())
                errors.append(RowError(raw.source, raw.line, "; ".join(reasons), unit=raw.unit))
                continue
            key = row.values[table.key]
            first = batch.tables[table.name].get(key)
            if first is not None:
                errors.append(row.error(f"{table.key} {key} already given at {first.source} {first.unit} {first.line}"))
                continue
            batch.tables[table.name][key] = row
    errors.extend(_check_names(batch))
    errors.extend(_check_references(batch, _Known()))
    errors.sort(key=lambda e: (e.source, e.line))
    return Validation(batch, errors)
