"""Import any complaints dataset from CSV files through a TOML mapping (docs/import-formats.md), so a new source
needs a mapping, not code.

A mapping names, for each table of the common schema (schema.TABLES), the CSV file that feeds it, which of its
columns becomes which schema column, value maps (e.g. "Upheld" → "substantiated", "Y" → true), date formats and
constant columns. Anything not mapped is null, which the analyses report as missing, never as zero.
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from typing import Any

import polars as pl

from upstander.insight import stages
from upstander.insight.datasets import DatasetError, save
from upstander.insight.importers.cpdp import as_of, norm_id
from upstander.insight.schema import TABLES, conform

TABLE_KEYS = {"file", "delimiter", "columns", "values", "dates", "constants", "skip_rows_where_empty"}
OTHER = "_other"  # value-map key: what every value not listed becomes (default: kept as it is)
EMPTY = "_empty"  # value-map key: what an empty cell becomes (default: null)
DEFAULT_DATE_FORMAT = "%Y-%m-%d"


class MappingError(DatasetError):
    pass


def read_mapping(path: Path) -> dict[str, Any]:
    try:
        mapping = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from exc
    check_mapping(mapping)
    return mapping


def check_mapping(mapping: dict[str, Any]) -> None:
    """Refuse a mapping with unknown tables, keys or schema columns, naming the mistake."""
    tables = mapping.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise MappingError("the mapping has no [tables.NAME] sections")
    for key in set(mapping) - {"dataset", "defaults", "tables"}:
        raise MappingError(f"unknown top-level section [{key}]")
    for table, spec in tables.items():
        if table not in TABLES:
            raise MappingError(f"[tables.{table}]: unknown table (known: {', '.join(TABLES)})")
        for key in set(spec) - TABLE_KEYS:
            raise MappingError(f"[tables.{table}]: unknown key {key!r}")
        if "file" not in spec:
            raise MappingError(f"[tables.{table}]: `file` is required")
        for section in ("columns", "values", "dates", "constants"):
            for column in spec.get(section, {}):
                if column not in TABLES[table]:
                    raise MappingError(f"[tables.{table}.{section}]: {column!r} is not a column of {table} "
                                       f"(columns: {', '.join(TABLES[table])})")
    if "complaints" not in tables:
        raise MappingError("[tables.complaints] is required")


def _value_map(column: str, mapping: dict[str, Any], dtype: pl.DataType) -> pl.Expr:
    listed = {str(k): v for k, v in mapping.items() if k not in (OTHER, EMPTY)}
    source = pl.col(column).cast(pl.Utf8).str.strip_chars()
    expr = pl.when(source.is_null() | (source == "")).then(pl.lit(mapping.get(EMPTY), dtype=dtype))
    for raw, value in listed.items():
        expr = expr.when(source == raw).then(pl.lit(value, dtype=dtype))
    fallback = pl.lit(mapping[OTHER], dtype=dtype) if OTHER in mapping else _cast(source, dtype)
    expr = expr.otherwise(fallback)
    return expr.replace("", None) if dtype == pl.Utf8 else expr  # map a value to "" to make it null


_TRUE = ["1", "true", "t", "yes", "y"]
_FALSE = ["0", "false", "f", "no", "n"]


def _cast(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        lowered = expr.str.to_lowercase()
        return pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False).otherwise(None)
    if dtype == pl.Utf8:
        return expr
    if dtype == pl.Int32:
        return expr.cast(pl.Float64, strict=False).cast(pl.Int32, strict=False)
    return expr.cast(dtype, strict=False)


def map_table(table: str, frame: pl.DataFrame, spec: dict[str, Any], defaults: dict[str, Any]) -> pl.DataFrame:
    """One CSV frame (all text) → a table of the schema, following one [tables.NAME] section."""
    schema = TABLES[table]
    renames: dict[str, str] = spec.get("columns", {})
    missing = [src for src in renames.values() if src not in frame.columns]
    if missing:
        raise MappingError(f"{spec['file']}: no column {', '.join(map(repr, missing))} "
                           f"(the file has: {', '.join(frame.columns)})")
    date_format = defaults.get("date_format", DEFAULT_DATE_FORMAT)
    out = []
    for column, dtype in schema.items():
        if column in spec.get("constants", {}):
            out.append(pl.lit(spec["constants"][column], dtype=dtype).alias(column))
            continue
        if column not in renames:
            continue
        source = renames[column]
        if column in spec.get("values", {}):
            expr = _value_map(source, spec["values"][column], dtype)
        elif dtype == pl.Date:
            fmt = spec.get("dates", {}).get(column, date_format)
            expr = pl.col(source).str.strip_chars().str.to_date(fmt, strict=False)
        elif column.endswith("_id"):
            expr = norm_id(source)
        else:
            text = pl.col(source).str.strip_chars().replace("", None)
            expr = text if dtype == pl.Utf8 else _cast(text, dtype)
        out.append(expr.alias(column))
    mapped = frame.select(out) if out else pl.DataFrame()
    for column in spec.get("skip_rows_where_empty", []):
        mapped = mapped.filter(pl.col(column).is_not_null())
    return conform(table, mapped)


def _read_csv(directory: Path, spec: dict[str, Any], defaults: dict[str, Any]) -> pl.DataFrame:
    path = directory / spec["file"]
    if not path.is_file():
        raise MappingError(f"{path} is missing")
    separator = spec.get("delimiter", defaults.get("delimiter", ","))
    return pl.read_csv(path, infer_schema=False, separator=separator, encoding="utf8-lossy")


def build(mapping: dict[str, Any], directory: Path) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    defaults = mapping.get("defaults", {})
    tables = {}
    for table, spec in mapping["tables"].items():
        tables[table] = map_table(table, _read_csv(directory, spec, defaults), spec, defaults)
    if "allegations" in tables and tables["allegations"]["allegation_id"].null_count():
        # No id in the source: one from the complaint, the accused and the row (stable for the same file).
        tables["allegations"] = tables["allegations"].with_row_index("_row").with_columns(
            pl.coalesce(pl.col("allegation_id"),
                        pl.concat_str(pl.col("complaint_id"), pl.col("person_id").fill_null("?"),
                                      pl.col("_row").cast(pl.Utf8), separator="|"))
            .alias("allegation_id")).drop("_row")
    tables["complaints"] = tables["complaints"].unique("complaint_id", keep="first", maintain_order=True)
    dataset = mapping.get("dataset", {})
    allegations = tables.get("allegations", conform("allegations", pl.DataFrame()))
    meta = {
        "source": "csv",
        "origin": dataset.get("origin", ""),
        "workforce_known": bool(dataset.get("workforce_known", False)) and "people" in tables,
        "stages_available": stages.available(allegations),
        "as_of": dataset.get("as_of") or as_of(tables["complaints"]),
        "complainant_equality_data": "complainants" in tables,
        "notes": list(dataset.get("notes", [])),
    }
    return tables, meta


def import_csv(mapping_path: Path, directory: Path, name: str) -> dict[str, Any]:
    started = time.perf_counter()
    directory = Path(directory)
    if not directory.is_dir():
        raise DatasetError(f"{directory} is not a folder")
    tables, meta = build(read_mapping(mapping_path), directory)
    meta["mapping"] = Path(mapping_path).name
    path = save(name, tables, meta)
    return {"dataset": name, "path": str(path), "rows": {k: v.height for k, v in tables.items()},
            "seconds": round(time.perf_counter() - started, 2)}
