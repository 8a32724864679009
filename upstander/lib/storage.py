"""Encrypted file store under DATA_DIR/store/: nothing is ever written there in the clear.

Layout: `pending/<name>` for blobs whose database row is not committed yet, `files/<name>` for blobs an attachment
row names. Names are random (uuid4 hex) and checked against a strict pattern and the store's real path before any
filesystem call, so no name can climb out of the store.

A blob is a sequence of chunks, each encrypted (XChaCha20-Poly1305, lib/crypto) with the blob's name, the chunk's
index and whether it is the last one bound as associated data: chunks cannot be reordered, swapped between blobs or
truncated without decryption failing.

Crash safety: a name is reserved in the database (PendingBlob) before its bytes are written; a blob is written to a
`.part` file and renamed into pending/ only when complete; it is renamed into files/ only after the row naming it
has committed. The sweeper (reports/sweeper.py) finishes or removes whatever a crash left.
File times are set to the day (local midnight), so the store does not keep when a reporter uploaded to the second.
Which key a blob is encrypted under is the reports core's choice (reports/attachments.py); this module only keeps
bytes.
"""

from __future__ import annotations

import os
import re
import struct
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from upstander.lib import clock, crypto

CHUNK = 1024 * 1024
_MAGIC = b"UPB1"
_NAME = re.compile(r"^[0-9a-f]{32}$")


class StoreError(Exception):
    pass


def new_name() -> str:
    return uuid.uuid4().hex


def store_dir() -> Path:
    return (Path(settings.DATA_DIR) / "store").resolve()


def _dir(which: str) -> Path:
    path = store_dir() / which
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def pending_dir() -> Path:
    return _dir("pending")


def files_dir() -> Path:
    return _dir("files")


def _path(directory: Path, name: str) -> Path:
    if not _NAME.match(name or ""):
        raise StoreError("not a store name")
    path = (directory / name).resolve()
    if path.parent != directory.resolve():
        raise StoreError("path escapes the store")
    return path


def _day_timestamp() -> float:
    return clock.start_of_day(clock.today()).timestamp()


def _blur_times(*paths: Path) -> None:
    day = _day_timestamp()
    for path in paths:
        try:
            os.utime(path, (day, day))
        except OSError:
            pass


def _context(name: str, index: int, last: bool) -> bytes:
    return b"upstander-blob:" + name.encode() + b":" + str(index).encode() + (b":last" if last else b":more")


def write_pending(name: str, key: bytes, data: bytes) -> None:
    """Encrypt `data` chunk by chunk into pending/<name>. The plaintext never reaches the disk."""
    directory = pending_dir()
    final = _path(directory, name)
    part = final.with_name(name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC)
            count = max(1, -(-len(data) // CHUNK))
            for index in range(count):
                chunk = data[index * CHUNK:(index + 1) * CHUNK]
                sealed = crypto.encrypt(key, chunk, context=_context(name, index, index == count - 1))
                fh.write(struct.pack(">I", len(sealed)))
                fh.write(sealed)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, final)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _blur_times(final, directory)


def promote(name: str) -> None:
    """pending/<name> -> files/<name>, after the row naming it has committed. Idempotent."""
    source = _path(pending_dir(), name)
    target = _path(files_dir(), name)
    if source.exists():
        os.replace(source, target)
        _blur_times(target, files_dir(), pending_dir())


def locate(name: str) -> Path:
    """Where a committed blob is: files/, or still pending/ if a crash came between commit and rename."""
    final = _path(files_dir(), name)
    if final.exists():
        return final
    pending = _path(pending_dir(), name)
    if pending.exists():
        return pending
    raise StoreError("blob missing")


def read_chunks(name: str, key: bytes, *, path: Path | None = None) -> Iterator[bytes]:
    path = path or locate(name)
    with open(path, "rb") as fh:
        if fh.read(len(_MAGIC)) != _MAGIC:
            raise StoreError("not an Upstander blob")
        index = 0
        while True:
            header = fh.read(4)
            if not header:
                raise StoreError("blob truncated")
            (length,) = struct.unpack(">I", header)
            sealed = fh.read(length)
            nxt = fh.peek(1) if hasattr(fh, "peek") else b""
            last = not nxt
            try:
                yield crypto.decrypt(key, sealed, context=_context(name, index, last))
            except crypto.CryptoError as exc:
                raise StoreError("blob does not decrypt") from exc
            if last:
                return
            index += 1


def read(name: str, key: bytes, *, path: Path | None = None) -> bytes:
    return b"".join(read_chunks(name, key, path=path))


def delete(name: str) -> None:
    for directory in (pending_dir(), files_dir()):
        _path(directory, name).unlink(missing_ok=True)


def list_names(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if _NAME.match(p.name)]


def list_parts(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(".part")]
