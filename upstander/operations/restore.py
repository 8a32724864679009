"""`upstander restore`: put an installation back from a backup archive (operations/backup.py).

Order: the whole archive is opened and unpacked into a private staging folder first (a wrong secret, a changed byte
or a cut-off file stops it there, with nothing touched); then it refuses to overwrite a live installation unless
forced; then keys, data files and the database are put in place. The command runs `check` and `audit verify`
afterwards."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from upstander.lib import crypto
from upstander.lib.keyfiles import write_private
from upstander.operations import keyset
from upstander.operations.archive import FORMAT, BackupError, key_entries, pg_binary, pg_environment
from upstander.operations.errors import NotInstalled
from upstander.operations.setup import find_installation


@dataclass
class RestoreSummary:
    installation: str
    database: str
    key_files: list[str] = field(default_factory=list)
    data_files: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _unpack(archive: Path, secret: bytes, staging: Path) -> dict:
    try:
        with open(archive, "rb") as raw:
            reader = crypto.SealedStreamReader(secret, raw)
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:
                tar.extractall(staging, filter="data")  # regular files under staging only; no links, no ../
    except crypto.CryptoError as exc:
        raise BackupError(f"cannot open {archive}: {exc} (is this the secret of the backup key it was made "
                          "with, and the whole file?)") from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{archive} is damaged: {exc}") from None
    try:
        manifest = json.loads((staging / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError(f"{archive} has no readable manifest: not an Upstander backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not an Upstander backup")
    return manifest


def _live_installation() -> str | None:
    """What restoring here would overwrite: an installation in the database, or key files of one."""
    try:
        return f"installation {find_installation().public_id} in the database"
    except NotInstalled:
        pass
    marker = keyset.read_marker()
    if marker is not None:
        return f"key files of installation {marker['installation']} at {keyset.marker_path().parent}"
    return None


def _put_keys(staging: Path, manifest: dict, notes: list[str]) -> list[str]:
    restored = []
    for entry in key_entries(demo=bool(manifest.get("demo"))):
        source = staging / "keys" / entry.name
        if not source.is_file():
            continue
        data = source.read_bytes()
        if entry.path is None:  # the secret key comes from UPSTANDER_SECRET_KEY here
            if data.decode().strip() != os.environ.get("UPSTANDER_SECRET_KEY", ""):
                kept = Path(settings.DATA_DIR) / "restored-secret-key"
                write_private(kept, data)
                notes.append(f"UPSTANDER_SECRET_KEY differs from the backup's secret key: set it to the value in "
                             f"{kept} (then delete that file)")
            continue
        entry.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(entry.path, data)
        restored.append(entry.name)
    for source in sorted((staging / "keys").glob("*")):  # extra key files (demo accounts, later versions' keys)
        target = Path(settings.DATA_DIR) / "keys" / source.name
        if source.name not in restored and source.name != "secret-key" and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            write_private(target, source.read_bytes())
            restored.append(source.name)
    return restored


def _put_data(staging: Path) -> int:
    source_root, target_root = staging / "data", Path(settings.DATA_DIR)
    if not source_root.is_dir():
        return 0
    count = 0
    for top in sorted(source_root.iterdir()):
        target = target_root / top.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        shutil.move(str(top), str(target))
        count += sum(1 for p in target.rglob("*") if p.is_file()) if target.is_dir() else 1
    return count


def _put_database(staging: Path, manifest: dict) -> None:
    dump = staging / "database" / str(manifest.get("database_file", ""))
    if manifest.get("database") != connection.vendor:
        raise BackupError(f"this backup holds a {manifest.get('database')} database and this installation points "
                          f"at {connection.vendor}: restore it with the same kind of database")
    connection.close()
    if connection.vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.chmod(dump, 0o600)
        os.replace(dump, target)
        return
    env = pg_environment()
    result = subprocess.run([pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",  # noqa: S603
                             "--single-transaction", "--exit-on-error", "--dbname", env["PGDATABASE"], str(dump)],
                            env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (the database was left as it was): {result.stderr.strip()[-800:]}")


def restore_backup(archive: Path, secret: bytes, *, force: bool) -> RestoreSummary:
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(settings.DATA_DIR, 0o700)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.DATA_DIR))  # mode 0700
    try:
        manifest = _unpack(archive, secret, staging)
        live = _live_installation()
        if live and not force:
            raise BackupError(f"{live} would be overwritten; nothing was changed. Restore into an empty data "
                              "directory or database, or pass --force to replace it.")
        notes: list[str] = []
        _put_database(staging, manifest)  # first: a refused restore of the database leaves the keys as they were
        keys = _put_keys(staging, manifest, notes)
        count = _put_data(staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if connection.vendor == "postgresql":
        notes.append("apply the app role's grants again (deploy/postgres/roles.sql), as pg_restore ran without them")
    return RestoreSummary(installation=str(manifest.get("installation")), database=str(manifest.get("database")),
                          key_files=keys, data_files=count, notes=notes)
