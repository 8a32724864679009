"""Microsoft Teams chat messages as the Graph API returns them (`chatMessage` resources): a JSON list, a page
(`{"value": [...]}`, as `GET /chats/{id}/messages` answers), one message, or several such files in a zip or folder.

- Sender: `from.user.displayName` (an app's `from.application.displayName` makes a system line).
- Time: `createdDateTime`, UTC; `at` keeps the string exactly as Graph wrote it.
- Body: HTML (or text) turned into plain text: block elements become line breaks, `<at>` mentions keep the name,
  emoji keep their character, attachments and hosted images are dropped (a message that is only those is media).
- `messageType` other than "message" (systemEventMessage, chatEvent, …) is a system line; `deletedDateTime` marks a
  deleted message; `lastEditedDateTime` an edited one. Channel replies nested under `replies` are read too.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import PurePosixPath

from upstander.evidence.parsing.bundle import Bundle, decode
from upstander.evidence.parsing.common import ChatMessage, Kind, ParsedChat, ParseError, UnreadableLine

FORMAT = "teams"
_BLOCK = {"div", "p", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table"}
_SKIP = {"attachment", "style", "script", "systemeventmessage"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.media = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            self.media += tag == "attachment"
        elif tag == "emoji":
            self.parts.append(dict(attrs).get("alt") or "")
        elif tag == "img":
            self.media += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, int]:
    """(plain text, number of attachments and images dropped)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\u00a0", " ")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{2,}", "\n", text).strip(), parser.media


def _is_message(item) -> bool:
    return isinstance(item, dict) and "createdDateTime" in item and ("body" in item or "messageType" in item)


def _nested(data, depth: int = 0) -> list:
    """Messages kept deeper, as some tools save them ({"chats": [{"messages": [...]}]}): every list of chatMessage
    objects found within a few levels."""
    if depth > 4:
        return []
    found = []
    for value in (data.values() if isinstance(data, dict) else data if isinstance(data, list) else []):
        if isinstance(value, list) and value and all(_is_message(v) for v in value[:20]):
            found.extend(value)
        elif isinstance(value, dict | list):
            found.extend(_nested(value, depth + 1))
    return found


def _messages_in(data, label: str) -> list:
    if isinstance(data, list) and (not data or not all(isinstance(v, dict) and not _is_message(v) for v in data[:20])):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("value"), list):
            return data["value"]
        if isinstance(data.get("messages"), list):
            return data["messages"]
        if "messageType" in data or "createdDateTime" in data:
            return [data]
    nested = _nested(data)
    if nested:
        return nested
    raise ParseError(label, "this JSON is not a list of Teams chat messages (no `value` list of chatMessage objects)")


def looks_like_teams(data) -> bool:
    try:
        items = _messages_in(data, "")
    except ParseError:
        return False
    return bool(items) and all(isinstance(i, dict) and "createdDateTime" in i for i in items[:20])


def _text(raw: dict) -> tuple[str, int]:
    body = raw.get("body") or {}
    content = body.get("content") or ""
    if (body.get("contentType") or "text").lower() == "html":
        return html_to_text(content)
    return unescape(content).strip(), 0


def _system_text(raw: dict, text: str) -> str:
    detail = raw.get("eventDetail") or {}
    kind = str(detail.get("@odata.type", "")).rsplit(".", 1)[-1].removesuffix("EventMessageDetail")
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()
    return text or words or str(raw.get("messageType") or "system event")


def message_from(raw: dict, chat_name: str) -> ChatMessage:
    written = raw["createdDateTime"]
    when = datetime.fromisoformat(written)
    if when.tzinfo is None:  # Graph writes UTC; a hand-made file may leave the zone off
        when = when.replace(tzinfo=UTC)
    who = raw.get("from") or {}
    user = who.get("user") or {}
    text, media = _text(raw)
    common = {"at": written, "when": when, "channel": chat_name, "written": written,
              "edited": bool(raw.get("lastEditedDateTime"))}
    if (raw.get("messageType") or "message") != "message" or not user:
        app = (who.get("application") or {}).get("displayName") or ""
        return ChatMessage(sender=app, text=_system_text(raw, text), kind=Kind.SYSTEM, **common)
    sender = user.get("displayName") or user.get("id") or ""
    if raw.get("deletedDateTime"):
        return ChatMessage(sender=sender, text=text, kind=Kind.DELETED, **common)
    kind = Kind.MEDIA if not text and (media or raw.get("attachments")) else Kind.MESSAGE
    return ChatMessage(sender=sender, text=text, kind=kind, **common)


def _flatten(items: list) -> list:
    out = []
    for item in items:
        out.append(item)
        if isinstance(item, dict) and isinstance(item.get("replies"), list):
            out.extend(item["replies"])
    return out


def read_file(bundle: Bundle, name: str, chat: ParsedChat) -> None:
    label = bundle.label(name)
    try:
        data = json.loads(decode(bundle.read(name), label))
    except json.JSONDecodeError as exc:
        raise ParseError(label, f"it is not valid JSON ({exc.msg})", line=exc.lineno) from exc
    chat_name = "" if bundle.is_single else str(PurePosixPath(name).with_suffix(""))
    for index, raw in enumerate(_flatten(_messages_in(data, label)), start=1):
        try:
            chat.messages.append(message_from(raw, (raw.get("chatId") or chat_name) if isinstance(raw, dict) else ""))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            text = json.dumps(raw)[:300] if isinstance(raw, dict) else str(raw)[:300]
            chat.unreadable.append(UnreadableLine(label, None, text, f"message {index} cannot be read "
                                                                      f"({type(exc).__name__}: {exc!s:.60})"))


def parse(bundle: Bundle, names: list[str]) -> ParsedChat:
    chat = ParsedChat(format=FORMAT, source=bundle.name)
    for name in names:
        read_file(bundle, name, chat)
    chat.messages.sort(key=lambda m: m.when)
    chat.notes.append(f"Teams: {len(names)} file{'s' if len(names) != 1 else ''} of chat messages")
    return chat
