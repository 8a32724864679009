"""What every chat parser returns, and the errors it raises.

A parser never guesses silently: a line it cannot read is counted and kept (`UnreadableLine`), a file it cannot read
at all raises `ParseError` naming the file (and the line, where there is one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class Kind:
    MESSAGE = "message"  # something a person wrote
    MEDIA = "media"  # a person sent a photo, file, sticker… (the export has a placeholder, not the file's words)
    DELETED = "deleted"  # a person's message that was deleted before the export
    SYSTEM = "system"  # joins, leaves, subject changes, encryption notices, bots: nobody wrote it

    PEOPLE = (MESSAGE, MEDIA, DELETED)
    ALL = (MESSAGE, MEDIA, DELETED, SYSTEM)


@dataclass(slots=True)
class ChatMessage:
    sender: str  # as the export writes it; "" for a system line with no sender
    at: str  # ISO 8601, as the export's own clock shows it (no time-zone conversion)
    when: datetime  # parsed: naive for WhatsApp (the phone's local time), aware UTC for Slack and Teams
    text: str
    kind: str = Kind.MESSAGE
    edited: bool = False
    channel: str = ""  # Slack channel or Teams chat, where the export holds several
    line: int = 0  # where the message starts in its file (WhatsApp), 0 where the format has no lines
    written: str = ""  # the date and time exactly as written in the export

    def as_dict(self) -> dict:
        return {"sender": self.sender, "at": self.at, "text": self.text, "kind": self.kind, "edited": self.edited,
                "channel": self.channel, "line": self.line, "written": self.written}


@dataclass(slots=True)
class UnreadableLine:
    file: str
    line: int | None
    text: str
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "text": self.text, "reason": self.reason}


@dataclass
class ParsedChat:
    format: str  # whatsapp, slack, teams
    source: str  # the file or folder name it was read from
    messages: list[ChatMessage] = field(default_factory=list)
    unreadable: list[UnreadableLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was inferred, in words (e.g. which way dates were read)

    @property
    def people_messages(self) -> list[ChatMessage]:
        return [m for m in self.messages if m.kind in Kind.PEOPLE]

    def kind_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Kind.ALL, 0)
        for message in self.messages:
            counts[message.kind] += 1
        return counts


class ParseError(Exception):
    """The export cannot be read. The message names the file (and the line), in words an investigator can act on."""

    def __init__(self, file: str, problem: str, *, line: int | None = None):
        self.file, self.problem, self.line = file, problem, line
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {problem}")


def iso(moment: datetime) -> str:
    """ISO 8601 without pretending to more precision than the export has."""
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
