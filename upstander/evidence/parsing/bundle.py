"""One export as a set of named files, whether it came as a single file, a zip or a folder.

Zips are read member by member and never extracted to disk; a member is only read when a parser asks for it, and
one that would inflate past `MAX_MEMBER_BYTES` is refused (a zip bomb would otherwise fill the memory). Media
files inside an export are listed but never read."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from upstander.evidence.parsing.common import ParseError

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # a chat text or JSON file this large is not a real export
_SKIP = ("__MACOSX/", ".DS_Store")


@dataclass
class Bundle:
    name: str  # what the investigator gave us (file or folder name)
    _files: dict[str, Path | None] = field(default_factory=dict)  # relative name -> path on disk (None: in the zip)
    _zip: zipfile.ZipFile | None = None
    _single: bytes | None = None

    def names(self) -> list[str]:
        return sorted(self._files) if self._single is None else [self.name]

    def read(self, name: str) -> bytes:
        if self._single is not None:
            return self._single
        if name not in self._files:
            raise ParseError(self.name, f"it has no file {name}")
        path = self._files[name]
        if path is not None:
            return path.read_bytes()
        assert self._zip is not None
        info = self._zip.getinfo(name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise ParseError(f"{self.name}/{name}", "this file is too large to be a chat export")
        try:
            return self._zip.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:  # damaged, or encrypted members
            raise ParseError(f"{self.name}/{name}", f"it cannot be read from the zip ({exc})") from exc

    def label(self, name: str) -> str:
        """How a file inside the export is named in messages."""
        return self.name if self._single is not None else f"{self.name}/{name}"

    @property
    def is_single(self) -> bool:
        return self._single is not None


def _zip_bundle(name: str, data: bytes) -> Bundle:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(name, "it looks like a zip file but is damaged or incomplete") from exc
    files: dict[str, Path | None] = {m: None for m in members if not any(s in m for s in _SKIP)}
    return Bundle(name=name, _files=files, _zip=archive)


def from_bytes(name: str, data: bytes) -> Bundle:
    """An uploaded file: a zip (WhatsApp with media, Slack, several Teams files) or one text or JSON file."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _zip_bundle(name, data)
    return Bundle(name=name, _single=data)


def from_path(path: Path) -> Bundle:
    if not path.exists():
        raise ParseError(str(path), "there is no such file or folder")
    if path.is_dir():
        files: dict[str, Path | None] = {}
        for child in sorted(path.rglob("*")):
            relative = str(PurePosixPath(*child.relative_to(path).parts))
            if child.is_file() and not any(s in relative for s in _SKIP):
                files[relative] = child
        return Bundle(name=path.name, _files=files)
    size = path.stat().st_size
    if size > MAX_MEMBER_BYTES and not zipfile.is_zipfile(path):
        raise ParseError(path.name, "this file is too large to be a chat export")
    return from_bytes(path.name, path.read_bytes())


def decode(data: bytes, label: str) -> str:
    """Text as the export wrote it: UTF-8 (with or without a byte-order mark), or UTF-16 with one. Anything else is
    decoded with replacement characters and the caller counts the lines that have them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ParseError(label, "it says it is UTF-16 text but is not") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", errors="replace")
