"""The common analytics schema. Every dataset — the live system's structured facts or an imported one — is a
folder of Parquet files with exactly these tables and columns, plus `meta.json`.

Never narratives or identities: person_id is an opaque id (roster public id or the dataset's own id), never a name.

Conventions
- dates are `date` (no time); a missing value is null, never a sentinel;
- every date column X has a companion `X_precision` ("day", "month" or "year"; null = "day"): a date known only to
  the month or the year is stored as the first day of that month or year, and its precision says so (precision.py);
- boolean stage flags are null when the dataset cannot say (a stage it has no data for is "missing", not zero);
- `group` labels (ethnicity, sex) are the dataset's own labels, kept verbatim.
"""

from __future__ import annotations

import polars as pl

TABLES: dict[str, dict[str, pl.DataType]] = {
    # One row per person who is (or was) in the workforce or was ever accused.
    "people": {
        "person_id": pl.Utf8(),
        "sex": pl.Utf8(),
        "ethnicity": pl.Utf8(),
        "rank": pl.Utf8(),
        "unit": pl.Utf8(),
        "birth_year": pl.Int32(),
        "appointed_date": pl.Date(),
        "left_date": pl.Date(),
        "left_reason": pl.Utf8(),
        "in_workforce": pl.Boolean(),  # counted in per-head denominators
        "staff_kind": pl.Utf8(),  # "officer" | "staff" (police staff) | null when unknown
    },
    # One row per complaint (a report or case).
    "complaints": {
        "complaint_id": pl.Utf8(),
        "received_date": pl.Date(),  # the complaint date used by --from/--to
        "incident_date": pl.Date(),
        "closed_date": pl.Date(),
        "source": pl.Utf8(),  # "public" | "internal"
        "category": pl.Utf8(),  # main category of the complaint
        "handling_unit": pl.Utf8(),
        "handovers": pl.Int32(),  # owner changes after the first; null when unknown
        "accounts_taken": pl.Int32(),  # times the victim was asked for an account; null when unknown
    },
    # One row per complainant on a complaint (optional equality data, aggregate use only).
    "complainants": {
        "complaint_id": pl.Utf8(),
        "sex": pl.Utf8(),
        "ethnicity": pl.Utf8(),
        "is_staff": pl.Boolean(),
    },
    # One row per accused person × complaint × category (an allegation).
    "allegations": {
        "allegation_id": pl.Utf8(),
        "complaint_id": pl.Utf8(),
        "person_id": pl.Utf8(),
        "category": pl.Utf8(),
        # The category mapped onto policy/categories.toml keys (sexual_misconduct, racism, …) so datasets compare;
        # null where the dataset's category has no mapping.
        "theme": pl.Utf8(),
        "assessed_misconduct": pl.Boolean(),  # assessed as misconduct or gross misconduct
        "investigated": pl.Boolean(),
        "finding": pl.Utf8(),  # "substantiated" | "not_substantiated" | "unfounded" | "exonerated" | "no_finding" | null
        "proceedings": pl.Boolean(),  # meeting or hearing held
        "sanction": pl.Utf8(),  # null = none recorded
        "sanctioned": pl.Boolean(),
        "dismissed": pl.Boolean(),
        "outcome_date": pl.Date(),
    },
    # One row per stage entered by a complaint (timeliness).
    "stage_events": {
        "complaint_id": pl.Utf8(),
        "stage": pl.Utf8(),
        "date": pl.Date(),
    },
    # One row per HR event (careers, attrition, retaliation).
    "hr_events": {
        "person_id": pl.Utf8(),
        "kind": pl.Utf8(),
        "date": pl.Date(),
        "outcome": pl.Utf8(),
        "unit": pl.Utf8(),  # the unit a posting or transfer moved the person to (kind "unit_assignment" / "transfer")
    },
    # One row per officer witness on a complaint.
    "witnesses": {
        "complaint_id": pl.Utf8(),
        "person_id": pl.Utf8(),
    },
    # Staff who reported (for attrition after reporting); person_id × complaint.
    "reporters": {
        "complaint_id": pl.Utf8(),
        "person_id": pl.Utf8(),
        "reported_date": pl.Date(),
    },
}

PRECISION_SUFFIX = "_precision"
for _columns in TABLES.values():
    for _name, _dtype in list(_columns.items()):
        if _dtype == pl.Date():
            _columns[_name + PRECISION_SUFFIX] = pl.Utf8()


# meta.json keys: name, source ("cpdp" | "csv" | "live"), imported_at is NOT stored (determinism);
# workforce_known (bool), stages_available (list of stage names with data), notes (list of strings), rows (per table),
# recorded ({table: [columns with at least one value]}), and for an import: quality (the data-quality summary,
# importers/quality.py) and mapping_sha256 (the mapping file's hash, for imports through a mapping).


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=TABLES[table])


def conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Add missing columns as nulls, cast to the schema's types and order columns; refuse unknown tables."""
    schema = TABLES[table]
    columns = []
    for name, dtype in schema.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype, strict=False).alias(name))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns)
