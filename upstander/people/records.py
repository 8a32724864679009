"""The roster feed's record format, shared by the file import and the JSON API (docs/people-import.md).

Four tables — units, teams, people, hr_events — each a list of columns with a parser. A parser takes the raw cell
(text from a CSV, a typed value from XLSX or JSON) and returns the clean value or raises `ValueError` with a reason a
person can act on. A blank cell gives `None` (the field is cleared); a column left out of a file leaves the field
as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models

from upstander.people.choices import (
    OFFICER_RANKS,
    STAFF_GRADES,
    Disability,
    Ethnicity,
    HREventKind,
    HROutcome,
    LeavingReason,
    Religion,
    Sex,
    SexualOrientation,
    StaffKind,
)

Parser = Callable[[Any], Any]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int) -> Parser:
    def parse(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet turns a number-like code into 1234.0
        out = str(value).strip()
        if len(out) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return out

    return parse


CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./\- ]*$")


def code(max_length: int) -> Parser:
    plain = text(max_length)

    def parse(value: Any) -> str:
        out = plain(value)
        if not CODE_RE.match(out):
            raise ValueError(f"“{out}” is not a code (letters, digits, spaces and - _ . / only)")
        return out

    return parse


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    match = _UK_DATE.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"“{raw}” is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def integer(low: int, high: int) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("is not a whole number")
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(f"{value} is not a whole number")
            value = int(value)
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError(f"“{value}” is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}–{high}")
        return number

    return parse


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"“{value}” is not yes or no")


def choice(choices: type[models.TextChoices]) -> Parser:
    """Accepts a value's code (`white_irish`) or its label (`White: Irish`), in any case."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(value).lower()] = str(value)
        lookup[str(label).lower()] = str(value)

    def parse(value: Any) -> str:
        raw = str(value).strip()
        found = lookup.get(raw.lower()) or lookup.get(raw.lower().replace(" ", "_"))
        if found is None:
            raise ValueError(f"“{raw}” is not one of: {', '.join(str(v) for v in choices.values)}")
        return found

    return parse


_KNOWN_RANKS = {r.lower(): r for r in OFFICER_RANKS + STAFF_GRADES}


def rank(value: Any) -> str:
    """Any rank or grade is accepted; the usual ones are spelled one way so peers of the same rank can be found."""
    out: str = text(64)(value)
    return _KNOWN_RANKS.get(out.lower()) or out


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    key: str  # the column the upsert is keyed on
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


UNITS = Table("units", "unit_code", (
    Column("unit_code", code(32), required=True),
    Column("unit_name", text(200), required=True),
    Column("command_code", code(32), required=True),
    Column("command_name", text(200)),
    Column("parent_code", code(32)),
    Column("location_code", code(32)),
    Column("location_name", text(200)),
    Column("professional_standards", boolean),
    Column("head_number", code(32)),
))

TEAMS = Table("teams", "team_code", (
    Column("team_code", code(48), required=True),
    Column("team_name", text(200), required=True),
    Column("unit_code", code(32), required=True),
    Column("shift_code", code(32)),
    Column("shift_name", text(100)),
    Column("location_code", code(32)),
    Column("location_name", text(200)),
))

PEOPLE = Table("people", "number", (
    Column("number", code(32), required=True),
    Column("kind", choice(StaffKind), required=True),
    Column("given_name", text(100), required=True),
    Column("family_name", text(100), required=True),
    Column("known_as", text(100)),
    Column("rank", rank, required=True),
    Column("birth_year", integer(1900, 2100)),
    Column("joined_on", parse_date, required=True),
    Column("left_on", parse_date),
    Column("leaving_reason", choice(LeavingReason)),
    Column("unit_code", code(32), required=True),
    Column("team_code", code(48)),
    Column("location_code", code(32)),
    Column("shift_code", code(32)),
    Column("line_manager_number", code(32)),
    Column("ethnicity", choice(Ethnicity), required=True),
    Column("sex", choice(Sex), required=True),
    Column("sexual_orientation", choice(SexualOrientation)),
    Column("religion", choice(Religion)),
    Column("disability", choice(Disability)),
))

HR_EVENTS = Table("hr_events", "event_ref", (
    Column("event_ref", code(64), required=True),
    Column("number", code(32), required=True),
    Column("kind", choice(HREventKind), required=True),
    Column("occurred_on", parse_date, required=True),
    Column("outcome", choice(HROutcome)),
    Column("rating", integer(1, 5)),
    Column("days", integer(0, 3660)),
    Column("from_unit", code(32)),
    Column("to_unit", code(32)),
    Column("initiated_by_number", code(32)),
    Column("leaving_reason", choice(LeavingReason)),
))

TABLES: dict[str, Table] = {t.name: t for t in (UNITS, TEAMS, PEOPLE, HR_EVENTS)}
# Write order: what a row refers to is written before it.
TABLE_ORDER = ("units", "teams", "people", "hr_events")

# Outcomes that make sense for each kind of HR event; any other kind takes no outcome.
OUTCOMES_BY_KIND: dict[str, set[str]] = {
    HREventKind.TRANSFER: {HROutcome.REQUESTED, HROutcome.NOT_REQUESTED},
    HREventKind.PROMOTION_BOARD: {HROutcome.APPLIED, HROutcome.PASSED, HROutcome.FAILED, HROutcome.PROMOTED,
                                  HROutcome.NOT_PROMOTED},
    HREventKind.DEVELOPMENT: {HROutcome.APPLIED, HROutcome.SELECTED, HROutcome.NOT_SELECTED},
}


def table_for_header(header: list[str]) -> Table | None:
    """Which table a file or sheet holds, recognised from the most specific key column in its header (a people
    file also has a unit_code and a team_code; an HR events file also has a number)."""
    names = set(header)
    for table in (HR_EVENTS, PEOPLE, TEAMS, UNITS):
        if table.key in names:
            return table
    return None
