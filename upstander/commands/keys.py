"""`upstander keys`: set up and inspect an installation's keys."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from upstander.cli import require_installation, set_up_installation


@click.group()
def keys() -> None:
    """Installation keys: organisation key pairs, the force's signing key, the receipt pepper."""


@keys.command("init")
def init() -> None:
    """Set up a new installation's keys (and schema). Prints each new organisation's recovery secret once (stderr):
    print it and keep it safe; it is never stored. Against a database that already has an installation it makes
    no keys: it checks that the keys it finds belong to that database, and refuses if any is missing."""
    created = set_up_installation()
    click.echo("New installation: keys are in place." if created else
               "This installation's keys are in place and match its database; no keys were made.", err=True)


@keys.command("status")
@click.option("--json", "as_json", is_flag=True)
def status(as_json: bool) -> None:
    """Show which keys are present, their fingerprints and whether each matches its pin (public facts only). In
    production the pins file (UPSTANDER_KEY_PINS_FILE) holds {"force": fingerprint, …} as shown here."""
    require_installation()
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


@keys.command("backup-keypair")
@click.option("--secret-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the secret to this new file (mode 0600) instead of printing it; move it offline.")
@click.option("--replace", is_flag=True, help="Replace an existing backup key (older backups still need the old "
              "secret).")
def backup_keypair(secret_out: Path | None, replace: bool) -> None:
    """Make the key pair backups are encrypted to. The public key stays with the installation; the secret is shown
    once and never stored here: keep it offline, apart from the backups (print it, or a USB key in a safe)."""
    require_installation()
    from upstander.lib import crypto
    from upstander.lib.keyfiles import create_once, write_private
    from upstander.operations.archive import backup_public_path, format_secret

    path = backup_public_path()
    if path.exists() and not replace:
        click.echo(f"upstander keys backup-keypair: a backup key is set up already ({path}); its secret is wherever "
                   "it was put when it was made. Pass --replace to make a new one.", err=True)
        sys.exit(1)
    pair = crypto.new_keypair()
    secret = format_secret(pair.private) + "\n"
    if secret_out is not None:
        create_once(secret_out, secret.encode())  # never overwrites: a file there already is refused below
        if secret_out.read_text() != secret:
            click.echo(f"upstander keys backup-keypair: {secret_out} exists already; nothing was changed.", err=True)
            sys.exit(1)
    write_private(path, (crypto.b64(pair.public) + "\n").encode())
    if secret_out is None:
        click.echo(secret, nl=False)
    click.echo(f"Backup public key written to {path}. The secret " +
               (f"is in {secret_out}: move it offline now." if secret_out else "is above (on stdout), shown once: "
                "keep it offline; without it no backup can be opened."), err=True)
