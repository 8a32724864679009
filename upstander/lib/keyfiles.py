"""Key files in the data dir: created on first use in the embedded default, provided by path in production.

Every write goes to a temporary file with a name of its own and is then moved into place, so an interrupted run
never leaves a half-written key. Creating a key that does not exist yet is a hard link of that temporary file to
the final name, which fails if the name exists: when two processes start together on a fresh data dir, the first
one's key wins and the other reads it, so both end with the same keys (a check-then-write would let each keep its
own).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def keys_dir(data_dir: Path) -> Path:
    path = Path(data_dir) / "keys"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _temporary_copy(path: Path, data: bytes) -> Path:
    """`data` in a new file (mode 0600, flushed to disk) beside `path`, under a name no other process uses."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_private(path: Path, data: bytes) -> None:
    """Write (or replace) atomically with mode 0600."""
    os.replace(_temporary_copy(path, data), path)


def create_once(path: Path, data: bytes) -> bytes:
    """Create `path` holding `data` unless it exists; return what the file holds afterwards (ours, or the bytes a
    concurrent creator got there first with)."""
    tmp = _temporary_copy(path, data)
    try:
        os.link(tmp, path)
        return data
    except FileExistsError:
        return path.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)


def read_or_create(path: Path, make) -> bytes:
    if path.exists():
        return path.read_bytes()
    return create_once(path, make())


def secret_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys" / "django-secret"


def existing_secret_key(data_dir: Path) -> str | None:
    """The embedded default's secret key if it was made already. Reading never creates anything: a command that
    finds no installation must leave an empty directory empty (operations/setup.py)."""
    path = secret_key_path(data_dir)
    return path.read_text().strip() if path.exists() else None


def new_secret_key() -> str:
    return secrets.token_urlsafe(64)


def embedded_secret_key(data_dir: Path, proposed: str) -> str:
    """Keep `proposed` as the data dir's secret key unless one is there already; return the one kept."""
    return create_once(keys_dir(data_dir) / "django-secret", proposed.encode()).decode().strip()
