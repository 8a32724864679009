"""Analysis subcommands of `upstander insight`. Heavy modules are imported inside each command, so
`upstander insight --help` stays fast."""

from __future__ import annotations

import click

from upstander.insight.datasets import echo_json


@click.command("datasets")
@click.option("--json", "as_json", is_flag=True, help="Write exactly one JSON document to stdout.")
def datasets_command(as_json: bool) -> None:
    """List the stored datasets."""
    from upstander.cli import setup_django

    setup_django()
    from upstander.insight.datasets import list_datasets

    found = list_datasets()
    if as_json:
        echo_json({"datasets": found})
        return
    if not found:
        click.echo("no stored datasets (the live dataset is always available as --dataset live)")
    for item in found:
        click.echo(f"{item['name']}\t{item['source']}\t{item['rows'].get('complaints', 0):,} complaints")


def register(group: click.Group) -> None:
    from upstander.insight.importers.commands import import_group

    group.add_command(import_group)
    group.add_command(datasets_command)
