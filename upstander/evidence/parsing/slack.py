"""A Slack workspace export (zip or folder): users.json, channels.json (and groups.json, dms.json, mpims.json), and
one folder per conversation of YYYY-MM-DD.json files, each a list of messages.

- Senders: the user id resolved through users.json (real name, then display name, then user name), else the
  profile the message carries, else the id itself (and a note says how many could not be resolved).
- `ts` (seconds since 1970, UTC) is the time; `at` is its ISO 8601 form in UTC, as Slack keeps it.
- Subtypes: joins, leaves, topic/purpose/name changes, pins, bot and app messages are system lines, kept apart from
  people's messages; file shares are media (their text, if any, is kept); tombstones are deleted messages.
- Message markup is turned into text: <@U123> -> @Name, <#C123|name> -> #name, <url|label> -> label, &amp; etc.
- A day file that is not a JSON list, or a message without a `ts`, is counted as unreadable with its file name.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import PurePosixPath

from upstander.evidence.parsing.bundle import Bundle, decode
from upstander.evidence.parsing.common import ChatMessage, Kind, ParsedChat, ParseError, UnreadableLine, iso

FORMAT = "slack"
CONVERSATION_LISTS = ("channels.json", "groups.json", "dms.json", "mpims.json")
_DAY = re.compile(r"^(?:.*/)?([^/]+)/(\d{4}-\d{2}-\d{2})\.json$")
SYSTEM_SUBTYPES = {
    "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "channel_archive",
    "channel_unarchive", "group_join", "group_leave", "group_topic", "group_purpose", "group_name", "group_archive",
    "group_unarchive", "pinned_item", "unpinned_item", "bot_message", "bot_add", "bot_remove", "app_conversation_leave",
    "channel_convert_to_private", "channel_convert_to_public", "reminder_add", "slackbot_response", "sh_room_created",
    "huddle_thread", "bot_enable", "bot_disable", "channel_canvas_updated",
}
MEDIA_SUBTYPES = {"file_share", "file_comment", "file_mention"}
DELETED_SUBTYPES = {"tombstone", "message_deleted"}


def is_slack(bundle: Bundle) -> bool:
    names = {PurePosixPath(n).name for n in bundle.names()}
    return "users.json" in names and bool(names & set(CONVERSATION_LISTS)) or (
        "users.json" in names and any(_DAY.match(n) for n in bundle.names()))


def _json(bundle: Bundle, name: str):
    try:
        return json.loads(decode(bundle.read(name), bundle.label(name)))
    except json.JSONDecodeError as exc:
        raise ParseError(bundle.label(name), f"it is not valid JSON ({exc.msg})", line=exc.lineno) from exc


def _find(bundle: Bundle, filename: str) -> str | None:
    matches = [n for n in bundle.names() if PurePosixPath(n).name == filename]
    return min(matches, key=len) if matches else None


def user_names(bundle: Bundle) -> dict[str, str]:
    path = _find(bundle, "users.json")
    users = _json(bundle, path) if path else []
    if not isinstance(users, list):
        raise ParseError(bundle.label(path or "users.json"), "users.json should be a list of users")
    names = {}
    for user in users:
        if isinstance(user, dict) and user.get("id"):
            profile = user.get("profile") or {}
            names[user["id"]] = (profile.get("real_name") or user.get("real_name") or profile.get("display_name")
                                 or user.get("name") or user["id"])
    return names


def conversation_names(bundle: Bundle) -> dict[str, str]:
    """Folder name -> conversation name (channels by name; DMs and group DMs by id)."""
    names: dict[str, str] = {}
    for listing in CONVERSATION_LISTS:
        path = _find(bundle, listing)
        entries = _json(bundle, path) if path else []
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                folder = entry.get("name") or entry.get("id")
                if folder:
                    names[str(folder)] = str(entry.get("name") or entry.get("id"))
    return names


_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def plain_text(text: str, users: dict[str, str]) -> str:
    text = _MENTION.sub(lambda m: "@" + (users.get(m[1]) or m[2] or m[1]), text)
    text = _CHANNEL.sub(lambda m: "#" + m[1], text)
    text = _LINK.sub(lambda m: m[2] or ("@" + m[1][1:] if m[1].startswith("!") else m[1]), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _sender(raw: dict, users: dict[str, str]) -> str:
    if raw.get("user") and raw["user"] in users:
        return users[raw["user"]]
    profile = raw.get("user_profile") or {}
    return (profile.get("real_name") or profile.get("display_name") or raw.get("username")
            or (raw.get("bot_profile") or {}).get("name") or raw.get("user") or raw.get("bot_id") or "")


def _kind(raw: dict) -> str:
    subtype = raw.get("subtype") or ""
    if subtype in DELETED_SUBTYPES:
        return Kind.DELETED
    if subtype in SYSTEM_SUBTYPES or subtype.startswith(("channel_", "group_")) or (raw.get("bot_id") and not raw.get("user")):
        return Kind.SYSTEM
    if subtype in MEDIA_SUBTYPES or (raw.get("files") and not (raw.get("text") or "").strip()):
        return Kind.MEDIA
    return Kind.MESSAGE


def message_from(raw: dict, users: dict[str, str], channel: str) -> ChatMessage:
    when = datetime.fromtimestamp(float(raw["ts"]), tz=UTC)
    kind = _kind(raw)
    return ChatMessage(sender="" if kind == Kind.SYSTEM and raw.get("subtype") != "bot_message" else _sender(raw, users),
                       at=iso(when), when=when, text=plain_text(raw.get("text") or "", users), kind=kind,
                       edited=bool(raw.get("edited")), channel=channel, written=str(raw["ts"]))


def _day_file(bundle: Bundle, name: str, users: dict[str, str], channel: str, chat: ParsedChat) -> None:
    try:
        day = _json(bundle, name)
    except ParseError as exc:
        chat.unreadable.append(UnreadableLine(bundle.label(name), exc.line, "", exc.problem))
        return
    if not isinstance(day, list):
        chat.unreadable.append(UnreadableLine(bundle.label(name), None, "", "a day file should be a list of messages"))
        return
    for index, raw in enumerate(day):
        try:
            chat.messages.append(message_from(raw, users, channel))
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            chat.unreadable.append(UnreadableLine(bundle.label(name), None, json.dumps(raw)[:300] if isinstance(
                raw, dict) else str(raw)[:300], f"message {index + 1} has no readable time (ts): {exc!s:.60}"))


def parse(bundle: Bundle) -> ParsedChat:
    users = user_names(bundle)
    channels = conversation_names(bundle)
    chat = ParsedChat(format=FORMAT, source=bundle.name)
    days = sorted((m[1], m[2], n) for n in bundle.names() if (m := _DAY.match(n)))
    if not days:
        raise ParseError(bundle.name, "this Slack export has no conversation folders of YYYY-MM-DD.json files")
    for folder, _, name in days:
        _day_file(bundle, name, users, channels.get(folder, folder), chat)
    unresolved = {m.sender for m in chat.messages if m.sender and m.sender.startswith(("U", "W"))
                  and m.sender.isalnum() and m.sender.isupper()}
    chat.notes.append(f"Slack: {len({folder for folder, _, _ in days})} conversations, "
                      f"{len(users)} users")
    if unresolved:
        chat.notes.append(f"{len(unresolved)} sender ids are not in users.json and are shown as ids")
    chat.messages.sort(key=lambda m: (m.when, m.channel))
    return chat
