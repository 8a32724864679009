"""`upstander safeguarding retaliation-scan`: the retaliation monitoring run, as the named system actor
system:retaliation. (`upstander tick` runs it too.) Imports wait until the command runs and Django is set up."""

from __future__ import annotations

import json

import click

from upstander.cli import ensure_ready


@click.group()
def safeguarding() -> None:
    """Separation and retaliation monitoring."""


@safeguarding.command("retaliation-scan")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Default: today.")
@click.option("--json", "as_json", is_flag=True)
def retaliation_scan(as_of, as_json: bool) -> None:
    """Compare detriment after speaking up with matched peers; raise or update retaliation alerts. Idempotent."""
    ensure_ready()
    from upstander.audit.log import Actor
    from upstander.safeguarding.retaliation import run_retaliation_monitoring

    summary = run_retaliation_monitoring(actor=Actor.system("retaliation"), as_of=as_of.date() if as_of else None)
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    else:
        click.echo(f"Monitored {summary.monitored} people who spoke up: {summary.flagged} with significant excess "
                   f"detriment; {summary.alerts_opened} alert(s) opened, {summary.alerts_updated} updated.")
