"""`upstander intake sweep`: expire drafts and finish or remove what a crash left in the file store."""

from __future__ import annotations

import json

import click

from upstander.cli import ensure_ready


@click.group()
def intake() -> None:
    """The reporter side's housekeeping."""


@intake.command("sweep")
@click.option("--json", "as_json", is_flag=True, help="Write one JSON document to stdout.")
def sweep_command(as_json: bool) -> None:
    """Delete expired drafts and orphaned encrypted files; finish renames a crash interrupted. Idempotent."""
    ensure_ready()
    from upstander.reports.sweeper import sweep

    result = sweep().as_dict()
    if as_json:
        click.echo(json.dumps(result))
    else:
        click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.items()))
