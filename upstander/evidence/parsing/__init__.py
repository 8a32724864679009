"""Read a chat export (WhatsApp, Slack, Teams) from a file, a zip or a folder into one common shape.

    from upstander.evidence.parsing import read_path, read_bytes
    chat = read_path(Path("WhatsApp Chat with Team.zip"))      # ParsedChat: format, messages, unreadable, notes

Raises ParseError (naming the file, and the line where there is one) for an empty file, a file that is not a chat
export, or a broken one. Pure Python: no Django, so the command and the benchmark can use it on their own."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

from upstander.evidence.parsing import slack, teams, whatsapp
from upstander.evidence.parsing.bundle import Bundle, decode, from_bytes, from_path
from upstander.evidence.parsing.common import ChatMessage, Kind, ParsedChat, ParseError, UnreadableLine

__all__ = ["ChatMessage", "Kind", "ParseError", "ParsedChat", "UnreadableLine", "read_bundle", "read_bytes",
           "read_path", "DATE_ORDERS"]

DATE_ORDERS = (whatsapp.DAY_FIRST, whatsapp.MONTH_FIRST)
WHAT_WE_READ = ("a WhatsApp chat export (.txt or .zip), a Slack workspace export (zip or folder with users.json "
                "and channel folders) or Teams chat messages from the Graph API (.json)")


def read_path(path: Path, *, order: str | None = None) -> ParsedChat:
    return read_bundle(from_path(path), order=order)


def read_bytes(name: str, data: bytes, *, order: str | None = None) -> ParsedChat:
    return read_bundle(from_bytes(name, data), order=order)


_JSON_START = re.compile(r"^\s*(\{|\[\s*[\[{\]\"])")


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def _single(bundle: Bundle, order: str | None) -> ParsedChat:
    data = bundle.read(bundle.name)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ParseError(bundle.name, "the file is empty")
    if _looks_binary(data):
        raise ParseError(bundle.name, f"this is not a text file, so it is not a chat export; expected {WHAT_WE_READ}")
    text = decode(data, bundle.name)
    if _JSON_START.match(text):  # "[12/03/2021, …" is an iOS WhatsApp header, not JSON
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError(bundle.name, f"it is not valid JSON ({exc.msg})", line=exc.lineno) from exc
        if teams.looks_like_teams(parsed):
            return teams.parse(bundle, [bundle.name])
        raise ParseError(bundle.name, "this JSON is not Teams chat messages (a list of chatMessage objects, or a "
                                      "page with a `value` list); a Slack export must be given whole, as a zip or folder")
    return whatsapp.parse_text(text, bundle.name, order=order)


def _whatsapp_file(bundle: Bundle) -> str | None:
    texts = [n for n in bundle.names() if n.lower().endswith(".txt")]
    for name in texts:
        if PurePosixPath(name).name == "_chat.txt" or PurePosixPath(name).name.lower().startswith("whatsapp chat"):
            return name
    return texts[0] if len(texts) == 1 else None


def _teams_files(bundle: Bundle) -> list[str]:
    found = []
    for name in bundle.names():
        if name.lower().endswith(".json"):
            try:
                data = json.loads(decode(bundle.read(name), bundle.label(name)))
            except json.JSONDecodeError as exc:
                raise ParseError(bundle.label(name), f"it is not valid JSON ({exc.msg})", line=exc.lineno) from exc
            if teams.looks_like_teams(data):
                found.append(name)
    return found


def read_bundle(bundle: Bundle, *, order: str | None = None) -> ParsedChat:
    if order is not None and order not in DATE_ORDERS:
        raise ValueError(f"date order must be one of {DATE_ORDERS}")
    if bundle.is_single:
        return _single(bundle, order)
    if not bundle.names():
        raise ParseError(bundle.name, "it is empty")
    if slack.is_slack(bundle):
        return slack.parse(bundle)
    chat_file = _whatsapp_file(bundle)
    if chat_file is not None:
        text = decode(bundle.read(chat_file), bundle.label(chat_file))
        return whatsapp.parse_text(text, bundle.label(chat_file), order=order)
    names = _teams_files(bundle)
    if names:
        return teams.parse(bundle, names)
    raise ParseError(bundle.name, f"nothing in it is a chat export; expected {WHAT_WE_READ}")
