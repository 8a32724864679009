"""`upstander migrate` and `upstander check`."""

from __future__ import annotations

import json
import sys

import click

from upstander.cli import set_up_installation, setup_django


@click.command()
def migrate() -> None:
    """Create or update the database schema; on a new data dir or database, set up the installation (keys,
    organisations). Never makes keys for a database that already has an installation."""
    created = set_up_installation()
    click.echo("New installation set up: schema, keys and organisations are in place." if created else
               "Database schema is up to date; the keys match this installation.", err=True)


def _plain(detail: dict) -> str:
    return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in detail.items())


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the checks as one JSON document.")
def check(as_json: bool) -> None:
    """Check the database is reachable, migrations are applied, the installation's keys are present and match it,
    and its files are readable by the service account only. Changes nothing."""
    setup_django()
    from upstander.health import run_checks

    checks = run_checks(fresh=True)
    ok = all(c.get("ok") for c in checks.values())
    if as_json:
        click.echo(json.dumps({"status": "ok" if ok else "error", "checks": checks}))
    else:
        for name, result in checks.items():
            status = "ok" if result.get("ok") else "FAILED"
            detail = {k: v for k, v in result.items() if k != "ok" and v not in ([], "")}
            click.echo(f"{name}: {status} {_plain(detail)}".rstrip(), err=True)
        if not ok:
            click.echo("To set up a new installation run `upstander migrate`; for an existing one, point "
                       "UPSTANDER_DATA_DIR / DATABASE_URL / the key file variables at it (docs/operations.md).",
                       err=True)
    sys.exit(0 if ok else 1)
