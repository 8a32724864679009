"""Write chat exports from a list of messages, the way each app writes them: for the parser tests, for measuring the
classifier on chats instead of single posts (bench/evidence_measure.py), and for the speed benchmark.

These writers are independent of the parsers (they follow the apps' own formats, not the parsing code), so a test
that renders messages and parses them back checks that every message is found and none is invented."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

LRM = "\u200e"
NNBSP = "\u202f"


@dataclass
class Line:
    sender: str  # "" for a system line
    when: datetime  # naive: the phone's clock (WhatsApp); taken as UTC by the Slack and Teams writers
    text: str
    kind: str = "message"  # message, media, deleted, system
    edited: bool = False


@dataclass
class WhatsAppStyle:
    ios: bool = False
    day_first: bool = True
    twelve_hour: bool = False
    ampm: str = "AM"  # how "AM" is spelt: AM, am, a.m., a. m.
    space: str = " "  # before AM/PM: a space, or NNBSP as newer phones write
    four_digit_year: bool = True
    separator: str = "/"
    crlf: bool = False
    seconds: bool | None = None  # iOS writes seconds, Android does not (None: as the platform does)
    extra: dict = field(default_factory=dict)


def _ampm(hour: int, spelling: str) -> str:
    pm = hour >= 12
    if spelling.lower().startswith("a") and "." in spelling:
        word = spelling.replace("a", "p").replace("A", "P") if pm else spelling
    else:
        word = ("PM" if pm else "AM") if spelling.isupper() else ("pm" if pm else "am")
    return word


def whatsapp_stamp(when: datetime, style: WhatsAppStyle) -> str:
    year = f"{when.year:04d}" if style.four_digit_year else f"{when.year % 100:02d}"
    first, second = (when.day, when.month) if style.day_first else (when.month, when.day)
    pad = "02d" if style.day_first else "d"  # UK phones pad (05/03/2021), US ones do not (3/5/21)
    date = f"{first:{pad}}{style.separator}{second:{pad}}{style.separator}{year}"
    seconds = style.ios if style.seconds is None else style.seconds
    if style.twelve_hour:
        hour = when.hour % 12 or 12
        clock = f"{hour}:{when.minute:02d}" + (f":{when.second:02d}" if seconds else "")
        clock += style.space + _ampm(when.hour, style.ampm)
    else:
        clock = f"{when.hour:02d}:{when.minute:02d}" + (f":{when.second:02d}" if seconds else "")
    return f"{date}, {clock}"


def _whatsapp_body(line: Line, style: WhatsAppStyle) -> str:
    if line.kind == "media":
        placeholder = f"{LRM}image omitted" if style.ios else "<Media omitted>"
        return placeholder + (f"\n{line.text}" if line.text else "")
    if line.kind == "deleted":
        return f"{LRM}This message was deleted." if style.ios else "This message was deleted"
    text = line.text
    if line.edited:
        text += f" {LRM}<This message was edited>" if style.ios else " <This message was edited>"
    return text


def whatsapp(lines: list[Line], style: WhatsAppStyle | None = None, *, group: str = "Team") -> bytes:
    style = style or WhatsAppStyle()
    out = []
    for line in lines:
        stamp = whatsapp_stamp(line.when, style)
        if line.kind == "system":
            out.append(f"{LRM}[{stamp}] {group}: {LRM}{line.text}" if style.ios else f"{stamp} - {line.text}")
            continue
        body = _whatsapp_body(line, style)
        mark = LRM if style.ios and line.kind in ("media", "deleted") else ""
        out.append(f"{mark}[{stamp}] {line.sender}: {body}" if style.ios else f"{stamp} - {line.sender}: {body}")
    text = "\n".join(out) + "\n"
    return (text.replace("\n", "\r\n") if style.crlf else text).encode("utf-8")


def whatsapp_zip(lines: list[Line], style: WhatsAppStyle | None = None, *, media: bool = True) -> bytes:
    style = style or WhatsAppStyle()
    name = "_chat.txt" if style.ios else "WhatsApp Chat with Team.txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, whatsapp(lines, style))
        if media:
            archive.writestr("IMG-20210312-WA0001.jpg", b"\xff\xd8\xff\xe0 not really a photo")
    return buffer.getvalue()


# --- Slack -------------------------------------------------------------------------------------------------------


def _slack_ids(lines: list[Line]) -> dict[str, str]:
    senders = sorted({line.sender for line in lines if line.sender})
    return {name: f"U{index + 1:08d}" for index, name in enumerate(senders)}


def slack_files(lines: list[Line], *, channel: str = "general") -> dict[str, bytes]:
    ids = _slack_ids(lines)
    users = [{"id": uid, "name": name.lower().replace(" ", "."), "real_name": name,
              "profile": {"real_name": name, "display_name": name.split()[0] if name.split() else name}}
             for name, uid in ids.items()]
    days: dict[str, list[dict]] = {}
    for line in lines:
        moment = line.when if line.when.tzinfo else line.when.replace(tzinfo=UTC)
        ts = f"{moment.timestamp():.6f}"
        # Slack escapes &, < and > in what people type (its own markup uses < and >).
        text = line.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        raw: dict = {"type": "message", "ts": ts, "text": text}
        if line.kind == "system":
            raw.update({"subtype": "channel_join", "user": ids.get(line.sender, "U99999999"),
                        "text": f"<@{ids.get(line.sender, 'U99999999')}> has joined the channel"})
        else:
            raw["user"] = ids[line.sender]
        if line.kind == "media":
            raw.update({"subtype": "file_share", "files": [{"id": "F1", "name": "photo.jpg"}]})
        if line.kind == "deleted":
            raw.update({"subtype": "tombstone", "text": "This message was deleted."})
        if line.edited:
            raw["edited"] = {"user": raw["user"], "ts": ts}
        days.setdefault(moment.strftime("%Y-%m-%d"), []).append(raw)
    files = {"users.json": json.dumps(users).encode(),
             "channels.json": json.dumps([{"id": "C00000001", "name": channel, "members": list(ids.values())}]).encode()}
    for day, messages in days.items():
        files[f"{channel}/{day}.json"] = json.dumps(messages, ensure_ascii=False, indent=1).encode()
    return files


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- Teams -------------------------------------------------------------------------------------------------------


def _html(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(f"<p>{part}</p>" for part in escaped.split("\n"))


def teams_message(index: int, line: Line) -> dict:
    moment = line.when if line.when.tzinfo else line.when.replace(tzinfo=UTC)
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    raw: dict = {"id": str(1600000000000 + index), "messageType": "message", "createdDateTime": stamp,
                 "lastModifiedDateTime": stamp, "lastEditedDateTime": stamp if line.edited else None,
                 "deletedDateTime": None, "chatId": "19:team@thread.v2", "attachments": [], "mentions": [],
                 "reactions": [], "body": {"contentType": "html", "content": _html(line.text)},
                 "from": {"application": None, "device": None,
                          "user": {"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": f"id-{line.sender}",
                                   "displayName": line.sender, "userIdentityType": "aadUser"}}}
    if line.kind == "system":
        raw.update({"messageType": "systemEventMessage", "from": None,
                    "body": {"contentType": "html", "content": "<systemEventMessage/>"},
                    "eventDetail": {"@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"}})
    elif line.kind == "media":
        raw["attachments"] = [{"id": "a1", "contentType": "reference", "name": "photo.jpg"}]
        raw["body"]["content"] = '<attachment id="a1"></attachment>' + (_html(line.text) if line.text else "")
    elif line.kind == "deleted":
        raw.update({"deletedDateTime": stamp, "body": {"contentType": "html", "content": ""}})
    return raw


def teams(lines: list[Line], *, page: bool = True) -> bytes:
    """Newest first, as Graph lists a chat's messages."""
    messages = [teams_message(i, line) for i, line in enumerate(lines)][::-1]
    payload = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Ateam')/messages",
               "@odata.count": len(messages), "value": messages} if page else messages
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()
