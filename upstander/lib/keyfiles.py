"""Key files in the data dir: created on first use in the embedded default, provided by path in production."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def keys_dir(data_dir: Path) -> Path:
    path = Path(data_dir) / "keys"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write atomically with mode 0600, so an interrupted run never leaves a half-written key."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_or_create(path: Path, make) -> bytes:
    if path.exists():
        return path.read_bytes()
    data = make()
    write_private(path, data)
    return data


def embedded_secret_key(data_dir: Path) -> str:
    path = keys_dir(data_dir) / "django-secret"
    return read_or_create(path, lambda: secrets.token_urlsafe(64).encode()).decode()
