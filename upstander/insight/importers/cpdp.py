"""Import the Chicago Citizens Police Data Project release (../shared/data/chicago-cpdp-2019, see its SOURCE.md).

Only structured facts are read: no names, stars, addresses or narratives reach the dataset. Officer ids (`UID`) and
complaint ids (`cr_id`) are kept as opaque strings, with float spellings ("130469.0") normalised.

Mapping decisions (also in meta.json `notes`):
- an allegation is one accused officer on one complaint (the file has exactly one row per cr_id × UID);
- final_finding SU → substantiated, NS → not_substantiated, UN → unfounded, EX → exonerated, NAF (no affidavit)
  and the rare NC / DIS codes → no_finding, empty → null (not recorded);
- investigated: true for SU/NS/UN/EX (a finding on the merits), false for NAF (closed without investigation: Illinois
  requires a sworn affidavit), null otherwise. Assessment and proceedings are not recorded: those stages are missing;
- sanction: the final outcome, upper-cased, when it is a penalty (reprimand, violation noted, suspension, separation,
  termination, resigned before a penalty was served, penalty not served, reinstated after a penalty); bare numbers
  are suspension days. "NO ACTION TAKEN" and "SUSTAINED-NO PENALTY" are no sanction; UNKNOWN or empty is null;
- dismissal: SEPARATION, ADMIN(ISTRATIVE) TERMINATION, SUSPENDED INDEFINITELY;
- complaints listed in officer-filed-complaints are "internal", the rest "public";
- handovers: distinct investigators (supervising investigators excluded) − 1, where the complaint has investigators;
- people: every final profile is in the workforce; race and gender labels verbatim; rank = cleaned_rank;
  unit = current unit; left_date = resignation date (no reason recorded);
- unit history becomes hr_events of kind "unit_assignment"; CPD witnesses become witnesses.

The files are read strictly (reading.py: a broken row refuses the import naming its file and line), and the import
writes the same data-quality summary as a mapped import: rows read and kept, what every finding, outcome and
category became, how the dates read, and which rows join nothing.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import polars as pl

from upstander.insight import stages
from upstander.insight.datasets import DatasetError, save
from upstander.insight.importers import quality, reading
from upstander.insight.schema import conform

FILES = {
    "complaints": "complaints-complaints.csv.gz",
    "accused": "complaints-accused.csv.gz",
    "complainants": "complaints-complainants.csv.gz",
    "investigators": "complaints-investigators.csv.gz",
    "witnesses": "complaints-CPD-witnesses.csv.gz",
    "officer_filed": "officer-filed-complaints__2017-09.csv.gz",
    "profiles": "final-profiles.csv.gz",
    "unit_history": "unit-history.csv.gz",
}
OPTIONAL = {"complainants", "investigators", "witnesses", "unit_history"}

FINDINGS = {"SU": "substantiated", "NS": "not_substantiated", "UN": "unfounded", "EX": "exonerated",
            "NAF": "no_finding", "NC": "no_finding", "DIS": "no_finding"}
ON_THE_MERITS = ["SU", "NS", "UN", "EX"]

NO_SANCTION = ["NO ACTION TAKEN", "SUSTAINED-NO PENALTY"]
UNKNOWN_OUTCOME = ["UNKNOWN", ""]
DISMISSAL = ["SEPARATION", "ADMIN. TERMINATION", "ADMINISTRATIVE TERMINATION", "SUSPEN'D INDEFINIT'Y"]
SANCTION_PATTERN = (r"REPRIMAND|VIOLATION NOTED|SUSPEN|SEPARATION|TERMINATION|RESIGNED|PENALTY NOT SERVED|"
                    r"REINSTATED|^\d+$")

# Ordered keyword rules from the CPD category text to policy/categories.toml keys (first match wins).
THEMES: list[tuple[str, str]] = [
    (r"RAPE|SEX OFFENSE", "sexual_assault"),
    (r"SEXUAL ORIENTATION", "homophobia"),
    (r"SEXUAL", "sexual_misconduct"),
    (r"RACIAL", "racism"),
    (r"DOMESTIC", "domestic_abuse"),
    (r"BRIBERY|CORRUPTION", "corruption"),
    (r"EXCESSIVE FORCE|FIREARM DISCHARGE|CHOKED|STRIKE|COERCION - VIOLENCE", "violence"),
    (r"^HARASSMENT$", "bullying"),
    (r"COMMISSION OF CRIME", "other_crime"),
]


def _read(directory: Path, key: str, files: list[dict[str, Any]]) -> pl.DataFrame | None:
    path = directory / FILES[key]
    if not path.is_file():
        if key in OPTIONAL:
            return None
        raise DatasetError(f"{path} is missing: is {directory} the chicago-cpdp-2019 folder?")
    frame, info = reading.read_file(path)
    files.append(info.as_dict())
    return frame


def norm_id(column: str) -> pl.Expr:
    """An id as a clean string: trimmed, and "130469.0" written as "130469"."""
    return pl.col(column).str.strip_chars().str.replace(r"^(\d+)\.0*$", "${1}").replace("", None)


def iso_date(column: str) -> pl.Expr:
    return pl.col(column).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def _theme() -> pl.Expr:
    text = pl.col("category").str.to_uppercase()
    expr = pl.when(text.is_null()).then(pl.lit(None, dtype=pl.Utf8))
    for pattern, key in THEMES:
        expr = expr.when(text.str.contains(pattern)).then(pl.lit(key))
    return expr.otherwise(pl.lit("other"))


def _allegations(accused: pl.DataFrame, closed: pl.DataFrame) -> pl.DataFrame:
    code = pl.col("final_finding").str.strip_chars().str.to_uppercase()
    outcome = pl.col("final_outcome").fill_null("").str.strip_chars().str.to_uppercase().str.replace_all(r"\s+", " ")
    sanctioned = (pl.when(outcome.is_in(UNKNOWN_OUTCOME)).then(None)
                  .when(outcome.is_in(NO_SANCTION)).then(False)
                  .otherwise(outcome.str.contains(SANCTION_PATTERN)))
    dismissed = pl.when(sanctioned.is_null()).then(None).otherwise(outcome.is_in(DISMISSAL))
    frame = accused.select(
        norm_id("cr_id").alias("complaint_id"),
        norm_id("UID").alias("person_id"),
        pl.col("complaint_category").str.strip_chars().alias("category"),
        code.replace_strict(FINDINGS, default=None).alias("finding"),
        pl.when(code.is_in(ON_THE_MERITS)).then(True).when(code == "NAF").then(False).otherwise(None)
        .alias("investigated"),
        sanctioned.alias("sanctioned"),
        pl.when(sanctioned).then(outcome).otherwise(None).alias("sanction"),
        dismissed.alias("dismissed"),
    )
    return frame.with_columns(
        (pl.col("complaint_id") + "|" + pl.col("person_id").fill_null("?")).alias("allegation_id"),
        _theme().alias("theme"),
    ).join(closed, on="complaint_id", how="left", maintain_order="left")  # row for row with the file (quality)


def _complaints(raw: pl.DataFrame, internal: pl.Series, allegations: pl.DataFrame,
                investigators: pl.DataFrame | None) -> pl.DataFrame:
    complaints = raw.select(
        norm_id("cr_id").alias("complaint_id"),
        iso_date("complaint_date").alias("received_date"),
        iso_date("incident_date").alias("incident_date"),
        iso_date("closed_date").alias("closed_date"),
    ).unique("complaint_id", keep="first")
    complaints = complaints.with_columns(
        pl.when(pl.col("complaint_id").is_in(internal.implode())).then(pl.lit("internal")).otherwise(pl.lit("public"))
        .alias("source"))
    # The complaint's main category: its most frequent allegation category (ties: alphabetical).
    main = (allegations.filter(pl.col("category").is_not_null()).group_by("complaint_id", "category").len()
            .sort(["complaint_id", "len", "category"], descending=[False, True, False])
            .unique("complaint_id", keep="first").select("complaint_id", "category"))
    complaints = complaints.join(main, on="complaint_id", how="left")
    if investigators is not None:
        owners = (investigators.filter(pl.col("investigator_type").fill_null("") != "SUPERVISING INVESTIGATOR")
                  .select(norm_id("cr_id").alias("complaint_id"), norm_id("investigator_ID").alias("investigator"))
                  .drop_nulls().unique().group_by("complaint_id")
                  .agg((pl.len() - 1).cast(pl.Int32).alias("handovers")))
        complaints = complaints.join(owners, on="complaint_id", how="left")
    return complaints


def _people(profiles: pl.DataFrame) -> pl.DataFrame:
    return profiles.select(
        norm_id("UID").alias("person_id"),
        pl.col("gender").str.strip_chars().alias("sex"),
        pl.col("race").str.strip_chars().alias("ethnicity"),
        pl.coalesce(pl.col("cleaned_rank"), pl.col("current_rank")).str.strip_chars().alias("rank"),
        norm_id("current_unit").alias("unit"),
        pl.col("birth_year").cast(pl.Float64, strict=False).cast(pl.Int32, strict=False).alias("birth_year"),
        iso_date("appointed_date").alias("appointed_date"),
        iso_date("resignation_date").alias("left_date"),
        pl.lit(True).alias("in_workforce"),
        pl.lit("officer").alias("staff_kind"),
    ).unique("person_id", keep="first")


def as_of(complaints: pl.DataFrame) -> Any:
    """The date the extract was taken, as far as the data shows: its last complaint received or closed."""
    dates = [complaints["received_date"].max(), complaints["closed_date"].max()]
    return max((d for d in dates if d is not None), default=None)


def _stage_events(complaints: pl.DataFrame, investigators: pl.DataFrame | None) -> pl.DataFrame:
    frames = [
        complaints.select("complaint_id", pl.lit("received").alias("stage"), pl.col("received_date").alias("date")),
        complaints.select("complaint_id", pl.lit("closed").alias("stage"), pl.col("closed_date").alias("date")),
    ]
    if investigators is not None:
        frames.append(investigators.select(
            norm_id("cr_id").alias("complaint_id"), pl.lit("investigator_assigned").alias("stage"),
            pl.col("assigned_datetime").str.to_date("%d-%b-%y", strict=False).alias("date")))
    # A handful of two-digit years read as 2030/2040: a date after the extract was taken is an error, not a fact.
    cutoff = as_of(complaints)
    return (pl.concat(frames).drop_nulls(["complaint_id", "date"]).filter(pl.col("date") <= cutoff).unique()
            .sort(["complaint_id", "date", "stage"]))


# schema table: (the file it is read from, the columns whose values are listed with what they became)
SUMMARISED = {"complaints": ("complaints", {}),
              "allegations": ("accused", {"finding": "final_finding", "sanctioned": "final_outcome",
                                          "theme": "complaint_category"}),
              "people": ("profiles", {}), "complainants": ("complainants", {}), "witnesses": ("witnesses", {}),
              "hr_events": ("unit_history", {})}
DATES = {("complaints", "received_date"): "complaint_date", ("complaints", "closed_date"): "closed_date",
         ("complaints", "incident_date"): "incident_date", ("people", "appointed_date"): "appointed_date",
         ("people", "left_date"): "resignation_date"}


def _quality(raw: dict[str, pl.DataFrame | None], tables: dict[str, pl.DataFrame],
             files: list[dict[str, Any]]) -> dict[str, Any]:
    report = quality.Quality()
    for table, (key, listed) in SUMMARISED.items():
        source = raw[key]
        if source is None or table not in tables:
            continue
        part = report.table(table)
        part.files = [f for f in files if f["file"] == FILES[key]]
        part.rows_read, part.rows_kept = source.height, tables[table].height
        part.duplicates_merged = source.height - tables[table].height if table != "hr_events" else 0
        for column, file_column in listed.items():
            raw_values = source[file_column].str.to_uppercase() if column == "sanctioned" else source[file_column]
            part.values[column] = {"from": file_column,
                                   **quality.listed(quality.value_rows(raw_values, tables[table][column]))}
    for (table, column), file_column in DATES.items():
        source = raw["complaints" if table == "complaints" else "profiles"]
        assert source is not None
        bad = source.filter(pl.col(file_column).is_not_null() & iso_date(file_column).is_null())
        report.table(table).dates[column] = quality.date_report(
            tables[table], column, f"{file_column!r} as %Y-%m-%d", bad.height, quality.shapes(bad[file_column]))
    report.orphans = quality.orphans(tables)
    report.warnings = quality.orphan_warnings(report.orphans)
    return report.as_dict()


def build(directory: Path) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """Read the CPDP folder into the common schema's tables and meta (no writing)."""
    files: list[dict[str, Any]] = []
    raw = {key: _read(directory, key, files) for key in FILES}
    officer_filed = raw["officer_filed"]
    assert officer_filed is not None and raw["complaints"] is not None and raw["accused"] is not None
    internal = officer_filed.select(norm_id("cr_id")).to_series().drop_nulls()
    closed = raw["complaints"].select(norm_id("cr_id").alias("complaint_id"),
                                      iso_date("closed_date").alias("outcome_date")).unique("complaint_id")
    allegations = conform("allegations", _allegations(raw["accused"], closed))
    complaints = _complaints(raw["complaints"], internal, allegations, raw["investigators"])
    profiles = raw["profiles"]
    assert profiles is not None
    tables: dict[str, pl.DataFrame] = {
        "people": _people(profiles),
        "complaints": complaints,
        "allegations": allegations,
        "stage_events": _stage_events(complaints, raw["investigators"]),
    }
    source_of = complaints.select("complaint_id", "source")
    if raw["complainants"] is not None:
        tables["complainants"] = raw["complainants"].select(
            norm_id("cr_id").alias("complaint_id"), pl.col("gender").str.strip_chars().alias("sex"),
            pl.col("race").str.strip_chars().alias("ethnicity")).join(source_of, on="complaint_id", how="left")
    if raw["witnesses"] is not None:
        tables["witnesses"] = raw["witnesses"].select(
            norm_id("cr_id").alias("complaint_id"), norm_id("UID").alias("person_id")).drop_nulls().unique()
    if raw["unit_history"] is not None:
        tables["hr_events"] = raw["unit_history"].select(
            norm_id("UID").alias("person_id"), pl.lit("unit_assignment").alias("kind"),
            iso_date("unit_start_date").alias("date"), norm_id("unit").alias("unit")).drop_nulls("person_id")
    meta = {
        "source": "cpdp",
        "origin": "Citizens Police Data Project (Invisible Institute), Chicago, 1967 – March 2018",
        "workforce_known": True,
        "as_of": as_of(complaints),
        "stages_available": stages.available(allegations),
        "complainant_equality_data": raw["complainants"] is not None,
        "notes": [
            "An allegation is one accused officer on one complaint.",
            "Assessment and misconduct proceedings are not recorded in this dataset: those stages are missing.",
            "Investigated = a finding on the merits (SU, NS, UN, EX); NAF (no affidavit) = not investigated.",
            "Sanctions come from the final outcome text; a penalty later reversed on appeal still counts.",
            "Every officer with a final profile counts in the workforce; leaving reasons are not recorded.",
            "Complainants are not linked to staff records: complaints from department members are 'internal'.",
        ],
        "quality": _quality(raw, tables, files),
    }
    return tables, meta


def import_cpdp(directory: Path, name: str) -> dict[str, Any]:
    """Import the folder as dataset `name` (replacing any earlier one). Returns a summary."""
    started = time.perf_counter()
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetError(f"{directory} is not a folder")
    tables, meta = build(directory)
    path = save(name, tables, meta)
    return {"dataset": name, "path": str(path), "rows": {k: v.height for k, v in tables.items()},
            "seconds": round(time.perf_counter() - started, 2), "quality": meta["quality"]}
