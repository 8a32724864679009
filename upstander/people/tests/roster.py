"""A small force for tests, written the way an HR system exports it, and loaded through the real import path."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from upstander.audit.log import Actor
from upstander.people.actions import do_import_roster
from upstander.people.readers import read_json
from upstander.people.validate import validate

UNITS = [
    {"unit_code": "NE", "unit_name": "North East BCU", "command_code": "FP", "command_name": "Frontline Policing",
     "location_code": "STN1", "location_name": "Northgate Station", "professional_standards": "no"},
    {"unit_code": "NE-RESP", "unit_name": "North East Response", "command_code": "FP", "parent_code": "NE",
     "location_code": "STN1", "head_number": "1001"},
    {"unit_code": "PSD", "unit_name": "Professional Standards", "command_code": "PR", "command_name": "Professionalism",
     "professional_standards": "yes"},
    {"unit_code": "SW", "unit_name": "South West BCU", "command_code": "FP", "location_code": "STN2",
     "location_name": "Southfield Station"},
]
TEAMS = [
    {"team_code": "NE-R-A", "team_name": "Response Team A", "unit_code": "NE-RESP", "shift_code": "A",
     "shift_name": "A relief", "location_code": "STN1"},
    {"team_code": "NE-R-B", "team_name": "Response Team B", "unit_code": "NE-RESP", "shift_code": "B",
     "shift_name": "B relief", "location_code": "STN1"},
    {"team_code": "SW-R-A", "team_name": "South West Response A", "unit_code": "SW", "shift_code": "A",
     "location_code": "STN2"},
]


def person(number: str, given: str, family: str, *, rank: str = "Constable", team: str = "NE-R-A",
           unit: str = "NE-RESP", manager: str = "", joined: str = "2015-04-01", sex: str = "female",
           **extra: Any) -> dict[str, Any]:
    row = {"number": number, "kind": "officer", "given_name": given, "family_name": family, "rank": rank,
           "joined_on": joined, "unit_code": unit, "team_code": team, "line_manager_number": manager,
           "ethnicity": "white_british", "sex": sex, "birth_year": "1988"}
    row.update(extra)
    return row


PEOPLE = [
    person("1001", "Ada", "Inspector", rank="Inspector", team="", sex="female", joined="2001-09-01"),
    person("1002", "Sam", "Sergeant", rank="Sergeant", manager="1001", sex="male", joined="2008-03-01"),
    person("1003", "Priya", "Patel", manager="1002"),
    person("1004", "Dan", "Rogers", manager="1002", sex="male"),
    person("1005", "Lee", "Brown", team="NE-R-B", manager="1001", sex="male"),
    person("2001", "Pat", "Standards", rank="Sergeant", unit="PSD", team="", sex="male", joined="2005-01-01"),
]
HR_EVENTS = [
    {"event_ref": "HR-1", "number": "1003", "kind": "performance_rating", "occurred_on": "2023-04-01", "rating": "4"},
    {"event_ref": "HR-2", "number": "1004", "kind": "transfer", "occurred_on": "2022-01-10", "from_unit": "NE",
     "to_unit": "NE-RESP", "outcome": "requested", "initiated_by_number": "1004"},
    {"event_ref": "HR-3", "number": "1005", "kind": "promotion_board", "occurred_on": "2023-06-01",
     "outcome": "passed"},
]
TABLES = {"units": UNITS, "teams": TEAMS, "people": PEOPLE, "hr_events": HR_EVENTS}


def write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str = ",") -> Path:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_csvs(folder: Path, tables: dict[str, list[dict[str, Any]]] | None = None) -> list[Path]:
    return [write_csv(folder / f"{name}.csv", rows) for name, rows in (tables or TABLES).items()]


def write_xlsx(path: Path, tables: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in (tables or TABLES).items():
        sheet = workbook.create_sheet(name)
        columns = list(dict.fromkeys(k for r in rows for k in r))
        sheet.append(columns)
        for r in rows:
            cells = []
            for c in columns:
                value = r.get(c, "")
                if c.endswith("_on") and value:
                    value = date.fromisoformat(value)  # a real date cell, as HR spreadsheets have
                elif c in ("rating", "birth_year") and value:
                    value = int(value)
                cells.append(value if value != "" else None)
            sheet.append(cells)
    workbook.save(path)
    return path


def load_roster(tables: dict[str, list[dict[str, Any]]] | None = None, *, as_of: date | None = None):
    """Validate and import through the real path (the JSON feed's reader, then do_import_roster)."""
    checked = validate(read_json(tables or TABLES), as_of=as_of)
    assert checked.ok, [str(e) for e in checked.errors]
    return do_import_roster(actor=Actor.system("import"), batch=checked.batch, source="test")
