"""`upstander insight import cpdp|csv`: turn a public or exported complaints dataset into a stored dataset, and say
what was done: the data-quality summary is printed after every import (with --json, inside the one document).

A refused import exits non-zero with one message that names the file and line or the mapping key, quotes no row of
the files and leaves any earlier dataset of that name exactly as it was. An unexpected failure says only its kind
(its own message could quote the data); --debug shows the traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from upstander.insight.datasets import DatasetError, echo_json
from upstander.insight.importers.quality import lines


def _prepare() -> None:
    from upstander.cli import setup_django

    setup_django()


def _report(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        echo_json(summary)
        return
    rows = ", ".join(f"{table} {count:,}" for table, count in summary["rows"].items())
    click.echo(f"imported {summary['dataset']} in {summary['seconds']} s: {rows}")
    for line in lines(summary["quality"]):
        click.echo(line)


def _run(name: str, debug: bool, importer: Callable[[], dict[str, Any]], as_json: bool) -> None:
    kept = f"Nothing was imported; the dataset {name!r}, if there was one, is as it was."
    try:
        summary = importer()
    except DatasetError as exc:
        raise click.ClickException(f"{exc} {kept}") from None
    except Exception as exc:
        if debug:
            raise
        raise click.ClickException(f"the import stopped on an unexpected {type(exc).__name__} (its message is not "
                                   f"shown: it could quote the files). {kept} Run again with --debug to see it.") \
            from None
    _report(summary, as_json)


debug_option = click.option("--debug", is_flag=True, help="Show the traceback of an unexpected failure (it may quote "
                                                          "the files).")


@click.group("import")
def import_group() -> None:
    """Import a complaints dataset (replacing any earlier one of the same name, only once the import succeeds)."""


@import_group.command("cpdp")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Name of the dataset to create or replace.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document.")
@debug_option
def import_cpdp_command(directory: Path, name: str, as_json: bool, debug: bool) -> None:
    """Import the Chicago Citizens Police Data Project release in DIRECTORY."""
    _prepare()
    from upstander.insight.importers.cpdp import import_cpdp

    _run(name, debug, lambda: import_cpdp(directory, name), as_json)


@import_group.command("csv")
@click.option("--mapping", "mapping", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML mapping file (docs/import-formats.md).")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Name of the dataset to create or replace.")
@click.option("--allow-unmapped", is_flag=True,
              help="Import coded values the mapping does not map as not recorded (listed in the summary) instead of "
                   "refusing the import.")
@click.option("--allow-bad-dates", is_flag=True,
              help="Import dates that do not read as not recorded (counted in the summary) instead of refusing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document.")
@debug_option
def import_csv_command(mapping: Path, directory: Path, name: str, allow_unmapped: bool, allow_bad_dates: bool,
                       as_json: bool, debug: bool) -> None:
    """Import CSV files in DIRECTORY through a mapping file."""
    _prepare()
    from upstander.insight.importers.csv_mapping import import_csv

    _run(name, debug, lambda: import_csv(mapping, directory, name, allow_unmapped=allow_unmapped,
                                         allow_bad_dates=allow_bad_dates), as_json)
