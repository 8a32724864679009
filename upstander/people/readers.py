"""Read roster files (CSV, XLSX) into raw rows with their line numbers. Nothing here raises on bad input: a file
that cannot be used becomes a `RowError` on line 1, so the importer can report every problem at once."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from upstander.people.records import TABLES, Table, is_blank, table_for_header


@dataclass(frozen=True)
class RowError:
    source: str  # a file, "file sheet NAME", or a JSON table name
    line: int  # line in the file (the header is line 1), or record number in a JSON list (from 1)
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.source} {self.unit} {self.line}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, self.unit: self.line, "reason": self.reason}


@dataclass
class RawRow:
    source: str
    line: int
    values: dict[str, Any]
    unit: str = "line"
    problems: list[str] = field(default_factory=list)  # found while reading, reported with the row's other problems


@dataclass
class Sheet:
    source: str
    table: Table | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def normalise_header(cell: Any) -> str:
    return "" if cell is None else str(cell).strip().lower().replace(" ", "_").replace("-", "_")


def _check_header(sheet: Sheet, header: list[str], hinted: Table | None = None) -> bool:
    """Set the sheet's table and columns from its header, or record why the header is unusable (line 1)."""
    if not any(header):
        sheet.errors.append(RowError(sheet.source, 1, "has no header row"))
        return False
    table = hinted or table_for_header(header)
    if table is None:
        sheet.errors.append(RowError(sheet.source, 1, "the header names no roster table: it needs one of the key "
                                     "columns " + ", ".join(t.key for t in TABLES.values())))
        return False
    problems = []
    seen: set[str] = set()
    for name in header:
        if not name:
            problems.append("a column has no name")
        elif name in seen:
            problems.append(f"column {name} appears twice")
        elif table.column(name) is None:
            problems.append(f"unknown column {name} for the {table.name} table")
        seen.add(name)
    missing = [c for c in table.required if c not in seen]
    if missing:
        problems.append(f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        f"for the {table.name} table")
    if problems:
        sheet.errors.append(RowError(sheet.source, 1, "; ".join(problems)))
        return False
    sheet.table, sheet.columns = table, header
    return True


def _add_row(sheet: Sheet, line: int, cells: list[Any]) -> None:
    if all(is_blank(c) for c in cells):
        return
    if len(cells) > len(sheet.columns) and not all(is_blank(c) for c in cells[len(sheet.columns):]):
        sheet.errors.append(RowError(sheet.source, line, f"has {len(cells)} cells but the header has "
                                     f"{len(sheet.columns)} columns"))
        return
    padded = list(cells[: len(sheet.columns)]) + [None] * (len(sheet.columns) - len(cells))
    sheet.rows.append(RawRow(sheet.source, line, dict(zip(sheet.columns, padded, strict=True))))


def _delimiter(first_line: str) -> str:
    return max([",", ";", "\t"], key=first_line.count)


def read_csv(data: bytes, source: str) -> list[Sheet]:
    sheet = Sheet(source)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        sheet.errors.append(RowError(source, 1, "is not UTF-8 text (save the export as CSV UTF-8)"))
        return [sheet]
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=_delimiter(content.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        if header is None or not _check_header(sheet, [normalise_header(h) for h in header]):
            if header is None:
                sheet.errors.append(RowError(source, 1, "is empty"))
            return [sheet]
        start = reader.line_num + 1
        for cells in reader:
            _add_row(sheet, start, cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        sheet.errors.append(RowError(source, reader.line_num or 1, f"is not readable CSV ({exc})"))
    return [sheet]


def read_xlsx(data: bytes, source: str) -> list[Sheet]:
    """One table per worksheet, named after the table (units, teams, people, hr_events) or recognised from its
    header. Blank worksheets are skipped."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return [Sheet(source, errors=[RowError(source, 1, f"is not a readable XLSX workbook ({exc.__class__.__name__})")])]
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            sheet = Sheet(f"{source} sheet {worksheet.title}")
            rows = worksheet.iter_rows(values_only=True)
            header_cells = next(rows, None)
            if header_cells is None or all(is_blank(c) for c in header_cells):
                continue
            header = [normalise_header(c) for c in header_cells]
            while header and not header[-1]:
                header.pop()  # trailing empty header cells of a formatted sheet
            hinted = TABLES.get(normalise_header(worksheet.title))
            if _check_header(sheet, header, hinted):
                for line, cells in enumerate(rows, start=2):
                    _add_row(sheet, line, list(cells))
            sheets.append(sheet)
    finally:
        workbook.close()
    if not sheets:
        return [Sheet(source, errors=[RowError(source, 1, "has no worksheet with a header row")])]
    return sheets


def read_file(path: Path) -> list[Sheet]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Sheet(str(path), errors=[RowError(str(path), 1, f"cannot be read ({exc.strerror or exc})")])]
    if path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return read_xlsx(data, path.name)
    return read_csv(data, path.name)


def read_json(payload: Any) -> list[Sheet]:
    """The nightly feed's body: {"units": [...], "teams": [...], "people": [...], "hr_events": [...]}, each record an
    object with the same fields as a file's columns. A field left out of a record leaves the stored value as it is."""
    if not isinstance(payload, dict):
        return [Sheet("body", errors=[RowError("body", 1, "must be a JSON object with lists named "
                                               + ", ".join(TABLES), unit="record")])]
    sheets = []
    unknown = sorted(set(payload) - set(TABLES))
    if unknown:
        sheets.append(Sheet("body", errors=[RowError("body", 1, f"unknown list{'s' if len(unknown) > 1 else ''} "
                                                     + ", ".join(unknown), unit="record")]))
    for name, table in TABLES.items():
        records = payload.get(name)
        if records is None:
            continue
        sheet = Sheet(name, table=table)
        if not isinstance(records, list):
            sheet.errors.append(RowError(name, 1, "must be a list of records", unit="record"))
        else:
            for number, record in enumerate(records, start=1):
                if not isinstance(record, dict):
                    sheet.errors.append(RowError(name, number, "is not an object", unit="record"))
                    continue
                extra = sorted(k for k in record if table.column(k) is None)
                problems = [f"unknown field{'s' if len(extra) > 1 else ''} {', '.join(extra)}"] if extra else []
                sheet.rows.append(RawRow(name, number, dict(record), unit="record", problems=problems))
        sheets.append(sheet)
    return sheets
