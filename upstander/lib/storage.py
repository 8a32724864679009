"""The encrypted file store: nothing is ever stored in the clear, wherever the bytes live.

Two places to keep them, chosen by `settings.FILE_STORE` (UPSTANDER_FILE_STORE), behind one interface:

- `database`: a table of encrypted chunks (reports.StoredChunk) in the installation's own database, so every app
  host behind a load balancer sees every file and the database's backups hold them. The default on PostgreSQL.
- `directory`: files under DATA_DIR/store/ on this host's disk. The default for the embedded SQLite installation,
  where there is one host anyway.

Names are random (uuid4 hex) and checked against a strict pattern before any query or filesystem call, so no name
can climb out of the store. A blob is a sequence of chunks of at most CHUNK bytes, each encrypted
(XChaCha20-Poly1305, lib/crypto) with the blob's name, the chunk's index and whether it is the last one bound as
associated data: chunks cannot be reordered, swapped between blobs or truncated without decryption failing. Both
backends keep the same sealed chunks, so a blob can move from one to the other without its key.

Both stream: a blob is written and read one chunk at a time, never held whole by the store.

Crash safety: a name is reserved in the database (PendingBlob) before its bytes are written, and a blob becomes
visible only when the row naming it (an Attachment) commits.
- directory: a blob is written to a `.part` file and renamed into pending/ only when complete; it is renamed into
  files/ only after the row naming it has committed.
- database: a blob's chunks are inserted in one transaction, so a crash leaves all of them or none; there is no
  promotion step, since readers reach a blob only through the committed row that names it.
The sweeper (reports/sweeper.py) finishes or removes whatever a crash left, from `inventory()`.
No time of day is kept about an upload: file times are set to the day (local midnight) and chunk rows have no time
column. Which key a blob is encrypted under is the reports core's choice (reports/attachments.py); this module only
keeps bytes.
"""

from __future__ import annotations

import os
import re
import struct
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from upstander.lib import clock, crypto

CHUNK = 1024 * 1024
BACKENDS = ("database", "directory")
_MAGIC = b"UPB1"
_NAME = re.compile(r"^[0-9a-f]{32}$")
Sealed = Iterator[tuple[int, bool, bytes]]  # (index, last, sealed chunk), in order


class StoreError(Exception):
    pass


def new_name() -> str:
    return uuid.uuid4().hex


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise StoreError("not a store name")
    return name


# --- chunk framing and encryption (the same for both backends) --------------------------------------------------


def _context(name: str, index: int, last: bool) -> bytes:
    return b"upstander-blob:" + name.encode() + b":" + str(index).encode() + (b":last" if last else b":more")


def _pieces(data: bytes | Iterable[bytes]) -> Iterator[bytes]:
    """The plaintext in pieces of exactly CHUNK bytes (the last may be shorter; an empty blob is one empty piece),
    from bytes (sliced, not copied whole) or from any iterable of byte strings (re-cut as they come)."""
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, max(len(view), 1), CHUNK):
            yield bytes(view[start:start + CHUNK])
        return
    buffer = bytearray()
    for part in data:
        buffer += part
        while len(buffer) >= CHUNK:
            with memoryview(buffer) as view:
                piece = bytes(view[:CHUNK])
            del buffer[:CHUNK]
            yield piece
    yield bytes(buffer)


def seal_chunks(name: str, key: bytes, data: bytes | Iterable[bytes]) -> Sealed:
    """(index, last, sealed chunk) for each piece of `data`, one piece ahead so the last is known when sealed. A
    trailing empty piece after a full one is dropped, unless the blob is empty."""
    pending: bytes | None = None
    index = 0
    for piece in _pieces(data):
        if pending is not None and piece:
            yield index, False, crypto.encrypt(key, pending, context=_context(name, index, False))
            index += 1
            pending = piece
        elif pending is None:
            pending = piece
    yield index, True, crypto.encrypt(key, pending or b"", context=_context(name, index, True))


def open_chunk(name: str, key: bytes, index: int, last: bool, sealed: bytes) -> bytes:
    try:
        return crypto.decrypt(key, bytes(sealed), context=_context(name, index, last))
    except crypto.CryptoError as exc:
        raise StoreError("blob does not decrypt") from exc


# --- the interface ----------------------------------------------------------------------------------------------


@dataclass
class Inventory:
    """What a store holds, for the sweeper. `pending`: complete blobs that may not be named by a committed row yet;
    `partial`: blobs whose writing never finished; `final`: blobs promoted after their row committed."""

    pending: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    final: list[str] = field(default_factory=list)


class BlobStore(Protocol):
    def put(self, name: str, sealed: Iterable[tuple[int, bool, bytes]]) -> None: ...

    def promote(self, name: str) -> bool: ...

    def exists(self, name: str) -> bool: ...

    def sealed_chunks(self, name: str) -> Sealed: ...

    def delete(self, name: str) -> None: ...

    def delete_partial(self, name: str) -> None: ...

    def inventory(self) -> Inventory: ...


# --- directory backend ------------------------------------------------------------------------------------------


def store_dir() -> Path:
    return (Path(settings.DATA_DIR) / "store").resolve()


def _blur_times(*paths: Path) -> None:
    """File times say the day (local midnight), not when a reporter uploaded."""
    day = clock.start_of_day(clock.today()).timestamp()
    for path in paths:
        try:
            os.utime(path, (day, day))
        except OSError:
            pass


class DirectoryStore:
    """pending/<name> for blobs whose row is not committed yet, files/<name> for blobs an attachment row names."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or store_dir()

    def _dir(self, which: str) -> Path:
        path = self.root / which
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return path

    def pending_dir(self) -> Path:
        return self._dir("pending")

    def files_dir(self) -> Path:
        return self._dir("files")

    def _path(self, directory: Path, name: str) -> Path:
        check_name(name)
        path = (directory / name).resolve()
        if path.parent != directory.resolve():
            raise StoreError("path escapes the store")
        return path

    def put(self, name: str, sealed: Iterable[tuple[int, bool, bytes]]) -> None:
        directory = self.pending_dir()
        final = self._path(directory, name)
        part = final.with_name(name + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC)
                for _, _, chunk in sealed:
                    fh.write(struct.pack(">I", len(chunk)))
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, final)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        _blur_times(final, directory)

    def promote(self, name: str) -> bool:
        source = self._path(self.pending_dir(), name)
        target = self._path(self.files_dir(), name)
        if not source.exists():
            return False
        os.replace(source, target)
        _blur_times(target, self.files_dir(), self.pending_dir())
        return True

    def locate(self, name: str) -> Path:
        """Where a blob is: files/, or still pending/ (before its row commits, or a crash came before the rename)."""
        for directory in (self.files_dir(), self.pending_dir()):
            path = self._path(directory, name)
            if path.exists():
                return path
        raise StoreError("blob missing")

    def exists(self, name: str) -> bool:
        try:
            self.locate(name)
        except StoreError:
            check_name(name)
            return False
        return True

    def sealed_chunks(self, name: str) -> Sealed:
        fh = open(self.locate(name), "rb")  # opened now: a missing blob fails before anything is streamed
        return self._frames(fh)

    @staticmethod
    def _frames(fh) -> Sealed:
        with fh:
            if fh.read(len(_MAGIC)) != _MAGIC:
                raise StoreError("not an Upstander blob")
            index = 0
            while True:
                header = fh.read(4)
                if len(header) != 4:
                    raise StoreError("blob truncated")
                (length,) = struct.unpack(">I", header)
                sealed = fh.read(length)
                last = not fh.peek(1)
                yield index, last, sealed
                if last:
                    return
                index += 1

    def delete(self, name: str) -> None:
        for directory in (self.pending_dir(), self.files_dir()):
            self._path(directory, name).unlink(missing_ok=True)

    def delete_partial(self, name: str) -> None:
        check_name(name)
        (self.pending_dir() / (name + ".part")).unlink(missing_ok=True)

    def inventory(self) -> Inventory:
        pending = self.pending_dir().iterdir()
        partial, names = [], []
        for path in pending:
            if path.name.endswith(".part") and _NAME.match(path.name.removesuffix(".part")):
                partial.append(path.name.removesuffix(".part"))
            elif _NAME.match(path.name):
                names.append(path.name)
        final = [p.name for p in self.files_dir().iterdir() if _NAME.match(p.name)]
        return Inventory(pending=names, partial=partial, final=final)


# --- database backend -------------------------------------------------------------------------------------------


class DatabaseStore:
    """Chunk rows in reports.StoredChunk (found through the app registry: lib does not import the apps). One
    transaction per blob, one row per chunk, one query per chunk read: no cursor is held while a response streams,
    and no row is bigger than a chunk.

    On PostgreSQL the chunks travel in binary through a plain psycopg cursor on Django's own connection (so inside
    the same transaction): Django's cursors bind parameters on the client, which turns each 1 MiB chunk into 2 MiB
    of hex text both ways and cost three to four times the throughput (docs/benchmarks.md, "Stateless hosts")."""

    @staticmethod
    def _model():
        return apps.get_model("reports", "StoredChunk")

    def _sql(self) -> dict[str, str]:
        meta, quote = self._model()._meta, connection.ops.quote_name
        table = quote(meta.db_table)
        name, index, last, ciphertext = (quote(meta.get_field(f).column)
                                         for f in ("blob_name", "index", "last", "ciphertext"))
        return {  # identifiers from the model, values always as parameters
            "insert": f"INSERT INTO {table} ({name}, {index}, {last}, {ciphertext}) VALUES (%s, %s, %s, %b)",  # noqa: S608
            "select": f"SELECT {last}, {ciphertext} FROM {table} WHERE {name} = %s AND {index} = %s",  # noqa: S608
        }

    @staticmethod
    def _binary_cursor() -> psycopg.Cursor | None:
        if connection.vendor != "postgresql":
            return None
        connection.ensure_connection()
        return psycopg.Cursor(connection.connection)

    def put(self, name: str, sealed: Iterable[tuple[int, bool, bytes]]) -> None:
        check_name(name)
        model = self._model()
        with transaction.atomic():
            if model.objects.filter(blob_name=name).exists():
                raise StoreError("name already stored")
            cursor = self._binary_cursor()
            if cursor is None:
                for index, last, chunk in sealed:
                    model.objects.create(blob_name=name, index=index, last=last, ciphertext=chunk)
                return
            with cursor:
                insert = self._sql()["insert"]
                for index, last, chunk in sealed:
                    cursor.execute(insert, (name, index, last, chunk))

    def promote(self, name: str) -> bool:
        check_name(name)  # nothing to move: the committed row naming the blob is what makes it visible
        return False

    def exists(self, name: str) -> bool:
        return self._model().objects.filter(blob_name=check_name(name), last=True).exists()

    def _chunk(self, name: str, index: int) -> tuple[bool, bytes] | None:
        cursor = self._binary_cursor()
        if cursor is None:
            row = self._model().objects.filter(blob_name=name, index=index).values_list("last", "ciphertext").first()
        else:
            with cursor:
                row = cursor.execute(self._sql()["select"], (name, index), binary=True).fetchone()
        return None if row is None else (bool(row[0]), bytes(row[1]))

    def sealed_chunks(self, name: str) -> Sealed:
        first = self._chunk(check_name(name), 0)  # fetched now: a missing blob fails before anything is streamed
        if first is None:
            raise StoreError("blob missing")
        return self._rows(name, first)

    def _rows(self, name: str, first: tuple[bool, bytes]) -> Sealed:
        index, row = 0, first
        while True:
            yield index, row[0], row[1]
            if row[0]:
                return
            index += 1
            nxt = self._chunk(name, index)
            if nxt is None:
                raise StoreError("blob truncated")
            row = nxt

    def delete(self, name: str) -> None:
        self._model().objects.filter(blob_name=check_name(name)).delete()

    def delete_partial(self, name: str) -> None:
        self.delete(name)  # never needed: a blob's chunks commit together

    def inventory(self) -> Inventory:
        names = self._model().objects.order_by().values_list("blob_name", flat=True).distinct()
        return Inventory(pending=list(names))


# --- the configured store, and what callers use ------------------------------------------------------------------


def store(kind: str | None = None) -> BlobStore:
    kind = kind or settings.FILE_STORE
    if kind == "database":
        return DatabaseStore()
    if kind == "directory":
        return DirectoryStore()
    raise StoreError(f"unknown file store {kind!r}")


def write_pending(name: str, key: bytes, data: bytes | Iterable[bytes]) -> None:
    """Encrypt `data` chunk by chunk into the store, not yet promoted. The plaintext is never stored."""
    store().put(name, seal_chunks(name, key, data))


def promote(name: str) -> bool:
    """After the row naming the blob has committed. Idempotent; True if something moved."""
    return store().promote(name)


def exists(name: str) -> bool:
    return store().exists(name)


def read_chunks(name: str, key: bytes) -> Iterator[bytes]:
    """The blob's plaintext, one chunk at a time. A missing blob raises StoreError here, before anything streams;
    a damaged one raises it while streaming."""
    sealed = store().sealed_chunks(name)

    def opened() -> Iterator[bytes]:
        for index, last, chunk in sealed:
            yield open_chunk(name, key, index, last, chunk)

    return opened()


def read(name: str, key: bytes) -> bytes:
    return b"".join(read_chunks(name, key))


def copy(name: str, source: BlobStore, target: BlobStore) -> None:
    """Copy a blob's sealed chunks from one store to another, chunk by chunk, without its key (moving an
    installation's files into the database). The copy is not promoted; promote it if its row has committed."""
    target.put(name, source.sealed_chunks(name))


def adopt_directory_files() -> int:
    """With the database store configured, move whatever blobs an earlier directory store left on this host's disk
    into the database (copied sealed, committed, then removed from the disk): an installation that kept its files
    in DATA_DIR/store/ before moving to the database store loses none. Returns how many moved; 0 (creating nothing)
    where there is no store/ folder."""
    if settings.FILE_STORE != "database" or not store_dir().is_dir():
        return 0
    directory, database = DirectoryStore(), DatabaseStore()
    held, moved = directory.inventory(), 0
    for name in held.pending + held.final:
        if not database.exists(name):
            try:
                copy(name, directory, database)
            except StoreError:
                continue  # not a readable blob (damaged, or not ours): left where it is for a person to look at
        directory.delete(name)
        moved += 1
    return moved


def delete(name: str) -> None:
    store().delete(name)


def delete_partial(name: str) -> None:
    store().delete_partial(name)


def inventory() -> Inventory:
    return store().inventory()
