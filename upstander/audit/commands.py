"""`upstander audit verify|checkpoint|search`."""

from __future__ import annotations

import json
import sys

import click

from upstander.cli import ensure_ready


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command()
@click.option("--json", "as_json", is_flag=True)
def verify(as_json: bool) -> None:
    """Recompute the hash chain and check signed checkpoints. Exit 0 when intact, 1 otherwise."""
    ensure_ready()
    from upstander.audit.checkpoints import verify_checkpoints
    from upstander.audit.log import verify_chain

    result = verify_chain()
    problems = verify_checkpoints() if result.ok else []
    broken = result.first_broken_id if not result.ok else (problems[0].event_id if problems else None)
    ok = broken is None
    if as_json:
        click.echo(json.dumps({"ok": ok, "checked": result.checked, "first_broken_id": broken,
                               "problem": result.problem or (problems[0].problem if problems else "")}))
    elif ok:
        click.echo(f"audit log intact: {result.checked} events, checkpoints verified")
    else:
        click.echo(f"first broken link: id {broken}")
        click.echo(f"reason: {result.problem or problems[0].problem}", err=True)
    sys.exit(0 if ok else 1)


@audit.command()
def checkpoint() -> None:
    """Write a checkpoint signed with the overseer's signing key."""
    ensure_ready()
    from upstander.audit.checkpoints import do_checkpoint
    from upstander.audit.log import Actor

    cp = do_checkpoint(actor=Actor.system("audit"))
    click.echo(f"checkpoint at id {cp.last_event_id}: {cp.last_hash}")


@audit.command()
@click.option("--object", "object_id", default="", help="An object's public id or case code.")
@click.option("--actor", default="", help="e.g. user:alice")
@click.option("--json", "as_json", is_flag=True)
def search(object_id: str, actor: str, as_json: bool) -> None:
    """Who did what to an object ("who looked at this case?")."""
    ensure_ready()
    from upstander.audit.models import AuditEvent

    events = AuditEvent.objects.order_by("id")
    if object_id:
        events = events.filter(object_id=object_id)
    if actor:
        events = events.filter(actor=actor)
    rows = [{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "role": e.role, "action": e.action,
             "object": f"{e.object_type}:{e.object_id}", "reason": e.reason} for e in events[:1000]]
    if as_json:
        click.echo(json.dumps(rows))
    else:
        for r in rows:
            click.echo(f"{r['id']:>8} {r['at']} {r['actor']:<24} {r['action']:<28} {r['object']} {r['reason']}")
