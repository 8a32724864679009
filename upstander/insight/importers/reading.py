"""Read export files as they are, or refuse them naming the file and line — never a row of their data.

Every CSV file is read by DuckDB in strict mode with every column as text, storing the rows it cannot read (a short
row, an extra field, an unterminated quote, bytes that are not UTF-8) in its rejects table instead of stopping; any
reject refuses the whole import with the file, the physical line and what is wrong with it. The message quotes no
data: a broken row in a misconduct export holds officers' names and complainants' words.

Encodings: UTF-8 (with or without a byte-order mark) is read directly; UTF-16 is recognised by its byte-order mark;
anything else (Latin-1, Windows cp1252, UTF-16 without a mark) must be named by the mapping (`encoding = "cp1252"`)
and is transcoded to UTF-8 in a temporary file first, keeping its lines. Bytes that are not valid UTF-8 are refused
naming the encoding problem, never replaced ('Am�rindien' as a group label).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import gzip
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import duckdb
import polars as pl

from upstander.insight.errors import DatasetError

UTF8 = "utf-8"
BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
READ_DIRECTLY = {"utf-8", "utf-8-sig"}
BLOCK = 1 << 20
PROBLEMS = {
    "MISSING COLUMNS": "the row has {found} fields where {names} {expected} (a short row)",
    "TOO MANY COLUMNS": "the row has {found} fields where {names} {expected} (an extra field, or a delimiter "
                        "inside a value that is not quoted)",
    "UNQUOTED VALUE": "a quoted value is not closed (an unterminated quote), or a quote stands inside a value that "
                      "is not quoted",
    "INVALID ENCODING": "the bytes are not valid UTF-8",
    "LINE SIZE OVER MAXIMUM": "a line is longer than DuckDB reads (2 MB; often an unterminated quote)",
}
WRONG_ENCODING_HINT = ("if the file was written in another encoding, name it in the mapping's table section: "
                       "encoding = \"cp1252\" (Windows), \"latin-1\" or \"utf-16\"")


class CsvError(DatasetError):
    """A file cannot be read as it stands; the message names the file and line and quotes none of its data."""


@dataclasses.dataclass(frozen=True)
class FileInfo:
    file: str
    rows: int
    encoding: str

    def as_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def expand(directory: Path, patterns: tuple[str, ...]) -> list[Path]:
    """The files a table's `file` names, in order: each a name or a glob pattern relative to `directory`."""
    found: list[Path] = []
    for pattern in patterns:
        if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            raise CsvError(f"{pattern}: file names in a mapping are relative to the export folder")
        matches = sorted(p for p in directory.glob(pattern) if p.is_file()) if any(c in pattern for c in "*?[") \
            else [directory / pattern] if (directory / pattern).is_file() else []
        if not matches:
            raise CsvError(f"{directory / pattern}: no such file in the export folder")
        found.extend(m for m in matches if m not in found)
    return found


def _open(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def detect_encoding(path: Path, declared: str | None) -> str:
    """The file's encoding: as declared, or by its byte-order mark, else UTF-8. A UTF-16 file without a mark (NUL
    bytes between the characters) is refused with what to declare."""
    try:
        with _open(path) as handle:
            head = handle.read(4096)
    except (OSError, EOFError) as exc:
        raise CsvError(f"{path.name}: cannot be read ({type(exc).__name__}: a damaged or unreadable file)") from None
    marked = next((name for bom, name in BOMS if head.startswith(bom)), None)
    if declared is not None:
        if marked in ("utf-16", "utf-32") and not declared.startswith(marked):
            raise CsvError(f"{path.name}: the mapping says encoding = {declared!r} but the file starts with a "
                           f"{marked.upper()} byte-order mark; remove the encoding line or say {marked!r}")
        return declared
    if marked:
        return marked
    if head.count(b"\x00") > len(head) // 4:
        raise CsvError(f"{path.name}: looks like UTF-16 without a byte-order mark; name it in the mapping's table "
                       "section: encoding = \"utf-16-le\" (or \"utf-16-be\")")
    return UTF8


def _lines_before(path: Path, offset: int) -> int:
    """Newlines in the (decompressed) file before byte `offset`: the physical line of that byte, less one."""
    count, read = 0, 0
    with _open(path) as handle:
        while read < offset:
            block = handle.read(min(BLOCK, offset - read))
            if not block:
                break
            count += block.count(b"\n")
            read += len(block)
    return count


def transcode(path: Path, encoding: str, work: Path) -> Path:
    """The file as UTF-8 in `work`, line for line; a byte sequence the encoding does not have is refused naming
    the line."""
    target = work / f"{path.name}.utf-8.csv"
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with _open(path) as source, target.open("w", encoding=UTF8, newline="") as out:
        for block in iter(lambda: source.read(BLOCK), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                before = codecs.decode(block[:exc.start], encoding, errors="ignore")
                raise CsvError(f"{path.name}, line {line + before.count(chr(10)):,}: these bytes are not "
                               f"{encoding} text; {WRONG_ENCODING_HINT}") from None
            line += text.count("\n")
            out.write(text)
        try:
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise CsvError(f"{path.name}: the file ends in the middle of a {encoding} character") from None
    return target


def _decoded_lines(raw: IO[bytes], name: str) -> Iterator[str]:
    """The file's lines as text, each checked as UTF-8 on its own so a bad byte is placed on its line."""
    for number, line in enumerate(raw, start=1):
        try:
            yield line.decode("utf-8-sig" if number == 1 else UTF8)
        except UnicodeDecodeError:
            raise CsvError(f"{name}, line {number:,}: the bytes are not valid UTF-8; {WRONG_ENCODING_HINT}") from None


def read_header(path: Path, delimiter: str, quote: str) -> list[str]:
    """The first record's field names (trimmed), from a UTF-8 file (with or without a byte-order mark)."""
    with _open(path) as raw:
        try:
            first = next(csv.reader(_decoded_lines(raw, path.name), delimiter=delimiter, quotechar=quote or None,
                                    quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE), None)
        except csv.Error:
            raise CsvError(f"{path.name}, line 1: the header cannot be read as CSV") from None
    if not first:
        raise CsvError(f"{path.name}: the file is empty (no header line)")
    return [name.strip() for name in first]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scan(path: Path, names: list[str], header: bool, delimiter: str, quote: str,
          keep: list[str]) -> tuple[pl.DataFrame, list]:
    """The `keep` columns as trimmed text (empty as null) and the rejects (line byte position, error type, message)
    of DuckDB's strict reader. Trimming in the scan keeps one copy of the data in memory, not two."""
    # Column names come from the file's header: each is a quoted identifier with its quotes doubled, and every
    # other value is a bound parameter.
    selected = ", ".join(f"NULLIF(TRIM({_quoted(c)}), '') AS {_quoted(c)}" for c in keep)
    con = duckdb.connect()
    try:
        frame = con.sql(
            f"SELECT {selected} FROM read_csv($path, columns = $columns, header = $header, delim = $delim, "  # noqa: S608
            "quote = $quote, escape = $quote, auto_detect = false, strict_mode = true, null_padding = false, "
            "store_rejects = true, parallel = true)",
            params={"path": str(path), "columns": dict.fromkeys(names, "VARCHAR"), "header": header,
                    "delim": delimiter, "quote": quote}).pl()
        rejects = con.sql("SELECT line_byte_position, error_type, error_message FROM reject_errors "
                          "ORDER BY line_byte_position").fetchall()
    except duckdb.Error as exc:
        # DuckDB's own messages may quote the line they stopped on: only the kind of error is passed on.
        raise CsvError(f"{path.name}: cannot be read as CSV ({type(exc).__name__})") from None
    finally:
        con.close()
    return frame, rejects


def _problem(error_type: str, message: str, header: bool) -> str:
    numbers = re.findall(r"\d+", message or "")
    expected, found = (numbers + ["?", "?"])[:2]
    text = PROBLEMS.get(str(error_type), str(error_type).lower())
    names = "the header names" if header else "the mapping's `names` lists"
    return text.format(expected=expected, found=found, names=names)


def _refusal(shown: Path, scanned: Path, rejects: list, header: bool) -> CsvError:
    lines = [_lines_before(scanned, int(position)) + 1 for position, _, _ in rejects[:5]]
    position, error_type, message = rejects[0]
    text = f"{shown.name}, line {lines[0]:,}: {_problem(error_type, message, header)}"
    if error_type == "INVALID ENCODING":
        text += f"; {WRONG_ENCODING_HINT}"
    if len(rejects) > 1:
        more = ", ".join(f"{n:,}" for n in lines[1:])
        text += f". {len(rejects) - 1:,} more rows cannot be read (lines {more}{', …' if len(rejects) > 5 else ''})"
    return CsvError(text + ". No row of the file is shown here; fix the file (or the mapping) and import again.")


def read_file(path: Path, *, delimiter: str = ",", quote: str = '"', encoding: str | None = None,
              names: tuple[str, ...] = (), keep: list[str] | None = None) -> tuple[pl.DataFrame, FileInfo]:
    """One CSV file (plain or .gz) as a frame of text columns (trimmed; empty is null), or a CsvError. With `names`,
    the file has no header and these name its positions; with `keep`, only those columns are kept (each must be
    there)."""
    chosen = detect_encoding(path, encoding)
    with tempfile.TemporaryDirectory(prefix="upstander-import-") as folder:
        work = Path(folder)
        scanned = path if chosen in READ_DIRECTLY else transcode(path, chosen, work)
        header = not names
        columns = read_header(scanned, delimiter, quote) if header else list(names)
        duplicated = sorted({c for c in columns if columns.count(c) > 1})
        if duplicated:
            raise CsvError(f"{path.name}: the header names {', '.join(map(repr, duplicated))} more than once")
        missing = [c for c in keep or [] if c not in columns]
        if missing:
            raise CsvError(f"{path.name}: no column {', '.join(map(repr, missing))} (the file has: "
                           f"{', '.join(columns)})")
        frame, rejects = _scan(scanned, columns, header, delimiter, quote, keep or columns)
        if rejects:
            raise _refusal(path, scanned, rejects, header)
    return frame, FileInfo(file=path.name, rows=frame.height, encoding=chosen)
