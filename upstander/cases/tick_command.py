"""`upstander tick`: the periodic work, idempotent and cron-able, as the named system actor system:tick:
refresh the clocks' due-date cache and turn breaches into escalations (each breach escalated once however often it
runs); watch for retaliation against people who spoke up; purge content past retention (legal holds respected);
sweep expired reporter drafts and what a crash left in the file store; sign a checkpoint of the audit log (at most
one per interval of policy/audit.toml)."""

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
    from upstander.custody.retention import purge_due
    from upstander.reports.sweeper import sweep
    from upstander.safeguarding.retaliation import run_retaliation_monitoring

    actor = Actor.system("tick")
    with tqdm(total=len(_open_case_ids()), unit="case", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
        result = run_tick(actor=actor, on=day, progress=bar.update)
    retaliation = run_retaliation_monitoring(actor=actor, as_of=day)
    retention = purge_due(actor=actor, today=day)
    swept = sweep()
    from upstander.operations.actions import do_record_run

    do_record_run(actor=actor, job="tick")  # when tick last ran, for monitoring (/metrics); the checkpoint covers it
    from upstander.audit.checkpoints import do_checkpoint_if_due

    made = do_checkpoint_if_due(actor=actor)
    checkpoint = {"made": made is not None, "last_event_id": made.last_event_id if made else None}
    if as_json:
        click.echo(json.dumps({**result.as_dict(), "retaliation": retaliation.as_dict(),
                               "retention": retention.as_dict(), "sweep": swept.as_dict(),
                               "checkpoint": checkpoint}, default=str))
    else:
        click.echo(f"{result.cases_checked} open case(s) checked on {result.on}; {result.breaches_open} breach(es) open; "
                   f"escalated {result.escalated_to_supervisor} to supervisors and {result.escalated_to_overseer} to the "
                   f"overseer; {result.due_dates_refreshed} due date(s) refreshed")
        click.echo(f"retaliation monitoring: {retaliation.as_dict()}")
        click.echo(f"retention: {retention.as_dict()}")
        click.echo(f"reporter-side sweep: {swept.as_dict()}")
        click.echo(f"audit checkpoint: {'signed up to event ' + str(made.last_event_id) if made else 'not due yet'}")
