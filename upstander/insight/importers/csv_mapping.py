"""Import any complaints dataset from CSV files through a TOML mapping (docs/import-formats.md), so a new source
needs a mapping, not code.

A mapping names, for each table of the common schema (schema.TABLES), the files that feed it (names, globs, with or
without a header), which of their columns becomes which schema column, value maps, date formats or date parts, id
patterns, row filters and constants (mapping.py checks it all before a file is opened). The files are read strictly
(reading.py), the columns mapped (columns.py), complaints and people merged by id, and the result stored whole or
not at all. Every import writes a data-quality summary (quality.py); anything it cannot stand behind — a coded value
that maps to nothing, a date that does not read, a broken row — refuses the import, naming all of them at once.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import polars as pl

from upstander.insight import precision, stages
from upstander.insight.datasets import save
from upstander.insight.errors import DatasetError
from upstander.insight.importers import columns, quality, reading
from upstander.insight.importers.mapping import (
    MERGED_TABLES,
    Mapping,
    MappingError,
    TableSpec,
    check_mapping,
    read_mapping,
)
from upstander.insight.schema import conform

__all__ = ["MappingError", "build", "check_mapping", "import_csv", "read_mapping"]


def read_table(directory: Path, spec: TableSpec, report: quality.TableQuality) -> pl.DataFrame:
    """Every file of the table, read strictly, as one frame of the file columns the mapping uses."""
    needed = sorted(spec.file_columns()) or None  # None: a table of constants only keeps every column
    frames = []
    for path in reading.expand(directory, spec.files):
        frame, info = reading.read_file(path, delimiter=spec.delimiter, quote=spec.quote, encoding=spec.encoding,
                                        names=spec.names, keep=needed)
        frames.append(frame)
        report.files.append(info.as_dict())
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    report.rows_read = frame.height
    return frame


def _skip_empty(frame: pl.DataFrame, spec: TableSpec, report: quality.TableQuality) -> pl.DataFrame:
    for column in spec.skip_empty:
        if column in frame.columns:
            before = frame.height
            frame = frame.filter(pl.col(column).is_not_null())
            report.drop(f"{column} is empty (skip_rows_where_empty)", before - frame.height)
    return frame


def _finish(tables: dict[str, pl.DataFrame], mapping: Mapping, report: quality.Quality) -> None:
    """Ids: complaints and people merged by id (rows without one dropped), allegations given an id where the
    source has none, witnesses counted once per complaint."""
    for table, key in MERGED_TABLES.items():
        if table not in tables:
            continue
        frame, table_report = tables[table], report.table(table)
        keyless = frame.filter(pl.col(key).is_null()).height
        if keyless:
            frame = frame.filter(pl.col(key).is_not_null())
            table_report.drop(f"{key} is empty", keyless)
        tables[table] = quality.merge_duplicates(frame, key, mapping.tables[table].merge, table_report)
    if "allegations" in tables and tables["allegations"]["allegation_id"].null_count():
        # No id in the source: one from the complaint, the accused and the row (stable for the same files).
        tables["allegations"] = tables["allegations"].with_row_index("_row").with_columns(
            pl.coalesce(pl.col("allegation_id"),
                        pl.concat_str(pl.col("complaint_id").fill_null("?"), pl.col("person_id").fill_null("?"),
                                      pl.col("_row").cast(pl.Utf8), separator="|"))
            .alias("allegation_id")).drop("_row")
    if "witnesses" in tables:
        before = tables["witnesses"].height
        tables["witnesses"] = tables["witnesses"].unique(maintain_order=True)
        report.table("witnesses").duplicates_merged = before - tables["witnesses"].height


def _warnings(mapping: Mapping, tables: dict[str, pl.DataFrame], report: quality.Quality) -> list[str]:
    found = []
    mapped = mapping.tables.get("allegations")
    if mapped is not None and "sanction" in mapped.columns and "sanctioned" not in mapped.columns:
        found.append("allegations.sanction is mapped but allegations.sanctioned is not: the sanction stage will be "
                     "reported as not recorded. Map sanctioned too (from the same column, with a value map to "
                     "true and false).")
    complaints = mapping.tables["complaints"]
    if "source" not in complaints.columns and "source" not in complaints.constants:
        found.append("complaints.source is not mapped: no complaint is public or internal, so --source public or "
                     "internal finds none (map it, or set it in [tables.complaints.constants]).")
    if mapped is not None and "finding" not in mapped.columns and "finding" not in mapped.constants:
        found.append("allegations.finding is not mapped: every substantiation figure will be not recorded.")
    if mapping.dataset.get("workforce_known") and ("people" not in tables
                                                   or not tables["people"]["in_workforce"].fill_null(False).any()):
        found.append("[dataset] says workforce_known, but no person is in_workforce (set in_workforce in "
                     "[tables.people.constants] or map it): per-head rates will be not recorded.")
    received = report.table("complaints").dates.get("received_date", {})
    if received.get("year") and not received.get("day") and not received.get("month"):
        found.append("complaint dates are known only to the year: windows must run from 1 January to 31 December, "
                     "and measures in days (time to close, deadlines) are withheld.")
    for table, table_report in report.tables.items():
        for kind, what in (("catch_all", "became the catch-all value"), ("unmapped_to_null", "were imported as "
                                                                                            "not recorded")):
            for column, rows in getattr(table_report, kind).items():
                values = ", ".join(f"{r['value'][:40]!r} ({r['rows']:,})" for r in rows[:10])
                found.append(f"{sum(r['rows'] for r in rows):,} {table}.{column} values {what}: {values}"
                             + (" …" if len(rows) > 10 else ""))
    return found + quality.orphan_warnings(report.orphans)


def as_of(complaints: pl.DataFrame) -> Any:
    """The date the extract was taken, as far as the data shows: the end of its last complaint received or closed
    (the end of the month or year where dates are only that precise)."""
    ends = complaints.select(precision.period_end("received_date").max().alias("r"),
                             precision.period_end("closed_date").max().alias("c")).row(0)
    return max((d for d in ends if d is not None), default=None)


def build(mapping: Mapping, directory: Path) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """Read and map every table (no writing); refuse with every problem found, or return tables and meta."""
    report = quality.Quality(mapping_sha256=mapping.sha256 or None)
    problems: list[str] = []
    tables = {}
    for table, spec in mapping.tables.items():
        table_report = report.table(table)
        frame = columns.apply_filters(read_table(directory, spec, table_report), spec, table_report)
        mapped = _skip_empty(columns.map_table(frame, spec, table_report, problems), spec, table_report)
        tables[table] = conform(table, mapped)
    if problems:
        listed = "\n".join(f"- {problem}" for problem in problems)
        raise MappingError(f"the import was refused: {len(problems)} problem{'s' * (len(problems) > 1)} in the "
                           f"data the mapping cannot stand behind.\n{listed}")
    _finish(tables, mapping, report)
    for table, frame in tables.items():
        report.table(table).rows_kept = frame.height
    report.orphans = quality.orphans(tables)
    report.warnings = _warnings(mapping, tables, report)
    dataset = mapping.dataset
    allegations = tables.get("allegations", conform("allegations", pl.DataFrame()))
    meta = {
        "source": "csv",
        "origin": dataset.get("origin", ""),
        "workforce_known": bool(dataset.get("workforce_known", False)) and "people" in tables,
        "stages_available": stages.available(allegations),
        "as_of": dataset.get("as_of") or as_of(tables["complaints"]),
        "complainant_equality_data": "complainants" in tables,
        "notes": list(dataset.get("notes", [])),
        "mapping_sha256": mapping.sha256,
        "quality": report.as_dict(),
    }
    return tables, meta


def import_csv(mapping_path: Path, directory: Path, name: str, *, allow_unmapped: bool = False,
               allow_bad_dates: bool = False) -> dict[str, Any]:
    """Import the export in `directory` as dataset `name` (replacing any earlier one only once the whole import
    has succeeded). Returns a summary with the data-quality report."""
    started = time.perf_counter()
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetError(f"{directory} is not a folder")
    mapping = read_mapping(mapping_path)
    if allow_unmapped or allow_bad_dates:
        mapping = dataclasses.replace(mapping, tables={
            table: dataclasses.replace(spec, unmapped_to_null=spec.unmapped_to_null or allow_unmapped,
                                       bad_dates_to_null=spec.bad_dates_to_null or allow_bad_dates)
            for table, spec in mapping.tables.items()})
    tables, meta = build(mapping, directory)
    meta["mapping"] = Path(mapping_path).name
    path = save(name, tables, meta)
    return {"dataset": name, "path": str(path), "rows": {k: v.height for k, v in tables.items()},
            "seconds": round(time.perf_counter() - started, 2), "mapping_sha256": mapping.sha256,
            "quality": meta["quality"]}
