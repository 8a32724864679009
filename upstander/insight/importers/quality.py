"""The data-quality summary every import writes (meta.json `quality`, printed after the import, carried into the
published report's signed manifest): what was read and kept, what every coded value became, what fell to a
catch-all, which dates did not parse and how precise the rest are, which rows join nothing, which duplicates were
merged — so a reader can see what the figures rest on.

It holds counts and the export's own coded words (findings, outcomes, categories), never an id, a name or a row.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import polars as pl

from upstander.insight import precision

LISTED = 200  # distinct values listed per column; the rest are counted together
ORPHAN_WARNING_SHARE = 0.05

# (table, column, table it should join, its key, what an orphan means)
JOINS = [
    ("allegations", "complaint_id", "complaints", "complaint_id", "name a complaint that is not in complaints"),
    ("complainants", "complaint_id", "complaints", "complaint_id", "name a complaint that is not in complaints"),
    ("stage_events", "complaint_id", "complaints", "complaint_id", "name a complaint that is not in complaints"),
    ("witnesses", "complaint_id", "complaints", "complaint_id", "name a complaint that is not in complaints"),
    ("reporters", "complaint_id", "complaints", "complaint_id", "name a complaint that is not in complaints"),
    ("allegations", "person_id", "people", "person_id", "accuse someone who is not in people"),
    ("witnesses", "person_id", "people", "person_id", "name a witness who is not in people"),
    ("hr_events", "person_id", "people", "person_id", "concern someone who is not in people"),
    ("reporters", "person_id", "people", "person_id", "name a reporter who is not in people"),
]


@dataclasses.dataclass
class TableQuality:
    files: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    rows_read: int = 0
    dropped: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    rows_kept: int = 0
    duplicates_merged: int = 0
    merge: str = "first"  # which value of a duplicated id's rows was kept
    conflicts: dict[str, int] = dataclasses.field(default_factory=dict)
    values: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    catch_all: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)
    unmapped_to_null: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)
    dates: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    ids: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    def drop(self, rule: str, rows: int) -> None:
        self.dropped.append({"rule": rule, "rows": rows})


@dataclasses.dataclass
class Quality:
    tables: dict[str, TableQuality] = dataclasses.field(default_factory=dict)
    orphans: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    mapping_sha256: str | None = None

    def table(self, name: str) -> TableQuality:
        return self.tables.setdefault(name, TableQuality())

    def as_dict(self) -> dict[str, Any]:
        document = dataclasses.asdict(self)
        if self.mapping_sha256 is None:
            document.pop("mapping_sha256")
        return document


def listed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Value rows (most frequent first) with the tail past LISTED counted rather than listed."""
    rows = sorted(rows, key=lambda r: (-r["rows"], str(r["value"])))
    shown, rest = rows[:LISTED], rows[LISTED:]
    return {"values": shown, "more": {"values": len(rest), "rows": sum(r["rows"] for r in rest)}}


def value_rows(raw: pl.Series, became: pl.Series) -> list[dict[str, Any]]:
    """Each distinct (value in the file, value imported) pair with its rows, for importers written in code."""
    pairs = pl.DataFrame({"value": raw, "became": became}).group_by("value", "became").len("rows")
    return [{"value": v, "became": b, "rows": n, "how": "importer"} for v, b, n in pairs.iter_rows()]


def date_report(frame: pl.DataFrame, column: str, source: str, unparsed: int = 0,
                shapes: dict[str, int] | None = None) -> dict[str, Any]:
    counts = precision.counts(frame, column)
    counts["empty"] -= unparsed
    return {"from": source, **counts, "unparsed": unparsed, "unparsed_shapes": shapes or {}}


def shapes(values: pl.Series, top: int = 5) -> dict[str, int]:
    """The shapes of values (digits as 9, letters as a) with their counts: what a bad date looks like, without
    quoting it."""
    shaped = values.str.replace_all(r"[0-9]", "9").str.replace_all(r"[^\W\d_]", "a").str.slice(0, 24)
    return {shape: n for shape, n in shaped.value_counts(sort=True).head(top).iter_rows()}


def merge_duplicates(frame: pl.DataFrame, key: str, keep: str, report: TableQuality) -> pl.DataFrame:
    """One row per `key`: the first (or last) value recorded for each column among the rows sharing it. The number
    of rows merged and, per column, how many ids had differing values (conflicts) are reported."""
    repeated = frame.filter(pl.col(key).is_duplicated())
    if repeated.height == 0:
        return frame
    others = [c for c in frame.columns if c != key]
    if others:
        distinct = repeated.group_by(key).agg(pl.col(c).drop_nulls().n_unique() for c in others)
        report.conflicts = {c: n for c in others if (n := int((distinct[c] > 1).sum()))}
    pick = (lambda c: pl.col(c).drop_nulls().first()) if keep == "first" else (lambda c: pl.col(c).drop_nulls().last())
    merged = repeated.group_by(key, maintain_order=True).agg(pick(c) for c in others)
    report.merge = keep
    report.duplicates_merged = repeated.height - merged.height
    single = frame.filter(~pl.col(key).is_duplicated())
    return pl.concat([single, merged.select(frame.columns)], how="vertical_relaxed")


def orphans(tables: dict[str, pl.DataFrame]) -> list[dict[str, Any]]:
    """Rows whose id joins nothing in the table it refers to (only where both tables were imported)."""
    found = []
    for table, column, target, key, meaning in JOINS:
        if table not in tables or target not in tables or tables[table].height == 0:
            continue
        named = tables[table].filter(pl.col(column).is_not_null())
        if named.height == 0:
            continue
        lost = named.join(tables[target].select(key).unique(), left_on=column, right_on=key, how="anti").height
        if lost:
            found.append({"table": table, "column": column, "rows": lost, "of": named.height, "meaning": meaning})
    if "allegations" in tables and tables["allegations"].height:
        unaccused = tables["complaints"].join(tables["allegations"].select("complaint_id").unique(),
                                              on="complaint_id", how="anti").height
        if unaccused:
            found.append({"table": "complaints", "column": "complaint_id", "rows": unaccused,
                          "of": tables["complaints"].height, "meaning": "have no allegation"})
    return found


def orphan_warnings(found: list[dict[str, Any]]) -> list[str]:
    warnings = []
    for item in found:
        share = item["rows"] / item["of"]
        if share >= ORPHAN_WARNING_SHARE and item["table"] != "complaints":
            warnings.append(f"{share:.0%} of {item['table']} rows ({item['rows']:,} of {item['of']:,}) "
                            f"{item['meaning']}: the ids may be written differently in the two files (in a "
                            f"mapping, an id pattern in [tables.{item['table']}.ids] can rewrite them); figures "
                            "that join them cover only the rows that link.")
    return warnings


# --- plain text ---------------------------------------------------------------------------------------------------


def lines(quality: dict[str, Any]) -> list[str]:
    """The summary as text for the terminal."""
    out = []
    if quality.get("mapping_sha256"):
        out.append(f"mapping sha256 {quality['mapping_sha256']}")
    for table, report in quality["tables"].items():
        out.extend(_table_lines(table, report))
    for item in quality["orphans"]:
        out.append(f"  join: {item['rows']:,} of {item['of']:,} {item['table']} rows {item['meaning']}")
    for warning in quality["warnings"]:
        out.append(f"WARNING: {warning}")
    return out


def _table_lines(table: str, report: dict[str, Any]) -> list[str]:
    files = ", ".join(f"{f['file']} ({f['rows']:,} rows, {f['encoding']})" for f in report["files"])
    out = [f"{table}: {report['rows_read']:,} rows read, {report['rows_kept']:,} kept" + (f" — {files}" if files
                                                                                          else "")]
    out += [f"  dropped {d['rows']:,}: {d['rule']}" for d in report["dropped"]]
    if report["duplicates_merged"]:
        conflicts = ", ".join(f"{c} differs for {n:,} ids" for c, n in report["conflicts"].items())
        out.append(f"  merged {report['duplicates_merged']:,} duplicate rows" + (f" ({conflicts}; the "
                                                                                  f"{report['merge']} value kept)"
                                                                                  if conflicts
                                                                                 else ""))
    for column, item in report["values"].items():
        out.append(f"  {column} (from {item['from']!r}):")
        out += [f"    {_show(v['value'])} → {_show(v['became'])}: {v['rows']:,} ({v['how']})" for v in item["values"]]
        if item["more"]["values"]:
            out.append(f"    … {item['more']['values']:,} more values ({item['more']['rows']:,} rows)")
    for column, dates in report["dates"].items():
        levels = ", ".join(f"{k} {dates[k]:,}" for k in ("day", "month", "year", "empty", "unparsed") if dates[k])
        out.append(f"  {column} (from {dates['from']}): {levels or 'no rows'}")
    for column, ids in report["ids"].items():
        out.append(f"  {column}: {ids['rewritten']:,} rewritten by the id pattern, {ids['not_matching']:,} did not "
                   "match it (kept as written)")
    return out


def _show(value: Any) -> str:
    if value is None:
        return "(empty)"
    return repr(value) if isinstance(value, str) else str(value).lower()
