"""`upstander migrate` and `upstander check`."""

from __future__ import annotations

import json
import sys

import click

from upstander.cli import ensure_ready, setup_django


@click.command()
def migrate() -> None:
    """Create or update the database schema, and the keys an empty data dir lacks."""
    ensure_ready()
    click.echo("Database schema and keys are up to date.", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as one JSON document.")
def check(as_json: bool) -> None:
    """Check the database is reachable, migrations are applied and keys are present. Changes nothing."""
    setup_django()
    from upstander.health import run_checks

    checks = run_checks()
    ok = all(c.get("ok") for c in checks.values())
    if as_json:
        click.echo(json.dumps({"status": "ok" if ok else "error", "checks": checks}))
    else:
        for name, result in checks.items():
            status = "ok" if result.get("ok") else "FAILED"
            detail = {k: v for k, v in result.items() if k != "ok"}
            click.echo(f"{name}: {status} {detail if detail else ''}".rstrip(), err=True)
        if not ok:
            click.echo("Run `upstander migrate` to create the schema and keys, or set DATABASE_URL / the key "
                       "file variables (see docs/operations.md).", err=True)
    sys.exit(0 if ok else 1)
