"""Exports as real systems write them, built in a test's temporary folder: a civilian complaint board's release
(docs/examples/messy-export-mapping.toml) from a seeded generator, with the truth kept beside it so tests can count
independently of the importer; and the ways a file can be broken."""

from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

from upstander.env import repo_root

MESSY_MAPPING = repo_root() / "docs" / "examples" / "messy-export-mapping.toml"
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
DISPOSITIONS = {
    "Substantiated (Charges)": "substantiated", "Substantiated (Command Discipline A)": "substantiated",
    "SUBSTANTIATED (Formalized Training)": "substantiated", "Unsubstantiated": "not_substantiated",
    "Exonerated": "exonerated", "Unfounded": "unfounded", "Complaint Withdrawn": "no_finding",
    "Closed - Pending Litigation": "no_finding", "Miscellaneous - Subject Resigned": "no_finding",
}
PENALTIES = ["Charges", "Command Discipline B", "Instructions", "No penalty"]
GROUPS = ["White", "Black", "Hispanic", "Asian", "Amérindien"]
YEARS = (2009, 2010, 2011)


@dataclasses.dataclass
class Truth:
    """What the export says, as plain Python: complaint number → (year, month received); allegations as
    (complaint, officer, finding); officer → (latest rank, group, rows written)."""

    received: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)
    closed: dict[str, tuple[int, int] | None] = dataclasses.field(default_factory=dict)
    allegations: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)
    unknown_officer_rows: int = 0
    officers: dict[str, tuple[str, str, int]] = dataclasses.field(default_factory=dict)
    complainants: int = 0


def write_rows(path: Path, rows: list[list[str]], header: list[str] | None = None, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def _month(rng: random.Random, month: int) -> str:
    return rng.choice([str(month), f"{month:02d}", MONTH_NAMES[month - 1], MONTH_NAMES[month - 1][:3]])


def _complaints(folder: Path, rng: random.Random, per_year: int, truth: Truth) -> None:
    number = 1000
    for year in YEARS:
        rows = []
        for _ in range(per_year):
            number += rng.randint(1, 40)
            month = rng.randint(1, 12)
            closed = None if rng.random() < 0.2 else (year + rng.randint(0, 2), rng.randint(1, 12))
            if closed and closed < (year, month):
                closed = (year, month)
            truth.received[str(number)] = (year, month)
            truth.closed[str(number)] = closed
            rows.append([str(number), _month(rng, month), str(year), _month(rng, closed[1]) if closed else "",
                         str(closed[0]) if closed else "", rng.choice(["Force", "Abuse of Authority", "Discourtesy"])])
        write_rows(folder / "complaints" / f"complaints_{year}.csv", rows)


def _allegations(folder: Path, rng: random.Random, officers: list[str], truth: Truth) -> None:
    rows = []
    for number in truth.received:
        for officer in rng.sample(officers, rng.randint(1, 3)) + (["UNKNOWN"] if rng.random() < 0.15 else []):
            disposition = rng.choice(list(DISPOSITIONS))
            substantiated = DISPOSITIONS[disposition] == "substantiated"
            penalty = rng.choice(PENALTIES) if substantiated else ""
            rows.append([number, officer, rng.choice(["Force", "Abuse of Authority"]), disposition, penalty])
            if officer == "UNKNOWN":
                truth.unknown_officer_rows += 1
            else:
                truth.allegations.append((number, officer, DISPOSITIONS[disposition]))
    write_rows(folder / "allegations.csv", rows,
               ["complaint_no", "officer_id", "fado_type", "board_disposition", "penalty"])


def _people(folder: Path, rng: random.Random, officers: list[str], truth: Truth) -> None:
    rows = []
    for officer in officers:
        group, sex = rng.choice(GROUPS), rng.choice(["Male", "Female"])
        ranks = ["Police Officer", "Sergeant", "Lieutenant"][: rng.randint(1, 3)]
        for year, rank in zip(YEARS, ranks, strict=False):
            rows.append([officer, str(year), rank, group, sex])
        truth.officers[officer] = (ranks[-1], group, len(ranks))
    write_rows(folder / "officers.csv", rows, ["officer_id", "year", "rank", "ethnicity", "gender"],
               encoding="latin-1")


def write_messy_export(folder: Path, *, seed: int = 14, per_year: int = 120) -> Truth:
    """The export docs/examples/messy-export-mapping.toml maps, and the truth it was written from."""
    rng = random.Random(seed)
    truth = Truth()
    officers = [str(5000 + i) for i in range(40)]
    _complaints(folder, rng, per_year, truth)
    _allegations(folder, rng, officers, truth)
    _people(folder, rng, officers, truth)
    rows = [[f"{year}-{int(number):07d}", rng.choice(["Male", "Female", ""]), rng.choice(GROUPS)]
            for number, (year, _) in truth.received.items() if rng.random() < 0.8]
    truth.complainants = len(rows)
    write_rows(folder / "complainants.csv", rows, ["complaint_ref", "gender", "race"])
    return truth


# --- broken files ---------------------------------------------------------------------------------------------------

SECRET = "Officer Jane Secretname"  # a value that must never appear in an error message


def break_file(path: Path, how: str, line: int = 3) -> None:
    """Break one line of a UTF-8 CSV file (`line` counted from 1, the header included) the way exports break."""
    lines = path.read_text().splitlines(keepends=True)
    fields = lines[line - 1].rstrip("\r\n").split(",")
    if how == "short":
        lines[line - 1] = ",".join(fields[:-1]) + "\n"
    elif how == "extra":
        lines[line - 1] = ",".join([*fields, SECRET]) + "\n"
    elif how == "quote":
        lines[line - 1] = ",".join([fields[0], f'"{SECRET}', *fields[2:]]) + "\n"
    else:
        raise ValueError(how)
    lines.insert(line, ",".join([fields[0], SECRET, *fields[2:]]) + "\n")  # a following row carrying a name
    path.write_text("".join(lines))
