"""`upstander insight import cpdp|csv`: turn a public or exported complaints dataset into a stored dataset."""

from __future__ import annotations

from pathlib import Path

import click

from upstander.insight.datasets import DatasetError, echo_json


def _prepare() -> None:
    from upstander.cli import setup_django

    setup_django()


def _report(summary: dict, as_json: bool) -> None:
    if as_json:
        echo_json(summary)
        return
    rows = ", ".join(f"{table} {count:,}" for table, count in summary["rows"].items())
    click.echo(f"imported {summary['dataset']} in {summary['seconds']} s: {rows}")


@click.group("import")
def import_group() -> None:
    """Import a complaints dataset (replacing any earlier one of the same name)."""


@import_group.command("cpdp")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Name of the dataset to create or replace.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document.")
def import_cpdp_command(directory: Path, name: str, as_json: bool) -> None:
    """Import the Chicago Citizens Police Data Project release in DIRECTORY."""
    _prepare()
    from upstander.insight.importers.cpdp import import_cpdp

    try:
        _report(import_cpdp(directory, name), as_json)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc


@import_group.command("csv")
@click.option("--mapping", "mapping", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TOML mapping file (docs/import-formats.md).")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Name of the dataset to create or replace.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON document.")
def import_csv_command(mapping: Path, directory: Path, name: str, as_json: bool) -> None:
    """Import CSV files in DIRECTORY through a mapping file."""
    _prepare()
    from upstander.insight.importers.csv_mapping import import_csv

    try:
        _report(import_csv(mapping, directory, name), as_json)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
