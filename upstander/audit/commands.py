"""`upstander audit verify|head|checkpoint|search`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from upstander.cli import ensure_ready


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


def _witness_heads(path: Path, key_file: Path | None) -> tuple[list[dict], bytes | None, str]:
    """The witness's heads and the key to check their signatures with: --witness-key, else the overseer's public
    key deployed with this server's configuration."""
    from upstander.audit.witness_formats import BadHead, read_heads
    from upstander.lib import crypto, keys

    try:
        heads = read_heads(path.read_text())
    except (OSError, UnicodeDecodeError, BadHead) as exc:
        raise click.ClickException(f"cannot read the witness's heads in {path}: {exc}") from exc
    if key_file is not None:
        try:
            return heads, crypto.unb64(key_file.read_text().strip()), f"the key in {key_file}"
        except (OSError, ValueError) as exc:
            raise click.ClickException(f"cannot read the witness's public key {key_file}: {exc}") from exc
    public = keys.overseer_public_key()
    if public is not None:
        return heads, public, "the overseer's public key of this installation"
    return heads, None, ""


@audit.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--witness", "witness_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The witness's heads file (one JSON object per line, as the witness keeps it): every head in it "
                   "must still be in the log.")
@click.option("--witness-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The witness's public key, to check each head's signature (default: the overseer's public key "
                   "of this installation, if it has one).")
def verify(as_json: bool, witness_file: Path | None, witness_key: Path | None) -> None:
    """Recompute the hash chain, check signed checkpoints and, with --witness, the heads the overseer's witness
    saw. Exit 0 when intact, 1 otherwise."""
    ensure_ready()
    from upstander.audit.checkpoints import verify_checkpoints
    from upstander.audit.log import verify_chain
    from upstander.audit.witness import check_against_witness

    result = verify_chain()
    problems = verify_checkpoints() if result.ok else []
    broken = result.first_broken_id if not result.ok else (problems[0].event_id if problems else None)
    witness = None
    if witness_file is not None:
        heads, public, key_source = _witness_heads(witness_file, witness_key)
        witness = check_against_witness(heads, public)
    ok = broken is None and (witness is None or witness.ok)
    if as_json:
        doc: dict = {"ok": ok, "checked": result.checked, "first_broken_id": broken,
                     "problem": result.problem or (problems[0].problem if problems else "")}
        if witness is not None:
            doc["witness"] = {"heads": witness.heads, "signatures_checked": witness.signatures_checked,
                              "mismatch_id": witness.mismatch_id, "bad_signature_id": witness.bad_signature_id,
                              "problem": witness.problem}
        click.echo(json.dumps(doc))
        sys.exit(0 if ok else 1)
    if broken is not None:
        click.echo(f"first broken link: id {broken}")
        click.echo(f"reason: {result.problem or problems[0].problem}", err=True)
    if witness is not None and witness.mismatch_id is not None:
        click.echo(f"witness mismatch at id {witness.mismatch_id}")
        click.echo(f"reason: {witness.problem}", err=True)
    if witness is not None and witness.bad_signature_id is not None:
        click.echo(f"witness file: the head at id {witness.bad_signature_id} is not signed with the witness's key")
    if ok:
        click.echo(f"audit log intact: {result.checked} events, checkpoints verified")
        if witness is not None:
            signed = (f"their signatures checked with {key_source}" if witness.signatures_checked else
                      "their signatures not checked (no witness public key: give --witness-key)")
            click.echo(f"witness: the {witness.heads} head(s) it saw are all still in the log; {signed}")
    sys.exit(0 if ok else 1)


@audit.command()
@click.option("--json", "as_json", is_flag=True, help='Print {"id": N, "hash": "…"}.')
def head(as_json: bool) -> None:
    """The chain's last event: its id and hash (id 0 and the genesis hash for an empty log)."""
    ensure_ready()
    from upstander.audit.log import head as chain_head

    last = chain_head()
    click.echo(json.dumps({"id": last.id, "hash": last.hash}) if as_json else f"event {last.id}: {last.hash}")


@audit.command()
def checkpoint() -> None:
    """Write a checkpoint signed with the force's own signing key (`upstander tick` makes them by itself)."""
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
