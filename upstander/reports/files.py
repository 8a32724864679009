"""What a reporter may upload, recognised by its content (never by the name or type the browser sends), and the
copy with metadata removed that handlers see. The original is kept, encrypted, as evidence.

- Images (JPEG, PNG, GIF, WebP): re-encoded with Pillow, dropping EXIF (GPS, camera serials), ICC profiles and text
  chunks; the orientation is applied first so the picture still looks right. Re-encoded images are the only files
  ever shown inline.
- PDF: pages copied into a new document without the information dictionary or XMP metadata.
- Word, Excel and PowerPoint (OOXML): docProps/ (author, company, editing time) removed from the zip, with the
  references to it; sizes and compression ratios are checked first, so a zip bomb is refused.
- Plain text: kept as it is. HTML, SVG and anything not recognised are accepted but only ever served as downloads.
  Audio, video and other files whose hidden details we cannot remove are accepted with a warning to the reporter.
- Programs, scripts and archives are refused with a message saying what to do instead.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from upstander.reports.choices import FileKind

MAX_FILES_PER_REPORT = 10
MAX_IMAGE_PIXELS = 40_000_000
MAX_PDF_PAGES = 2000
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100

CANNOT_CLEAN_NOTE = ("We could not remove hidden details (such as where or when it was made, or by which device) "
                     "from this file. The case team will see it as it is.")

_PROGRAM_EXTENSIONS = {
    "exe", "com", "bat", "cmd", "msi", "scr", "ps1", "vbs", "vbe", "js", "jse", "wsf", "hta", "jar", "apk", "app",
    "dmg", "sh", "bash", "py", "pl", "dll", "so", "lnk", "reg", "cpl", "msc",
}
_ARCHIVE_EXTENSIONS = {"zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "zst", "cab", "iso"}
_OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
_OFFICE_METADATA_PREFIXES = ("docProps/", "docMetadata/")


class FileRefused(Exception):
    """The file cannot be accepted; `str(exc)` is the message for the reporter."""


@dataclass
class CheckedFile:
    name: str
    kind: str
    content_type: str
    original: bytes
    clean: bytes
    inline_safe: bool
    metadata_removed: bool
    note: str = ""

    @property
    def size(self) -> int:
        return len(self.original)


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def display_name(raw: str) -> str:
    """The file's own name, reduced to something safe to show: no path, no control characters, not too long."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C").strip()
    return (name or "file")[:120]


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check(raw_name: str, data: bytes) -> CheckedFile:
    name = display_name(raw_name)
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise FileRefused(f"“{name}” is larger than {human_size(limit)}. Send a smaller file, or split it.")
    if not data:
        raise FileRefused(f"“{name}” is empty.")
    ext = _extension(name)
    head = data[:16]
    if ext in _PROGRAM_EXTENSIONS or head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe",
                                                      b"\xca\xfe\xba\xbe")):
        raise FileRefused(f"“{name}” looks like a program or script, which we cannot accept. If it is evidence, "
                          "describe it in your report and the case team will ask for it safely.")
    if head.startswith(b"PK\x03\x04"):
        return _office(name, data)
    if ext in _ARCHIVE_EXTENSIONS or head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh",
                                                      b"\xfd7zXZ", b"MSCF")):
        raise FileRefused(f"“{name}” is an archive. Please take the files out of it and add them one by one.")
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
            head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return _image(name, data)
    if head.startswith(b"%PDF-"):
        return _pdf(name, data)
    text = _as_text(data)
    if text is not None:
        lowered = text[:4096].lower()
        if "<svg" in lowered:
            return _as_is(name, data, FileKind.UNSAFE, "image/svg+xml", note="")
        if any(marker in lowered for marker in ("<html", "<!doctype html", "<script", "<body", "<iframe")):
            return _as_is(name, data, FileKind.UNSAFE, "text/html", note="")
        return _as_is(name, data, FileKind.TEXT, "text/plain; charset=utf-8", note="", removed=True)
    if _is_media(head):
        return _as_is(name, data, FileKind.AUDIO_VIDEO, "application/octet-stream", note=CANNOT_CLEAN_NOTE)
    return _as_is(name, data, FileKind.OTHER, "application/octet-stream", note=CANNOT_CLEAN_NOTE)


def _as_is(name: str, data: bytes, kind: str, content_type: str, *, note: str, removed: bool = False) -> CheckedFile:
    return CheckedFile(name=name, kind=kind, content_type=content_type, original=data, clean=data, inline_safe=False,
                       metadata_removed=removed, note=note)


def _as_text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    sample = text[:4096]
    printable = sum(1 for ch in sample if ch.isprintable() or ch in "\r\n\t")
    return text if sample and printable / len(sample) > 0.95 else None


def _is_media(head: bytes) -> bool:
    return (head.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3", b"OggS", b"\x1a\x45\xdf\xa3", b"fLaC"))
            or head[4:8] == b"ftyp" or (head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI ")))


def _image(name: str, data: bytes) -> CheckedFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format
                if img.width * img.height > MAX_IMAGE_PIXELS:
                    raise FileRefused(f"“{name}” is a picture too large to process. Send a smaller version.")
                img.load()
                upright = ImageOps.exif_transpose(img)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise FileRefused(f"We could not read the picture “{name}”. It may be damaged; try saving it again.") from exc
    out = io.BytesIO()
    if fmt == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=92)  # no exif=, icc_profile=: both dropped
        content_type = "image/jpeg"
    else:
        if upright.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            upright = upright.convert("RGBA")
        upright.save(out, format="PNG")  # no pnginfo=: text chunks dropped; GIF/WebP: the first frame
        content_type = "image/png"
    return CheckedFile(name=name, kind=FileKind.IMAGE, content_type=content_type, original=data, clean=out.getvalue(),
                       inline_safe=True, metadata_removed=True)


def _pdf(name: str, data: bytes) -> CheckedFile:
    refused = f"We could not read the PDF “{name}”. It may be damaged or protected by a password; try saving it again."
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRefused(f"“{name}” is protected by a password. Please send a copy without the password.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise FileRefused(f"“{name}” has more than {MAX_PDF_PAGES} pages. Please send the parts that matter.")
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            if "/Metadata" in added:
                del added["/Metadata"]
        writer.metadata = None  # no information dictionary (author, creator, producer, dates)
        out = io.BytesIO()
        writer.write(out)
    except FileRefused:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise FileRefused(refused) from exc
    return CheckedFile(name=name, kind=FileKind.PDF, content_type="application/pdf", original=data,
                       clean=out.getvalue(), inline_safe=False, metadata_removed=True)


def _office(name: str, data: bytes) -> CheckedFile:
    bomb = f"“{name}” expands to far more than its size when opened, so we cannot accept it safely."
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileRefused(bomb)
            total = 0
            for info in infos:
                total += info.file_size
                if total > MAX_ZIP_UNCOMPRESSED or (
                        info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)):
                    raise FileRefused(bomb)
                if info.filename.startswith("/") or ".." in info.filename.split("/"):
                    raise FileRefused(f"We could not read “{name}”. It may be damaged.")
            names = {i.filename for i in infos}
            kind = next((v for prefix, v in _OFFICE_TYPES.items() if any(n.startswith(prefix) for n in names)), None)
            if "[Content_Types].xml" not in names or kind is None:
                raise FileRefused(f"“{name}” is an archive. Please take the files out of it and add them one by one.")
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as clean:
                for info in infos:
                    if info.filename.startswith(_OFFICE_METADATA_PREFIXES):
                        continue
                    body = zf.read(info.filename)  # reads at most the declared size, checked above
                    if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                        body = _drop_metadata_references(body)
                    clean.writestr(_plain_info(info.filename), body)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise FileRefused(f"We could not read “{name}”. It may be damaged; try saving it again.") from exc
    return CheckedFile(name=name, kind=FileKind.OFFICE, content_type=kind[0], original=data, clean=out.getvalue(),
                       inline_safe=False, metadata_removed=True)


_METADATA_REFERENCE = re.compile(
    rb"<(?:Override|Relationship)\b[^>]*?(?:PartName|Target)=\"/?(?:docProps|docMetadata)/[^\"]*\"[^>]*?/>")


def _drop_metadata_references(xml: bytes) -> bytes:
    return _METADATA_REFERENCE.sub(b"", xml)


def _plain_info(filename: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date: the original's editing times are metadata too."""
    info = zipfile.ZipInfo(filename, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
