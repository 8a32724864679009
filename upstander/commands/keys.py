"""`upstander keys`: set up and inspect an installation's keys."""

from __future__ import annotations

import json

import click

from upstander.cli import ensure_ready, setup_django


@click.group()
def keys() -> None:
    """Installation keys: organisation key pairs, the force's signing key, the receipt pepper."""


@keys.command("init")
def init() -> None:
    """Create any missing keys. Prints each new organisation's recovery secret once (stderr): print it and keep
    it safe; it is never stored."""
    ensure_ready(quiet=False)
    click.echo("Keys are in place.", err=True)


@keys.command("status")
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """Show which keys are present, their fingerprints and whether each matches its pin (public facts only). In
    production the pins file (UPSTANDER_KEY_PINS_FILE) holds {"force": fingerprint, …} as shown here."""
    setup_django()
    from upstander.accounts.models import KeyGrant, Organisation
    from upstander.lib import crypto
    from upstander.lib.keys import force_signing_public_path, missing_key_files, pins_path, read_pins

    pins = read_pins()
    orgs = [{"organisation": o.slug, "kind": o.kind, "public_key": crypto.b64(bytes(o.public_key)),
             "fingerprint": crypto.fingerprint(bytes(o.public_key)), "pinned": pins.get(o.kind),
             "members_holding_key": KeyGrant.objects.filter(organisation=o, revoked_at__isnull=True).count()}
            for o in Organisation.objects.order_by("slug")]
    doc: dict = {"organisations": orgs, "missing_files": missing_key_files(),
                 "signing_public_key": str(force_signing_public_path()), "pins_file": str(pins_path())}
    if as_json:
        click.echo(json.dumps(doc))
    else:
        for o in orgs:
            pin = "pinned" if o["pinned"] == o["fingerprint"] else "NOT PINNED" if not o["pinned"] else "PIN MISMATCH"
            click.echo(f"{o['organisation']}: {o['members_holding_key']} member(s) hold the key; {o['fingerprint']} "
                       f"({pin})")
        for path in doc["missing_files"]:
            click.echo(f"missing: {path}")
