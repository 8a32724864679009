"""`upstander witness init|run|status|countersign`: the overseer's side. Runs on the overseer's machine, with its
own data directory; it needs no database and none of the force's keys."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from upstander.audit.witness_formats import COUNTERSIGNATURE, countersign_message, fingerprint
from upstander.lib import crypto
from upstander.witness.store import Store, WitnessError

RETRY_SECONDS = 10  # after the server could not be reached, in --every mode
DATA_DIR = click.option("--data-dir", "data_dir", required=True, envvar="UPSTANDER_WITNESS_DIR",
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The witness's own data directory (on the overseer's machine, never the force's).")


def _now_text() -> str:
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True)  # the witness has no Django project: the clock needs only this
    from upstander.lib import clock

    return clock.now().isoformat(timespec="seconds")


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"upstander witness: {message}", err=True)
    sys.exit(code)


@click.group()
def witness() -> None:
    """The overseer's witness of the force's audit log (run by the overseer, on its own machine)."""


@witness.command()
@DATA_DIR
def init(data_dir: Path) -> None:
    """Create the witness's data directory and its Ed25519 key (kept there, mode 0600)."""
    store = Store(data_dir)
    created = store.init()
    click.echo(f"{'Created' if created else 'Already set up:'} witness in {data_dir}; public key {store.public_path} "
               f"(fingerprint {fingerprint(store.public_key())})")
    if created:
        click.echo("Next: give the force the public key, to deploy as UPSTANDER_OVERSEER_PUBLIC_KEY_FILE, and ask "
                   "its administrator for a token of scope audit_witness.", err=True)


def _report(result, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"ok": True, "head": result.signed, "new_events": result.new_events,
                               "warnings": result.warnings}))
        return
    before = f"event {result.previous.id}" if result.previous else "the start of the log"
    click.echo(f"{result.signed['seen_at']}: confirmed the log up to event {result.head.id} "
               f"({result.new_events} new since {before}); head signed and kept")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


@witness.command()
@DATA_DIR
@click.option("--url", required=True, help="The force's Upstander, e.g. https://upstander.force.example")
@click.option("--token-file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file holding the token of scope audit_witness.")
@click.option("--every", default=0, type=click.IntRange(min=0), metavar="SECONDS",
              help="Keep running, once per this many seconds (default: run once, e.g. from cron).")
@click.option("--no-report", is_flag=True, help="Do not post the signed head back to the force's server.")
@click.option("--json", "as_json", is_flag=True)
def run(data_dir: Path, url: str, token_file: Path, every: int, no_report: bool, as_json: bool) -> None:
    """Pull the events since the last run, check they extend what was seen, sign and keep the new head.
    Exit 1 if the log was forked or rewritten (and on every run after, until someone looks), 3 if the server
    could not be reached."""
    from upstander.witness.client import ForceClient, Unreachable
    from upstander.witness.run import run_once

    store = Store(data_dir)
    try:
        client = ForceClient(url, token_file.read_text().strip())
    except WitnessError as exc:
        _fail(str(exc))
    while True:
        try:
            _report(run_once(store, client, _now_text(), report=not no_report), as_json)
        except WitnessError as exc:
            _fail(str(exc))
        except Unreachable as exc:
            if not every:
                _fail(str(exc), code=3)
            click.echo(f"upstander witness: {exc}; trying again shortly", err=True)
            time.sleep(min(every, RETRY_SECONDS))
            continue
        sys.stdout.flush()
        if not every:
            return
        time.sleep(every)


@witness.command()
@DATA_DIR
@click.option("--json", "as_json", is_flag=True)
def status(data_dir: Path, as_json: bool) -> None:
    """The witness's key and the last head it confirmed (every kept head's signature is checked)."""
    store = Store(data_dir)
    try:
        heads = store.heads()
        key = fingerprint(store.public_key())
    except WitnessError as exc:
        _fail(str(exc))
    last = heads[-1] if heads else None
    if as_json:
        click.echo(json.dumps({"public_key": str(store.public_path), "fingerprint": key, "heads": len(heads),
                               "last": last}))
    elif last is None:
        click.echo(f"witness key {key}; no head confirmed yet")
    else:
        click.echo(f"witness key {key}; {len(heads)} head(s) kept; last: event {last['id']} ({last['hash']}), "
                   f"seen {last['seen_at']}")


@witness.command()
@DATA_DIR
@click.argument("report", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force-key", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The force's public signing key, as the force published it (not one inside REPORT).")
def countersign(data_dir: Path, report: Path, force_key: Path) -> None:
    """Countersign a published report with the overseer's key, after checking the force's signature and every
    file. Writes REPORT/manifest.countersig."""
    from upstander.insight.publish import MANIFEST, verify

    if force_key.resolve().is_relative_to(report.resolve()):
        _fail("the force's key must not come from inside the report folder")
    store = Store(data_dir)
    try:
        problems = verify(report, crypto.unb64(force_key.read_text().strip()))
        private = store.private_key()
    except (ValueError, WitnessError) as exc:
        _fail(str(exc))
    if problems:
        _fail("not countersigned: " + "; ".join(problems))
    signature = crypto.sign(private, countersign_message((report / MANIFEST).read_bytes()))
    (report / COUNTERSIGNATURE).write_text(crypto.b64(signature) + "\n")
    click.echo(f"countersigned {report} ({COUNTERSIGNATURE}) with the overseer's key {fingerprint(store.public_key())}")
