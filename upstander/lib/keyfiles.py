"""Key files in the data dir: created on first use in the embedded default, provided by path in production.

Creation is atomic across processes: the bytes go to a temporary file with a unique name, and the final name is made
with link(), which fails if the name exists. Two processes starting together on a fresh data dir therefore end with
the one key the first of them linked, never a mixture (issue 11: check-then-create with a fixed `.tmp` name could
leave two processes holding different keys)."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path


class KeyFolderMissing(Exception):
    """The folder a key file should be in does not exist; the message names it."""


def keys_dir(data_dir: Path) -> Path:
    path = Path(data_dir) / "keys"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _temp_beside(path: Path, data: bytes) -> str:
    if not path.parent.is_dir():
        raise KeyFolderMissing(f"the folder {path.parent} for the key file {path.name} does not exist; create it "
                               "(readable by the service account only, mode 0700) or point the variable elsewhere")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600, unique name
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_private(path: Path, data: bytes) -> None:
    """Write (or replace) a file with mode 0600 atomically, so an interrupted run never leaves a half-written one."""
    path = Path(path)
    tmp = _temp_beside(path, data)
    os.replace(tmp, path)


def create_exclusive(path: Path, data: bytes) -> bytes:
    """Create `path` holding `data` unless it exists; return what the file holds afterwards. Atomic: the file
    appears complete or not at all, and when several processes race, exactly one of them creates it and every one
    of them returns its bytes."""
    path = Path(path)
    tmp = _temp_beside(path, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return path.read_bytes()
    finally:
        os.unlink(tmp)
    return data


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    path = Path(path)
    if path.exists():
        return path.read_bytes()
    return create_exclusive(path, make())


def secret_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / "keys" / "django-secret"


def existing_secret_key(data_dir: Path) -> str | None:
    """The embedded default's secret key if it was made already. Reading never creates anything: a command that
    finds no installation must leave an empty directory empty."""
    path = secret_key_path(data_dir)
    return path.read_text().strip() if path.exists() else None


def new_secret_key() -> str:
    return secrets.token_urlsafe(64)


def embedded_secret_key(data_dir: Path, proposed: str) -> str:
    """Keep `proposed` as the data dir's secret key unless one is there already; return the one kept."""
    return create_exclusive(keys_dir(data_dir) / "django-secret", proposed.encode()).decode().strip()
