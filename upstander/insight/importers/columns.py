"""Turn one table's file columns (all text) into schema columns, following its TableSpec: value maps, coded words,
numbers, dates with their precision, ids, row filters — and record in the data-quality summary what each value
became. What cannot be stood behind is collected as a problem (the import is then refused with all of them):
a coded value that maps to no word, a number that is not one, a date that does not read.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from upstander.insight import precision
from upstander.insight.importers import quality
from upstander.insight.importers.mapping import MappingError, TableSpec, ValueMap, vocabulary
from upstander.insight.schema import PRECISION_SUFFIX, TABLES

TRUE_WORDS = {"1", "true", "t", "yes", "y"}
FALSE_WORDS = {"0", "false", "f", "no", "n"}
MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
SHOWN_UNMAPPED = 10
TOO_MANY_UNMAPPED = 50  # more distinct unmapped values than this: probably the wrong column; none is quoted


def as_written(value: str, dtype: pl.DataType, words: list[Any] | None) -> tuple[Any, str] | None:
    """A cell read as the column's own type without a value map: yes/no words, whole numbers, coded words."""
    folded = value.casefold()
    if dtype == pl.Boolean():
        if folded in TRUE_WORDS:
            return True, "as written"
        return (False, "as written") if folded in FALSE_WORDS else None
    if dtype == pl.Int32():
        number = re.fullmatch(r"[+-]?\d+(?:\.0*)?", value)
        return (int(float(value)), "as written") if number else None
    if words is not None:
        word = next((w for w in words if w == folded), None)
        return (word, "as written") if word is not None else None
    return None


def _lookup(value: str, vmap: ValueMap | None, dtype: pl.DataType, words: list[Any] | None,
            coded: bool) -> tuple[Any, str]:
    found = vmap.lookup(value) if vmap else None
    if found is None:
        found = as_written(value, dtype, words)
    if found is None and vmap is not None and vmap.other is not None:
        found = (vmap.other[0], "catch-all")
    if found is None:
        found = (None, "unmapped") if coded else (value, "kept")
    return found


def map_values(raw: pl.Series, spec: TableSpec, column: str, report: quality.TableQuality,
               problems: list[str]) -> pl.Series:
    """A coded, numeric or value-mapped column: every distinct value looked up once, then replaced."""
    table, dtype, vmap = spec.table, TABLES[spec.table][column], spec.values.get(column)
    words = vocabulary(table, column)
    coded = words is not None or dtype == pl.Int32()
    old, new, rows = [], [], []
    for value, n in raw.value_counts(sort=True).iter_rows():
        if value is None:
            target, how = (vmap.empty if vmap else None), "empty"
        else:
            target, how = _lookup(value, vmap, dtype, words, coded)
            old.append(value)
            new.append(target)
        rows.append({"value": value, "became": target, "rows": n, "how": how})
    mapped = raw.replace_strict(old, new, default=None, return_dtype=dtype) if old else \
        pl.Series(raw.name, [None] * raw.len(), dtype=dtype)
    if vmap is not None and vmap.empty is not None:
        mapped = pl.select(pl.when(raw.is_null()).then(pl.lit(vmap.empty, dtype=dtype)).otherwise(mapped)).to_series()
    if coded or vmap is not None:
        report.values[column] = {"from": spec.columns[column], **quality.listed(rows)}
    caught = [r for r in rows if r["how"] == "catch-all"]
    if caught:
        report.catch_all[column] = quality.listed(caught)["values"]
    unmapped = [r for r in rows if r["how"] == "unmapped"]
    if unmapped and spec.unmapped_to_null:
        report.unmapped_to_null[column] = quality.listed(unmapped)["values"]
    elif unmapped:
        problems.append(_unmapped_problem(spec, column, unmapped, words))
    return mapped.alias(column)


def _unmapped_problem(spec: TableSpec, column: str, unmapped: list[dict[str, Any]], words: list[Any] | None) -> str:
    where = f"{spec.table}.{column} (file column {spec.columns[column]!r})"
    total = sum(r["rows"] for r in unmapped)
    kind = ("yes/no" if words == [True, False] else f"{column} word ({', '.join(map(str, words))})" if words
            else "whole number")
    if len(unmapped) > TOO_MANY_UNMAPPED:
        values = f"{len(unmapped):,} distinct values in {total:,} rows (none quoted: is it the right column?)"
    else:
        shown = ", ".join(f"{r['value'][:40]!r} ({r['rows']:,})" for r in unmapped[:SHOWN_UNMAPPED])
        values = shown + (f" and {len(unmapped) - SHOWN_UNMAPPED} more" if len(unmapped) > SHOWN_UNMAPPED else "")
    return (f"{where}: {len(unmapped):,} values read as no {kind}: {values}. Map them in "
            f"[tables.{spec.table}.values.{column}] (a key may end in * for a prefix or start with re: for a "
            "pattern), give a catch-all `_other = ...`, or import them as not recorded with unmapped = \"null\" "
            "(or --allow-unmapped).")


def map_id(raw: pl.Series, spec: TableSpec, column: str, report: quality.TableQuality) -> pl.Series:
    """An id as a clean string: the pattern's key where it matches (kept as written where not), and a float
    spelling ("130469.0") as the whole number."""
    text = raw
    pattern = spec.ids.get(column)
    if pattern is not None:
        try:
            extracted = raw.str.extract(pattern.pattern, 1 if pattern.groups else 0)
        except pl.exceptions.PolarsError:
            raise MappingError(f"[tables.{spec.table}.ids] {column}: the pattern is not one the reader supports "
                               "(no look-around or back-references)") from None
        text = pl.select(pl.coalesce(extracted, raw)).to_series()
        report.ids[column] = {"pattern": pattern.pattern,
                              "rewritten": int((extracted.is_not_null() & (extracted != raw)).sum()),
                              "not_matching": int((raw.is_not_null() & extracted.is_null()).sum())}
    return text.str.replace(r"^(\d+)\.0*$", "${1}").alias(column)


def format_level(fmt: str) -> str:
    if any(d in fmt for d in ("%d", "%e", "%j", "%F", "%D")):
        return precision.DAY
    return precision.MONTH if any(d in fmt for d in ("%m", "%b", "%B", "%h")) else precision.YEAR


def _parse(raw: pl.Series, fmt: str) -> tuple[pl.Series, str]:
    level = format_level(fmt)
    text, full = raw, fmt
    if level == precision.MONTH:  # chrono reads no date without a day: the first of the month is added
        text, full = raw + "|01", fmt + "|%d"
    elif level == precision.YEAR:
        text, full = raw + "|01|01", fmt + "|%m|%d"
    if any(d in fmt for d in ("%H", "%T", "%R", "%I")):
        return text.str.to_datetime(full, strict=False, exact=True).dt.date(), level
    return text.str.to_date(full, strict=False, exact=True), level


def _from_formats(frame: pl.DataFrame, source: str, formats: tuple[str, ...]) -> tuple[pl.Series, pl.Series]:
    raw = frame[source]
    parsed = [_parse(raw, fmt) for fmt in formats]
    date = pl.select(pl.coalesce([p for p, _ in parsed])).to_series()
    level = pl.lit(None, dtype=pl.Utf8)
    for series, name in reversed(parsed):
        level = pl.when(series.is_not_null()).then(pl.lit(name)).otherwise(level)
    return date, pl.select(level).to_series()


def _number(raw: pl.Series, low: int, high: int) -> pl.Series:
    number = raw.str.extract(r"^(\d{1,4})(?:\.0*)?$", 1).cast(pl.Int32)
    return pl.select(pl.when((number >= low) & (number <= high)).then(number)).to_series()


def _from_parts(frame: pl.DataFrame, parts: dict[str, str]) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Date, precision and "some part present" from year, month (number or English name) and day columns."""
    raw = {part: frame[column] for part, column in parts.items()}
    nulls = pl.Series([None] * frame.height, dtype=pl.Utf8)
    year = raw["year"].str.extract(r"^(\d{4})(?:\.0*)?$", 1).cast(pl.Int32)
    month_raw, day_raw = raw.get("month", nulls), raw.get("day", nulls)
    month = pl.select(pl.coalesce(_number(month_raw, 1, 12),
                                  month_raw.str.to_lowercase().str.strip_chars(".").replace_strict(
                                      MONTHS, default=None, return_dtype=pl.Int32))).to_series()
    day = _number(day_raw, 1, 31)
    text = pl.select(pl.format("{}-{}-{}", year, month.fill_null(1), day.fill_null(1))).to_series()
    valid = ((month_raw.is_null() | month.is_not_null()) & (day_raw.is_null() | day.is_not_null())
             & (day_raw.is_null() | month_raw.is_not_null()))
    date = pl.select(pl.when(valid).then(text.str.to_date("%Y-%m-%d", strict=False))).to_series()
    level = pl.select(pl.when(date.is_null()).then(None).when(day_raw.is_not_null()).then(pl.lit(precision.DAY))
                      .when(month_raw.is_not_null()).then(pl.lit(precision.MONTH))
                      .otherwise(pl.lit(precision.YEAR))).to_series()
    present = pl.select(pl.any_horizontal(s.is_not_null() for s in raw.values())).to_series()
    return date, level, present


def map_date(frame: pl.DataFrame, spec: TableSpec, column: str, report: quality.TableQuality,
             problems: list[str]) -> tuple[pl.Series, pl.Series]:
    """A date and its precision; values that do not read are counted (by shape) and, unless the mapping allows
    them, refused."""
    dates = spec.dates[column]
    if dates.parts:
        date, level, present = _from_parts(frame, dates.parts)
        shown = pl.concat_str([frame[c] for c in dates.sources()], separator="|", ignore_nulls=False)
        shown = pl.select(pl.when(present).then(shown.fill_null(""))).to_series()
    else:
        date, level = _from_formats(frame, spec.columns[column], dates.formats)
        present = frame[spec.columns[column]].is_not_null()
        shown = frame[spec.columns[column]]
    bad = present & date.is_null()
    unparsed = int(bad.sum())
    out = pl.DataFrame({column: date, column + PRECISION_SUFFIX: level})
    source = dates.describe() if dates.parts else f"{spec.columns[column]!r} as {dates.describe()}"
    report.dates[column] = quality.date_report(out, column, source, unparsed, quality.shapes(shown.filter(bad)))
    if unparsed and (not spec.bad_dates_to_null or unparsed == int(present.sum())):
        problems.append(_date_problem(spec, column, source, unparsed, int(present.sum()),
                                      report.dates[column]["unparsed_shapes"]))
    return out[column], out[column + PRECISION_SUFFIX]


def _date_problem(spec: TableSpec, column: str, source: str, unparsed: int, present: int,
                  shapes: dict[str, int]) -> str:
    shown = ", ".join(f"{shape!r} ({n:,})" for shape, n in shapes.items())
    allowed = ("" if unparsed == present and spec.bad_dates_to_null else
               ", or import them as not recorded with bad_dates = \"null\" (or --allow-bad-dates)")
    return (f"{spec.table}.{column}: {unparsed:,} of {present:,} dates do not read as {source} (their shapes, 9 a "
            f"digit and a a letter: {shown}). Give the format they are written in, a list of formats tried in order, "
            f"or a section naming the year, month and day columns{allowed}.")


def _test(rule: Any) -> pl.Expr:
    value = pl.col(rule.column)
    if rule.empty:
        return value.is_null()
    if rule.matches is not None:
        return value.str.contains("(?i)" + rule.matches).fill_null(False)
    return value.str.to_lowercase().is_in([v.casefold() for v in rule.equals]).fill_null(False)


def apply_filters(frame: pl.DataFrame, spec: TableSpec, report: quality.TableQuality) -> pl.DataFrame:
    try:
        for rule in spec.drop:
            before = frame.height
            frame = frame.filter(~_test(rule))
            report.drop(f"drop where {rule.describe()}", before - frame.height)
        for rule in spec.keep:
            before = frame.height
            frame = frame.filter(_test(rule))
            report.drop(f"keep only where {rule.describe()}", before - frame.height)
    except pl.exceptions.PolarsError:
        raise MappingError(f"[tables.{spec.table}] drop/keep: a pattern is not one the reader supports") from None
    return frame


def map_table(frame: pl.DataFrame, spec: TableSpec, report: quality.TableQuality,
              problems: list[str]) -> pl.DataFrame:
    """The file rows (already filtered) as the table's schema columns."""
    out: dict[str, pl.Series] = {}
    for column, dtype in TABLES[spec.table].items():
        if column.endswith(PRECISION_SUFFIX):
            continue
        if column in spec.constants:
            out[column] = pl.repeat(spec.constants[column], frame.height, dtype=dtype, eager=True)
        elif column in spec.dates:
            out[column], out[column + PRECISION_SUFFIX] = map_date(frame, spec, column, report, problems)
        elif column not in spec.columns:
            continue
        elif column.endswith("_id"):  # a value map on an id (e.g. a catch-all "unknown officer" to "") comes first
            source = frame[spec.columns[column]]
            if column in spec.values:
                source = map_values(source, spec, column, report, problems)
            out[column] = map_id(source, spec, column, report)
        elif column in spec.values or dtype != pl.Utf8() or vocabulary(spec.table, column) is not None:
            out[column] = map_values(frame[spec.columns[column]], spec, column, report, problems)
        else:
            out[column] = frame[spec.columns[column]]
    return pl.DataFrame({name: series.alias(name) for name, series in out.items()}, height=frame.height)
