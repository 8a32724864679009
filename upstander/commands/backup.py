"""`upstander backup --out FILE` and `upstander restore FILE` (docs/operations.md, "Backup and restore")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

from upstander.cli import require_installation, setup_django


@click.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The archive to write (never overwritten).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document describing the backup.")
def backup(out: Path, as_json: bool) -> None:
    """One encrypted archive of the installation: database, key files, secret key, stored files, checkpoints.
    Encrypted to the backup public key (`upstander keys backup-keypair`); only its secret, kept offline, opens it."""
    require_installation()
    from upstander.operations.archive import BackupError
    from upstander.operations.backup import make_backup

    try:
        summary = make_backup(out)
    except BackupError as exc:
        click.echo(f"upstander backup: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    else:
        click.echo(f"Backup of installation {summary.installation} written to {summary.path} ({summary.bytes:,} "
                   f"bytes: the {summary.database} database, {summary.key_files} key files, {summary.data_files} "
                   "data files). Recovery secrets are not in it: keep them apart.", err=True)


def _read_secret(secret_file: Path | None) -> bytes:
    from upstander.operations.archive import parse_secret

    if secret_file is not None:
        text = secret_file.read_text()
    elif os.environ.get("UPSTANDER_BACKUP_SECRET"):
        text = os.environ["UPSTANDER_BACKUP_SECRET"]
    else:
        text = click.prompt("Backup secret", hide_input=True, err=True)
    return parse_secret(text)


def _run_after(args: list[str]) -> int:
    """`check` and `audit verify` as fresh processes, so they read the restored keys and settings."""
    result = subprocess.run([sys.executable, "-m", "upstander.cli", *args], env=dict(os.environ),  # noqa: S603
                            capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).strip().splitlines():
        click.echo(f"  {line}", err=True)
    return result.returncode


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file holding the backup secret (else UPSTANDER_BACKUP_SECRET, else it is asked for).")
@click.option("--force", is_flag=True, help="Replace the installation that is here (its database, keys and files).")
def restore(archive: Path, secret_file: Path | None, force: bool) -> None:
    """Restore an installation from a backup archive into this data directory / database, then run `check` and
    `audit verify`. Refuses to overwrite a live installation without --force."""
    setup_django()
    from upstander.operations.archive import BackupError
    from upstander.operations.restore import restore_backup

    try:
        summary = restore_backup(archive, _read_secret(secret_file), force=force)
    except BackupError as exc:
        click.echo(f"upstander restore: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Restored installation {summary.installation}: the {summary.database} database, key files "
               f"({', '.join(summary.key_files)}) and {summary.data_files} data files.", err=True)
    for note in summary.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo("upstander check:", err=True)
    checked = _run_after(["check"])
    click.echo("upstander audit verify:", err=True)
    verified = _run_after(["audit", "verify"])
    sys.exit(0 if checked == 0 and verified == 0 else 1)
