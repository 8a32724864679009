"""`upstander backup`: one encrypted archive of everything an installation needs (operations/archive.py says what).

The archive is written to a temporary name beside FILE and renamed when complete, so FILE is never half a backup.
Plain text never touches the disk outside the data dir: the database copy is staged in a private folder inside it
(mode 0700) and removed afterwards; the archive streams through the sealing as it is made."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from upstander.lib import clock, crypto
from upstander.operations.archive import (
    FORMAT,
    VERSION,
    BackupError,
    backup_public_path,
    data_files,
    dump_database,
    key_entries,
)
from upstander.operations.models import Installation


@dataclass
class BackupSummary:
    path: str
    installation: str
    database: str
    key_files: int
    data_files: int
    bytes: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def backup_public_key() -> bytes:
    path = backup_public_path()
    if not path.is_file():
        raise BackupError(f"no backup key at {path}: run `upstander keys backup-keypair` once, and keep the secret it "
                          "prints offline (it is the only way to open a backup)")
    try:
        return crypto.unb64(path.read_text().strip())
    except ValueError:
        raise BackupError(f"{path} is not a backup public key") from None


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o600
    with open(path, "rb") as fh:
        tar.addfile(info, fh)


def _write_archive(tar: tarfile.TarFile, installation: Installation, db_copy: Path) -> tuple[int, int]:
    keys = [(e.name, e.path) for e in key_entries(demo=installation.demo)]
    present = [(n, p) for n, p in keys if p is None or p.is_file()]
    files = data_files()
    root = Path(settings.DATA_DIR)
    manifest = {"format": FORMAT, "version": VERSION, "installation": str(installation.public_id),
                "made_at": clock.now().isoformat(timespec="seconds"), "database": connection.vendor,
                "database_file": db_copy.name, "demo": installation.demo,
                "key_files": sorted(n for n, _ in present), "data_files": len(files)}
    _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
    _add_file(tar, f"database/{db_copy.name}", db_copy)
    for name, path in present:
        if path is None:  # the secret key given in UPSTANDER_SECRET_KEY
            _add_bytes(tar, "keys/secret-key", str(settings.SECRET_KEY).encode())
        else:
            _add_file(tar, f"keys/{name}", path)
    for path in files:
        _add_file(tar, "data/" + path.relative_to(root).as_posix(), path)
    return len(present), len(files)


def make_backup(out: Path) -> BackupSummary:
    """Write the encrypted archive to `out` (refusing to overwrite a file). The caller has checked the installation."""
    out = Path(out).resolve()
    if out.exists():
        raise BackupError(f"{out} exists already; choose a new name (backups are never overwritten)")
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} does not exist")
    public = backup_public_key()
    installation = Installation.objects.get()
    staging = Path(tempfile.mkdtemp(prefix=".backup-", dir=settings.DATA_DIR))  # mode 0700
    partial = out.with_name(f".{out.name}.partial")
    try:
        db_copy = dump_database(staging)
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            sealed = crypto.SealedStreamWriter(public, raw)
            with tarfile.open(fileobj=sealed, mode="w|gz") as tar:
                n_keys, n_files = _write_archive(tar, installation, db_copy)
            sealed.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        partial.unlink(missing_ok=True)
    return BackupSummary(path=str(out), installation=str(installation.public_id), database=connection.vendor,
                         key_files=n_keys, data_files=n_files, bytes=out.stat().st_size)
