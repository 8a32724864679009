"""Datasets in the common schema (schema.py): stored as Parquet, loaded already filtered to a window and a source.

A stored dataset is a folder `DATA_DIR/insight/NAME/` holding one `TABLE.parquet` per table of schema.TABLES and a
`meta.json`. `NAME` is a link to a hidden version folder `.NAME@…`: a new version is written completely beside it
and the link is replaced in one atomic rename, so an interrupted or refused import never leaves half a dataset and
never touches the one already there, and a re-import replaces the old one whole.

The name "live" is reserved: it is the operational database's structured facts, extracted on each load (live.py).

Every insight command takes the same options through `dataset_options`:

    @click.command()
    @dataset_options
    def my_command(dataset, date_from, date_to, source, as_json): ...
        data = load(dataset, date_from, date_to, source)

The decorator prepares Django (and, for --dataset live, the database and keys) before the command body runs and
turns a DatasetError into a clean error message (exit status 1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import click
import polars as pl

from upstander.insight import live, precision
from upstander.insight.errors import DatasetError
from upstander.insight.schema import TABLES, conform, empty

__all__ = ["DatasetError", "Dataset", "load", "save", "window"]

LIVE = "live"
SOURCES = ("public", "internal", "all")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SCHEMA_VERSION = 1


@dataclasses.dataclass(frozen=True)
class Dataset:
    """The tables of one dataset, already restricted to the complaints in the window and of the source asked for.

    `people` and `hr_events` are not filtered (they describe the workforce, not complaints); use `workforce()` for
    the people employed at some time in the window."""

    name: str
    meta: dict[str, Any]
    date_from: dt.date | None
    date_to: dt.date | None
    source: str
    people: pl.DataFrame
    complaints: pl.DataFrame
    complainants: pl.DataFrame
    allegations: pl.DataFrame
    stage_events: pl.DataFrame
    hr_events: pl.DataFrame
    witnesses: pl.DataFrame
    reporters: pl.DataFrame

    def recorded(self, table: str, column: str | None = None) -> bool:
        """Whether the dataset records `column` of `table` at all (any table column when None), over the whole
        dataset, not only the window: a figure built on something never recorded is "not known", never zero."""
        known = self.meta.get("recorded")
        if isinstance(known, dict) and table in known:
            return column in known[table] if column else bool(known[table])
        frame = self.table(table)
        if column is None:
            return frame.height > 0
        return frame[column].null_count() < frame.height

    def table(self, name: str) -> pl.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def workforce_known(self) -> bool:
        return bool(self.meta.get("workforce_known")) and self.people["in_workforce"].fill_null(False).any()

    def workforce(self) -> pl.DataFrame:
        """People counted in per-head denominators: in the workforce and employed at some time in the window
        (an unknown appointment or leaving date does not exclude anyone)."""
        people = self.people.filter(pl.col("in_workforce").fill_null(False))
        if self.date_to is not None:
            people = people.filter(pl.col("appointed_date").is_null() | (pl.col("appointed_date") <= self.date_to))
        if self.date_from is not None:
            people = people.filter(pl.col("left_date").is_null() | (pl.col("left_date") >= self.date_from))
        return people

    def window_label(self) -> str:
        start = self.date_from.isoformat() if self.date_from else "start"
        end = self.date_to.isoformat() if self.date_to else "end"
        return f"{start} to {end}"

    def describe(self) -> dict[str, Any]:
        """What was analysed, for the top of every --json document."""
        return {
            "dataset": self.name,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "source": self.source,
            "complaints": self.complaints.height,
            "allegations": self.allegations.height,
        }


# --- storage ------------------------------------------------------------------------------------------------------


def insight_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "insight"


def check_name(name: str) -> str:
    if name == LIVE:
        raise DatasetError('"live" is the operational database; choose another name for an imported dataset')
    if not _NAME.match(name):
        raise DatasetError(f"dataset name {name!r} must be lower-case letters, digits, '-' or '_' (at most 64)")
    return name


def dataset_path(name: str) -> Path:
    return insight_dir() / check_name(name)


def recorded_columns(tables: Mapping[str, pl.DataFrame]) -> dict[str, list[str]]:
    """For meta.json `recorded`: each table's columns that hold at least one value."""
    return {name: [c for c in frame.columns if frame[c].null_count() < frame.height]
            for name, frame in tables.items()}


def save(name: str, tables: Mapping[str, pl.DataFrame], meta: Mapping[str, Any]) -> Path:
    """Write a dataset atomically: every table conformed to the schema (missing ones empty), then meta.json, into a
    new version folder, then the dataset's link switched to it in one rename (the old version is removed)."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise DatasetError(f"unknown tables: {', '.join(sorted(unknown))}")
    target = dataset_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}@", dir=target.parent))
    try:
        conformed = {table: conform(table, tables[table]) if table in tables else empty(table) for table in TABLES}
        for table, frame in conformed.items():
            frame.write_parquet(work / f"{table}.parquet", compression="zstd", statistics=True)
        full_meta = {"name": name, "schema_version": SCHEMA_VERSION, **dict(meta),
                     "rows": {table: frame.height for table, frame in conformed.items()},
                     "recorded": recorded_columns(conformed)}
        (work / "meta.json").write_text(json.dumps(full_meta, indent=2, sort_keys=True, default=str) + "\n")
        _switch(target, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _switch(target: Path, version: Path) -> None:
    """Point `target` at the complete `version` folder with one atomic rename of a link, then remove every other
    version of the dataset (the one replaced, and any left by an interrupted import)."""
    link = version.with_name(version.name + ".link")
    os.symlink(version.name, link)
    if target.exists() and not target.is_symlink():  # a dataset stored before versions: moved aside first
        target.rename(version.with_name(version.name + ".retired"))
    os.replace(link, target)
    for stale in target.parent.glob(f".{target.name}@*"):
        if stale != version:
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def list_datasets() -> list[dict[str, Any]]:
    """Stored datasets (complete ones only: a folder without meta.json is an interrupted write and is skipped)."""
    root = insight_dir()
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.iterdir()):
        meta_file = path / "meta.json"
        if path.name.startswith(".") or not meta_file.is_file():
            continue
        meta = json.loads(meta_file.read_text())
        found.append({"name": path.name, "source": meta.get("source"), "rows": meta.get("rows", {})})
    return found


def delete(name: str) -> bool:
    path = dataset_path(name)
    if not path.exists() and not path.is_symlink():
        return False
    if path.is_symlink():
        version = path.resolve()
        path.unlink()
        shutil.rmtree(version, ignore_errors=True)
    else:
        shutil.rmtree(path)
    return True


def read_tables(name: str) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """All tables of a dataset, unfiltered, and its meta."""
    if name == LIVE:
        return live.extract()
    path = dataset_path(name)
    meta_file = path / "meta.json"
    if not meta_file.is_file():
        known = ", ".join(d["name"] for d in list_datasets()) or "none yet"
        raise DatasetError(f"no dataset named {name!r} (stored datasets: {known}); "
                           f"import one with `upstander insight import cpdp DIR --name {name}`")
    meta = json.loads(meta_file.read_text())
    tables = {}
    for table in TABLES:
        file = path / f"{table}.parquet"
        tables[table] = conform(table, pl.read_parquet(file)) if file.exists() else empty(table)
    return tables, meta


# --- loading with a window ----------------------------------------------------------------------------------------


def load(name: str, date_from: dt.date | None = None, date_to: dt.date | None = None,
         source: str = "all") -> Dataset:
    """Load dataset `name` ("live" or a stored one), keeping complaints received from `date_from` to `date_to`
    (inclusive; a complaint with no received date is kept only when no bound is given) and of `source`
    (public | internal | all). Allegations, complainants, stage events, witnesses and reporters are restricted to
    the kept complaints."""
    if source not in SOURCES:
        raise DatasetError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    if date_from and date_to and date_from > date_to:
        raise DatasetError(f"--from {date_from} is after --to {date_to}")
    from upstander.lib.runtime import setup_django

    setup_django()
    tables, meta = read_tables(name)
    complaints = window(tables["complaints"], date_from, date_to)
    if source != "all":
        complaints = complaints.filter(pl.col("source") == source)
    kept = complaints.select("complaint_id")
    restricted = {
        table: tables[table].join(kept, on="complaint_id", how="semi")
        for table in ("complainants", "allegations", "stage_events", "witnesses", "reporters")
    }
    return Dataset(name=name, meta=meta, date_from=date_from, date_to=date_to, source=source,
                   people=tables["people"], complaints=complaints, hr_events=tables["hr_events"], **restricted)


def window(complaints: pl.DataFrame, date_from: dt.date | None, date_to: dt.date | None) -> pl.DataFrame:
    """Complaints received from `date_from` to `date_to` (inclusive), counted exactly at the precision of their
    dates: a complaint dated only to a month (or year) is in when its whole month (or year) is. A bound that cuts
    through a month or year some complaints are dated to is refused: the data cannot say which side they fall."""
    if date_from is None and date_to is None:
        return complaints
    start, end = pl.col("received_date"), precision.period_end("received_date")
    inside, overlap = pl.lit(True), pl.lit(True)
    if date_from is not None:
        inside, overlap = inside & (start >= date_from), overlap & (end >= date_from)
    if date_to is not None:
        inside, overlap = inside & (end <= date_to), overlap & (start <= date_to)
    straddling = complaints.filter(overlap & ~inside)
    if straddling.height:
        level = precision.YEAR if (straddling[precision.column("received_date")] == precision.YEAR).any() \
            else precision.MONTH
        raise DatasetError(_straddle_message(straddling.height, level, date_from, date_to))
    return complaints.filter(inside)


def _straddle_message(n: int, level: str, date_from: dt.date | None, date_to: dt.date | None) -> str:
    bounds = f"{date_from or 'the start'} to {date_to or 'the end'}"
    if level == precision.YEAR:
        hint = "start it on 1 January and end it on 31 December"
        aligned = (date_from and date_from.replace(month=1, day=1), date_to and date_to.replace(month=12, day=31))
    else:
        hint = "start it on the first day of a month and end it on the last day of one"
        aligned = (date_from and date_from.replace(day=1),
                   date_to and (date_to.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
    suggestion = " ".join(f"--{flag} {day.isoformat()}" for flag, day in zip(("from", "to"), aligned, strict=True)
                          if day)
    return (f"{n:,} complaints in this dataset are dated only to the {level}, and the window {bounds} cuts through "
            f"their {level}: the data cannot say on which side they fall. Count at the precision the data has: "
            f"{hint} (e.g. {suggestion}).")


# --- command-line options -----------------------------------------------------------------------------------------


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def prepare(dataset: str) -> None:
    """What every insight command does first: Django, and for the live dataset the database and keys."""
    from upstander.lib.runtime import setup_django

    setup_django()
    if dataset == LIVE:
        from upstander.operations.setup import require_installation

        require_installation()


def dataset_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --dataset, --from, --to, --source and --json to a click command (passed as dataset, date_from, date_to,
    source, as_json), prepare Django before it runs and report a DatasetError as a clean error."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            prepare(kwargs["dataset"])
            return command(*args, **kwargs)
        except DatasetError as exc:
            raise click.ClickException(str(exc)) from exc

    options = [
        click.option("--dataset", default=LIVE, show_default=True, help='"live" (the operational database) or the '
                     "name of an imported dataset."),
        click.option("--from", "date_from", callback=_iso_date, metavar="YYYY-MM-DD",
                     help="First complaint date to include (inclusive)."),
        click.option("--to", "date_to", callback=_iso_date, metavar="YYYY-MM-DD",
                     help="Last complaint date to include (inclusive)."),
        click.option("--source", type=click.Choice(SOURCES), default="all", show_default=True,
                     help="Complaints from the public, internal (raised by staff) or all."),
        click.option("--json", "as_json", is_flag=True, help="Write exactly one JSON document to stdout."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def json_text(document: Any) -> str:
    """A document as JSON text: dates as ISO strings, NaN and infinities as null."""
    return json.dumps(_clean(document), indent=2, default=_json_default)


def echo_json(document: Any) -> None:
    """The single JSON document of a --json command."""
    click.echo(json_text(document))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
