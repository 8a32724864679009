"""What goes into a backup and where it comes from: the database (the SQLite backup API, or `pg_dump` in its custom
format), the installation's key files and secret key, and the data directory's files (the encrypted store, the
checkpoints, stored datasets). The archive is a gzip'd tar sealed to the backup public key (lib/crypto sealed
streams); only the backup secret, kept offline, opens it.

Not in a backup: the organisations' recovery secrets (kept apart, on paper; a demo installation's are included),
per-process metrics, temporary files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from upstander.lib import crypto
from upstander.lib.keyfiles import secret_key_path
from upstander.lib.keys import (
    force_signing_key_path,
    force_signing_public_path,
    overseer_public_path,
    pepper_path,
    pins_path,
)
from upstander.operations import keyset

FORMAT = "upstander-backup"
VERSION = 1
# Top-level names in the data dir that are not copied as data files (they are handled apart, or not kept).
NOT_DATA = {"keys", "metrics", ".setup.lock"}
NOT_DATA_PREFIXES = ("upstander.sqlite3", ".backup-", ".restore-")


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


def backup_public_path() -> Path:
    provided = os.environ.get("UPSTANDER_BACKUP_PUBLIC_FILE")
    return Path(provided) if provided else pepper_path().parent / "backup.pub"


SECRET_PREFIX = "upstander-backup-secret-v1:"  # noqa: S105 - a label that says what follows, not a secret


def format_secret(private: bytes) -> str:
    return SECRET_PREFIX + crypto.b64(private)


def parse_secret(text: str) -> bytes:
    text = text.strip()
    if not text.startswith(SECRET_PREFIX):
        raise BackupError("that is not an Upstander backup secret (it starts with " + SECRET_PREFIX + ")")
    try:
        return crypto.unb64(text[len(SECRET_PREFIX):])
    except ValueError:
        raise BackupError("the backup secret is damaged: check it was copied whole") from None


# --- key files: archive name -> where this installation keeps it ----------------------------------------------------


@dataclass(frozen=True)
class KeyEntry:
    name: str  # in the archive, under keys/
    path: Path | None  # None: the secret key comes from UPSTANDER_SECRET_KEY


def key_entries(*, demo: bool) -> list[KeyEntry]:
    env_secret = bool(os.environ.get("UPSTANDER_SECRET_KEY"))
    named = [KeyEntry("receipt-pepper", pepper_path()), KeyEntry("force-signing.key", force_signing_key_path()),
             KeyEntry("force-signing.pub", force_signing_public_path()),
             KeyEntry("overseer.pub", overseer_public_path()), KeyEntry("recipient-pins.json", pins_path()),
             KeyEntry("installation.json", keyset.marker_path()), KeyEntry("backup.pub", backup_public_path()),
             KeyEntry("secret-key", None if env_secret else secret_key_path(settings.DATA_DIR))]
    taken = {e.name for e in named} | {"django-secret"}
    folder = Path(settings.DATA_DIR) / "keys"
    # Other key files the embedded key folder holds (so a key added in a later version is not forgotten).
    extra = [KeyEntry(p.name, p) for p in sorted(folder.iterdir()) if folder.is_dir()
             and p.is_file() and p.name not in taken and not p.name.endswith(".tmp") and not p.name.startswith(".")
             and (demo or not p.name.startswith("recovery-"))] if folder.is_dir() else []
    return named + extra


def data_files() -> list[Path]:
    root = Path(settings.DATA_DIR)
    out: list[Path] = []
    for top in sorted(root.iterdir()) if root.is_dir() else []:
        if top.name in NOT_DATA or top.name.startswith(NOT_DATA_PREFIXES):
            continue
        if top.is_file():
            out.append(top)
        elif top.is_dir():
            out += sorted(p for p in top.rglob("*") if p.is_file() and not p.is_symlink())
    return out


# --- the database ---------------------------------------------------------------------------------------------------


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore from Debian's postgresql package (the newest installed), or UPSTANDER_PG_BIN, or PATH."""
    folder = os.environ.get("UPSTANDER_PG_BIN")
    candidates = [Path(folder) / name] if folder else []

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in p.parts[-3].split(".") if x.isdigit())

    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version, reverse=True)
    for path in candidates:
        if path.is_file():
            return str(path)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(f"{name} was not found: install Debian's postgresql-client (or set UPSTANDER_PG_BIN)")


_LIBPQ = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE",
          "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
          "options": "PGOPTIONS", "service": "PGSERVICE", "passfile": "PGPASSFILE"}


def pg_environment() -> dict[str, str]:
    """The connection Django makes, as libpq variables, so no password appears on a command line."""
    env = {k: v for k, v in os.environ.items() if k not in _LIBPQ.values()}
    for key, value in connection.get_connection_params().items():
        if key in _LIBPQ and value not in (None, ""):
            env[_LIBPQ[key]] = str(value)
    return env


def dump_database(folder: Path) -> Path:
    """A consistent copy of the database in `folder`: SQLite through its online backup API, PostgreSQL with pg_dump
    (custom format, one snapshot)."""
    if connection.vendor == "sqlite":
        target = folder / "upstander.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    target = folder / "upstander.pgdump"
    result = subprocess.run([pg_binary("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)],  # noqa: S603
                            env=pg_environment(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[-800:]}")
    return target
