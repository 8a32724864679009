"""The mapping language of `upstander insight import csv` (docs/import-formats.md): read a TOML mapping, check every
key and every target word before a file is opened, and turn it into one `TableSpec` per table of the schema.

A mapping is refused, naming the mistake, when it names an unknown table, key or schema column, a value-map target
that is not a word the schema knows (a finding, a source, a theme, true/false, a number), a pattern that does not
compile, or two spellings of one value that map to different words. Nothing in this module reads the data.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

import polars as pl

from upstander.insight.errors import DatasetError
from upstander.insight.schema import PRECISION_SUFFIX, TABLES
from upstander.lib import policy

TABLE_KEYS = {"file", "header", "names", "delimiter", "quote", "encoding", "columns", "values", "dates", "ids",
              "constants", "skip_rows_where_empty", "drop", "keep", "unmapped", "bad_dates", "merge"}
DEFAULT_KEYS = {"date_format", "delimiter", "quote", "encoding", "unmapped", "bad_dates"}
DATASET_KEYS = {"origin", "workforce_known", "as_of", "notes"}
DATE_PART_KEYS = {"year", "month", "day"}
FILTER_TESTS = {"equals", "matches", "empty"}
OTHER = "_other"  # value-map key: what every value not listed becomes (the explicit catch-all)
EMPTY = "_empty"  # value-map key: what an empty cell becomes (default: null)
PATTERN = "re:"  # value-map key prefix: a regular expression (case-insensitive, anywhere in the value)
PREFIX = "*"  # value-map key suffix: any value starting so (case-insensitive)
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
MERGED_TABLES = {"complaints": "complaint_id", "people": "person_id"}  # de-duplicated on these ids
FINDINGS = ["substantiated", "not_substantiated", "unfounded", "exonerated", "no_finding"]
WORDS: dict[str, list[str]] = {"finding": FINDINGS, "source": ["public", "internal"],
                               "staff_kind": ["officer", "staff"]}


class MappingError(DatasetError):
    """The mapping file is wrong; the message names the section and key."""


def vocabulary(table: str, column: str) -> list[Any] | None:
    """The words a coded column may hold (None for free text): findings, sources, staff kinds, theme keys from
    policy/categories.toml, true/false for every yes/no column. Numbers are checked as numbers."""
    dtype = TABLES[table][column]
    if dtype == pl.Boolean():
        return [True, False]
    if column == "theme":
        return policy.category_keys()
    return WORDS.get(column)


def normal(text: str) -> str:
    """How value-map keys and cell values are compared: trimmed, inner spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


@dataclasses.dataclass(frozen=True)
class ValueMap:
    """One [tables.T.values.COLUMN] section. Keys are matched case-insensitively: exact keys first, then prefixes
    ("Substantiated*", longest first), then patterns ("re:^sub"), in that order; `_other` catches the rest."""

    exact: dict[str, Any]
    prefixes: list[tuple[str, Any]]
    patterns: list[tuple[re.Pattern[str], Any]]
    other: tuple[Any] | None = None  # (target,) when `_other` is given
    empty: Any = None

    def lookup(self, value: str) -> tuple[Any, str] | None:
        """(target, how) for a non-empty cell, or None when no key matches (the catch-all is the caller's)."""
        key = normal(value)
        if key in self.exact:
            return self.exact[key], "exact"
        for prefix, target in self.prefixes:
            if key.startswith(prefix):
                return target, "prefix"
        for pattern, target in self.patterns:
            if pattern.search(value):
                return target, "pattern"
        return None


@dataclasses.dataclass(frozen=True)
class DateSpec:
    """How one date column is read: formats tried in order (each with the precision it carries), or the year,
    month and day from separate file columns."""

    formats: tuple[str, ...] = ()
    parts: dict[str, str] = dataclasses.field(default_factory=dict)

    def sources(self) -> list[str]:
        return list(self.parts.values())

    def describe(self) -> str:
        if self.parts:
            return " + ".join(f"{part} {column!r}" for part, column in self.parts.items())
        return " or ".join(self.formats)


@dataclasses.dataclass(frozen=True)
class RowFilter:
    """One [[tables.T.drop]] or [[tables.T.keep]] rule on a file column."""

    column: str
    equals: tuple[str, ...] = ()
    matches: str | None = None
    empty: bool = False

    def describe(self) -> str:
        if self.empty:
            return f"{self.column!r} is empty"
        if self.matches is not None:
            return f"{self.column!r} matches {self.matches!r}"
        return f"{self.column!r} is " + " or ".join(repr(v) for v in self.equals)


@dataclasses.dataclass(frozen=True)
class TableSpec:
    table: str
    files: tuple[str, ...]
    header: bool
    names: tuple[str, ...]
    delimiter: str
    quote: str
    encoding: str | None
    columns: dict[str, str]
    values: dict[str, ValueMap]
    dates: dict[str, DateSpec]
    ids: dict[str, re.Pattern[str]]
    constants: dict[str, Any]
    skip_empty: tuple[str, ...]
    drop: tuple[RowFilter, ...]
    keep: tuple[RowFilter, ...]
    unmapped_to_null: bool
    bad_dates_to_null: bool
    merge: str

    def file_columns(self) -> set[str]:
        """Every file column the mapping reads (each must exist in every file of the table)."""
        used = set(self.columns.values())
        for spec in self.dates.values():
            used.update(spec.sources())
        used.update(f.column for f in (*self.drop, *self.keep))
        return used


@dataclasses.dataclass(frozen=True)
class Mapping:
    tables: dict[str, TableSpec]
    dataset: dict[str, Any]
    sha256: str


# --- reading and checking ---------------------------------------------------------------------------------------


def read_mapping(path: Path) -> Mapping:
    try:
        raw = Path(path).read_bytes()
        document = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from exc
    return parse(document, hashlib.sha256(raw).hexdigest())


def check_mapping(document: dict[str, Any]) -> None:
    """Refuse a mapping with unknown tables, keys, schema columns or target words, naming the mistake."""
    parse(document, "")


def parse(document: dict[str, Any], sha256: str) -> Mapping:
    for key in set(document) - {"dataset", "defaults", "tables"}:
        raise MappingError(f"unknown top-level section [{key}] (known: [dataset], [defaults], [tables.NAME])")
    tables = document.get("tables")
    if not isinstance(tables, dict) or not tables:
        raise MappingError("the mapping has no [tables.NAME] sections")
    dataset, defaults = _section(document, "dataset"), _section(document, "defaults")
    _known_keys("[dataset]", dataset, DATASET_KEYS)
    _known_keys("[defaults]", defaults, DEFAULT_KEYS)
    specs = {}
    for table, spec in tables.items():
        if table not in TABLES:
            raise MappingError(f"[tables.{table}]: unknown table (known: {', '.join(TABLES)})")
        if not isinstance(spec, dict):
            raise MappingError(f"[tables.{table}] must be a section")
        specs[table] = _table_spec(table, spec, defaults)
    if "complaints" not in specs:
        raise MappingError("[tables.complaints] is required")
    return Mapping(tables=specs, dataset=dataset, sha256=sha256)


def _section(document: dict[str, Any], name: str) -> dict[str, Any]:
    value = document.get(name, {})
    if not isinstance(value, dict):
        raise MappingError(f"[{name}] must be a section")
    return value


def _known_keys(where: str, section: dict[str, Any], known: set[str]) -> None:
    for key in sorted(set(section) - known):
        raise MappingError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")


def _choice(where: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise MappingError(f"{where} must be one of {', '.join(map(repr, allowed))}, not {value!r}")
    return str(value)


def _table_spec(table: str, spec: dict[str, Any], defaults: dict[str, Any]) -> TableSpec:
    where = f"[tables.{table}]"
    _known_keys(where, spec, TABLE_KEYS)
    files = spec.get("file")
    files = [files] if isinstance(files, str) else files
    if not files or not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        raise MappingError(f"{where}: `file` is required: a file name, a pattern such as \"complaints-*.csv\", or a "
                           "list of them")
    header = spec.get("header", True)
    if not isinstance(header, bool):
        raise MappingError(f"{where}: `header` must be true or false")
    names = tuple(spec.get("names", ()))
    if not header and not names:
        raise MappingError(f"{where}: a file without a header needs `names`, one name for each position")
    if header and names:
        raise MappingError(f"{where}: `names` is for files without a header (header = false)")
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        raise MappingError(f"{where}: `names` must be distinct, non-empty names (one per position)")
    columns = _columns(table, spec)
    dates = _dates(table, spec, defaults, columns)
    built = TableSpec(
        table=table, files=tuple(files), header=header, names=names,
        delimiter=_single_char(where, "delimiter", spec.get("delimiter", defaults.get("delimiter", ","))),
        quote=_single_char(where, "quote", spec.get("quote", defaults.get("quote", '"')), empty_ok=True),
        encoding=_encoding(where, spec.get("encoding", defaults.get("encoding"))),
        columns=columns, values=_values(table, spec, columns), dates=dates, ids=_ids(table, spec, columns),
        constants=_constants(table, spec), skip_empty=tuple(_schema_columns(table, "skip_rows_where_empty",
                                                                            spec.get("skip_rows_where_empty", []))),
        drop=_filters(where, "drop", spec.get("drop", [])), keep=_filters(where, "keep", spec.get("keep", [])),
        unmapped_to_null=_choice(f"{where} unmapped", spec.get("unmapped", defaults.get("unmapped", "refuse")),
                                 ("refuse", "null")) == "null",
        bad_dates_to_null=_choice(f"{where} bad_dates", spec.get("bad_dates", defaults.get("bad_dates", "refuse")),
                                  ("refuse", "null")) == "null",
        merge=_merge(table, spec))
    unnamed = sorted(built.file_columns() - set(names)) if names else []
    if unnamed:
        raise MappingError(f"{where}: {', '.join(map(repr, unnamed))} is not one of `names` (the file's positions)")
    return built


def _single_char(where: str, key: str, value: Any, empty_ok: bool = False) -> str:
    if not isinstance(value, str) or len(value) > 1 or (not value and not empty_ok):
        raise MappingError(f"{where}: `{key}` must be one character, not {value!r}")
    return value


def _encoding(where: str, value: Any) -> str | None:
    if value is None or value == "auto":
        return None
    try:
        codecs.lookup(str(value))
        return str(value).lower()
    except LookupError:
        raise MappingError(f"{where}: unknown encoding {value!r} (e.g. \"utf-8\", \"cp1252\", \"latin-1\", "
                           "\"utf-16\")") from None


def _merge(table: str, spec: dict[str, Any]) -> str:
    if "merge" in spec and table not in MERGED_TABLES:
        raise MappingError(f"[tables.{table}]: `merge` is for complaints and people (rows de-duplicated by id)")
    return _choice(f"[tables.{table}] merge", spec.get("merge", "first"), ("first", "last"))


def _schema_columns(table: str, section: str, names: Any) -> list[str]:
    for column in names:
        if column not in TABLES[table] or column.endswith(PRECISION_SUFFIX):
            real = [c for c in TABLES[table] if not c.endswith(PRECISION_SUFFIX)]
            raise MappingError(f"[tables.{table}.{section}]: {column!r} is not a column of {table} "
                               f"(columns: {', '.join(real)})")
    return list(names)


def _columns(table: str, spec: dict[str, Any]) -> dict[str, str]:
    columns = spec.get("columns", {})
    _schema_columns(table, "columns", columns)
    for column, source in columns.items():
        if not isinstance(source, str) or not source:
            raise MappingError(f"[tables.{table}.columns]: {column} must name a column of the file")
    return dict(columns)


def _target(table: str, column: str, key: str, target: Any) -> Any:
    """A value-map target checked against the column: "" is null; coded columns take only their words."""
    where = f"[tables.{table}.values.{column}] {key!r}"
    dtype = TABLES[table][column]
    if target == "":
        return None
    words = vocabulary(table, column)
    if dtype == pl.Boolean():
        if not isinstance(target, bool):
            raise MappingError(f"{where} = {target!r}: {column} takes true or false (or \"\" for not recorded)")
        return target
    if dtype == pl.Int32():
        if isinstance(target, bool) or not isinstance(target, int):
            raise MappingError(f"{where} = {target!r}: {column} takes a whole number (or \"\" for not recorded)")
        return target
    if not isinstance(target, str):
        raise MappingError(f"{where} = {target!r}: {column} takes text")
    if words is not None and target not in words:
        raise MappingError(f"{where} = {target!r} is not a {column} word: use one of {', '.join(map(str, words))} "
                           "(or \"\" for not recorded)")
    return target


def _values(table: str, spec: dict[str, Any], columns: dict[str, str]) -> dict[str, ValueMap]:
    maps = {}
    for column, entries in spec.get("values", {}).items():
        _schema_columns(table, "values", [column])
        if column not in columns:
            raise MappingError(f"[tables.{table}.values.{column}]: {column} is not in [tables.{table}.columns], so "
                               "there is nothing to map")
        if TABLES[table][column] == pl.Date():
            raise MappingError(f"[tables.{table}.values.{column}]: dates are read with [tables.{table}.dates]")
        if not isinstance(entries, dict):
            raise MappingError(f"[tables.{table}.values.{column}] must be a section of value = target")
        maps[column] = _value_map(table, column, entries)
    return maps


def _value_map(table: str, column: str, entries: dict[str, Any]) -> ValueMap:
    exact: dict[str, Any] = {}
    prefixes, patterns = [], []
    for key, raw_target in entries.items():
        if key in (OTHER, EMPTY):
            continue
        target = _target(table, column, key, raw_target)
        if key.startswith(PATTERN):
            try:
                patterns.append((re.compile(key[len(PATTERN):], re.IGNORECASE), target))
            except re.error as exc:
                raise MappingError(f"[tables.{table}.values.{column}] {key!r}: not a valid pattern ({exc})") from None
        elif key.endswith(PREFIX) and len(key) > 1:
            prefixes.append((normal(key[:-1]), target))
        else:
            if normal(key) in exact and exact[normal(key)] != target:
                raise MappingError(f"[tables.{table}.values.{column}]: {key!r} is listed twice (keys are matched "
                                   "ignoring case and spaces) with different targets")
            exact[normal(key)] = target
    other = (_target(table, column, OTHER, entries[OTHER]),) if OTHER in entries else None
    empty = _target(table, column, EMPTY, entries[EMPTY]) if EMPTY in entries else None
    return ValueMap(exact=exact, prefixes=sorted(prefixes, key=lambda p: -len(p[0])), patterns=patterns,
                    other=other, empty=empty)


def _formats(where: str, value: Any) -> tuple[str, ...]:
    formats = [value] if isinstance(value, str) else value
    if not formats or not isinstance(formats, list) or not all(isinstance(f, str) and "%" in f for f in formats):
        raise MappingError(f"{where}: a date format is a strftime pattern such as \"%d/%m/%Y\" (or a list of them, "
                           "tried in order), or a section naming the year, month and day columns")
    return tuple(formats)


def _dates(table: str, spec: dict[str, Any], defaults: dict[str, Any], columns: dict[str, str]) -> dict[str, DateSpec]:
    default = _formats("[defaults] date_format", defaults.get("date_format", DEFAULT_DATE_FORMAT))
    given = spec.get("dates", {})
    _schema_columns(table, "dates", given)
    found = {}
    for column, dtype in TABLES[table].items():
        if dtype != pl.Date():
            continue
        where = f"[tables.{table}.dates] {column}"
        value = given.get(column)
        if isinstance(value, dict):
            found[column] = _date_parts(where, value, column in columns)
        elif value is not None:
            if column not in columns:
                raise MappingError(f"{where}: {column} is not in [tables.{table}.columns]; map it there, or give "
                                   "its year, month and day columns here")
            found[column] = DateSpec(formats=_formats(where, value))
        elif column in columns:
            found[column] = DateSpec(formats=default)
    for column in set(given) - set(found):
        raise MappingError(f"[tables.{table}.dates]: {column} is not a date column")
    return found


def _date_parts(where: str, parts: dict[str, Any], in_columns: bool) -> DateSpec:
    if in_columns:
        raise MappingError(f"{where}: built from parts here, so it must not also be in columns")
    _known_keys(where, parts, DATE_PART_KEYS)
    if "year" not in parts:
        raise MappingError(f"{where}: a date built from parts needs at least its `year` column")
    if "day" in parts and "month" not in parts:
        raise MappingError(f"{where}: a day without a month cannot make a date")
    for part, source in parts.items():
        if not isinstance(source, str) or not source:
            raise MappingError(f"{where}: {part} must name a column of the file")
    return DateSpec(parts={part: parts[part] for part in ("year", "month", "day") if part in parts})


def _ids(table: str, spec: dict[str, Any], columns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    found = {}
    for column, pattern in spec.get("ids", {}).items():
        if not column.endswith("_id") or column not in columns:
            raise MappingError(f"[tables.{table}.ids]: {column!r} is not an id column in [tables.{table}.columns]")
        try:
            compiled = re.compile(str(pattern))
        except re.error as exc:
            raise MappingError(f"[tables.{table}.ids] {column}: not a valid pattern ({exc})") from None
        if compiled.groups > 1:
            raise MappingError(f"[tables.{table}.ids] {column}: the pattern may capture one group (the id), not "
                               f"{compiled.groups}")
        found[column] = compiled
    return found


def _constants(table: str, spec: dict[str, Any]) -> dict[str, Any]:
    constants = spec.get("constants", {})
    _schema_columns(table, "constants", constants)
    for column in constants:
        if TABLES[table][column] == pl.Date():
            raise MappingError(f"[tables.{table}.constants] {column}: a date cannot be a constant")
    return {column: _target(table, column, "(constant)", value) for column, value in constants.items()}


def _filters(where: str, kind: str, rules: Any) -> tuple[RowFilter, ...]:
    if not isinstance(rules, list):
        raise MappingError(f"{where}: write each `{kind}` rule as [[tables.NAME.{kind}]]")
    found = []
    for rule in rules:
        _known_keys(f"{where} {kind}", rule, FILTER_TESTS | {"column"})
        tests = FILTER_TESTS & set(rule)
        if "column" not in rule or len(tests) != 1:
            raise MappingError(f"{where} {kind}: each rule names a `column` and one test: equals, matches or empty")
        equals = rule.get("equals", ())
        equals = (equals,) if isinstance(equals, str) else tuple(str(v) for v in equals)
        matches = rule.get("matches")
        if matches is not None:
            try:
                re.compile(matches)
            except re.error as exc:
                raise MappingError(f"{where} {kind}: not a valid pattern {matches!r} ({exc})") from None
        found.append(RowFilter(column=str(rule["column"]), equals=equals, matches=matches,
                               empty=bool(rule.get("empty", False))))
    return tuple(found)
