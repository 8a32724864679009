"""`upstander evidence review PATH [--json] [--case CODE] [--day-first|--month-first]`: read one chat export (a
file, a zip or a folder), classify every message, and print what was flagged. With --case it also attaches the
export to that case as evidence (as the system actor system:evidence), exactly as the case page does.

With --json, stdout gets exactly one JSON document (also on failure: {"ok": false, "error": ...}); progress goes to
stderr."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path

import click

from upstander.cli import ensure_ready, setup_django


@click.group()
def evidence() -> None:
    """Chat exports (WhatsApp, Slack, Teams) as evidence: read, classify, attach to a case."""


def _fail(message: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    else:
        click.echo(f"upstander evidence: {message}", err=True)
    sys.exit(1)


def folder_as_zip(folder: Path) -> bytes:
    """A folder export (Slack) kept as one file: a zip with its files in name order and fixed times, so the same
    folder always gives the same bytes and the same SHA-256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _document(chat, verdicts, summary) -> dict:
    from upstander.evidence.review import model_version  # noqa: PLC0415 - Django is set up by the command first

    return {**summary.as_dict(), "source": chat.source, "notes": chat.notes, "kinds": chat.kind_counts(),
            "unreadable": [u.as_dict() for u in chat.unreadable], "model": model_version()}


def _attach(path: Path, code: str, order: str | None, bar):
    from upstander.audit.log import Actor  # noqa: PLC0415
    from upstander.cases.models import Case  # noqa: PLC0415
    from upstander.evidence.actions import do_attach_export  # noqa: PLC0415

    case = Case.objects.filter(code=code).first()
    if case is None:
        raise LookupError(f"there is no case {code}")
    data = folder_as_zip(path) if path.is_dir() else path.read_bytes()
    name = f"{path.name}.zip" if path.is_dir() else path.name
    return do_attach_export(actor=Actor.system("evidence"), case=case, name=name, data=data, order=order,
                            progress=bar.update)


def _human(document: dict) -> None:
    click.echo(f"{document['source']}: {document['format']}, {document['messages']} messages, "
               f"{document['unreadable_lines']} unreadable lines, {len(document['flags'])} flagged")
    for note in document["notes"]:
        click.echo(f"  {note}")
    for sender, counts in document["senders"].items():
        if counts:
            click.echo(f"  {sender}: " + ", ".join(f"{c} {n}" for c, n in counts.items()))
    for line in document["unreadable"]:
        click.echo(f"  unreadable: {line['file']}" + (f", line {line['line']}" if line["line"] else "")
                   + f": {line['reason']}")


@evidence.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Write one JSON document to stdout.")
@click.option("--case", "case_code", default="", help="Also attach the export to this case as evidence.")
@click.option("--day-first", "order", flag_value="day-first", default=None,
              help="WhatsApp: read dates as day/month (otherwise worked out from the file).")
@click.option("--month-first", "order", flag_value="month-first", help="WhatsApp: read dates as month/day.")
def review(path: Path, as_json: bool, case_code: str, order: str | None) -> None:
    """Read a chat export, classify every message, and list the flags by sender."""
    from tqdm import tqdm  # noqa: PLC0415

    if case_code:
        ensure_ready()
    else:
        setup_django()
    from django.core.exceptions import PermissionDenied  # noqa: PLC0415

    from upstander.evidence.parsing import ParseError, read_path  # noqa: PLC0415
    from upstander.evidence.review import classify, summarise  # noqa: PLC0415

    try:
        with tqdm(desc="classifying", unit=" messages", file=sys.stderr, disable=None) as bar:
            if case_code:
                attached = _attach(path, case_code, order, bar)
                chat, verdicts = attached.chat, attached.verdicts
            else:
                chat = read_path(path, order=order)
                bar.total = len(chat.messages)
                workers = min(2, os.cpu_count() or 1) if len(chat.messages) > 20_000 else 1
                verdicts = classify(chat.messages, progress=bar.update, workers=workers)
    except (ParseError, LookupError, PermissionDenied, OSError) as exc:
        _fail(str(exc), as_json)
        return
    document = _document(chat, verdicts, summarise(chat, verdicts))
    if case_code:
        document.update({"case": case_code, "sha256": attached.export.sha256})
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False))
    else:
        _human(document)
