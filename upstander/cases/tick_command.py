"""`upstander tick`: refresh the clocks' due-date cache and turn breaches into escalations. Idempotent and cron-able:
each breach is escalated once however often it runs. Acts as the named system actor system:tick."""

from __future__ import annotations

import json
import sys
from datetime import date

import click


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document with what was done.")
@click.option("--on", "on", default="", metavar="YYYY-MM-DD",
              help="The day to evaluate clocks on (default: today in the policy's time zone).")
def tick(as_json: bool, on: str) -> None:
    """Escalate clock breaches: first to the supervisor, then into the overseer's queue."""
    from upstander.cli import ensure_ready

    ensure_ready()
    from tqdm import tqdm

    from upstander.audit.log import Actor
    from upstander.cases.escalations import _open_case_ids, run_tick

    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise click.BadParameter(f"{on!r} is not a date (YYYY-MM-DD)", param_hint="--on") from None
    with tqdm(total=len(_open_case_ids()), unit="case", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        result = run_tick(actor=Actor.system("tick"), on=day, progress=bar.update)
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    else:
        click.echo(f"{result.cases_checked} open case(s) checked on {result.on}; {result.breaches_open} breach(es) open; "
                   f"escalated {result.escalated_to_supervisor} to supervisors and {result.escalated_to_overseer} to the "
                   f"overseer; {result.due_dates_refreshed} due date(s) refreshed")
