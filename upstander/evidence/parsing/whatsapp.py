"""WhatsApp "Export chat" text, as Android and iOS phones write it in any locale that uses digits.

    Android  31/12/2020, 23:59 - Dave Smith: text           12/31/20, 11:59 PM - +44 7700 900123: text
    iOS      [31/12/2020, 23:59:59] Dave Smith: text        ‎[12/31/20, 11:59:59 PM] Dave Smith: ‎image omitted

- Day-first or month-first is decided once per file: a first number over 12 proves day-first, a second number over
  12 month-first; a file with neither is read whichever way keeps the messages in time order (day-first, as UK
  phones write, when both do). The caller can override it. Four-digit years first (2020-12-31) are read as such.
- 12- or 24-hour clocks, seconds or not, and AM/PM written any way (AM, am, a.m., a. m.), after a space, a
  no-break space or the narrow no-break space (U+202F) that newer phones write.
- The left-to-right mark (U+200E) iOS puts at the start of lines and before placeholders, bidi marks around phone
  numbers, a byte-order mark, CRLF line ends.
- A line that does not start with a header continues the message above (multi-line messages). A line that starts
  with a date but not a whole header does too, and so does a whole header with no sender and no system notice
  after it ("31/12/2020, 23:59 - that was the night").
- Senders may be phone numbers, contain emoji, or contain ": " (see split_sender for how the file shows which).
- System notices (joins, leaves, subject changes, encryption notices) have no sender; media placeholders and
  deleted messages keep their sender; the edited marker is removed from the text and kept as a flag.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from upstander.evidence.parsing.common import ChatMessage, Kind, ParsedChat, ParseError, UnreadableLine, iso

FORMAT = "whatsapp"

_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_SPACE = r"[ \u00a0\u202f\u2009]"
_DATE = r"(?P<date>\d{1,4}[./-]\d{1,2}[./-]\d{1,4})"
_TIME = r"(?P<time>\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)"
_AMPM = rf"(?:{_SPACE}*(?P<ampm>[AaPp]\.?{_SPACE}?[Mm]\.?))?"
_IOS = re.compile(rf"^\[{_DATE},?{_SPACE}+{_TIME}{_AMPM}\]{_SPACE}?(?P<rest>.*)$")
_ANDROID = re.compile(rf"^{_DATE},?{_SPACE}+{_TIME}{_AMPM}{_SPACE}[-\u2013]{_SPACE}(?P<rest>.*)$")
_SPLIT = re.compile(r"[./-]")
MAX_SENDER = 100

# A system notice either starts with fixed words, or names its actor (without a colon) and then does something.
_SYSTEM_START = re.compile("|".join([
    r"messages (and calls )?(to this group )?are (now )?(end-to-end encrypted|secured with end-to-end encryption)",
    r"(your )?security code (with .+ )?changed", r"this (chat|group) (is|was|has) ",
    r"you (created|added|removed|left|joined|changed|deleted|turned|pinned|were|are|'re|now) ",
    r"(missed (voice|video|group) call|voice call|video call|disappearing messages)",
    r"(waiting for this message|tap to )", r"you're now an admin",
]), re.IGNORECASE)
_SYSTEM_DOING = re.compile(
    r" (created group|created this group|added |removed |joined using|joined from|changed the subject|changed this "
    r"group|changed the group|changed their phone|changed to |deleted this group|deleted the group|turned (on|off) |"
    r"pinned a message|unpinned a message|reset this group|started a (video |voice )?call|updated the|set this group|"
    r"made this group|was added|was removed|is a contact|now an admin|changed the settings|requested to join)",
    re.IGNORECASE)
_MEDIA = re.compile("|".join([
    r"^<media omitted>$", r"^<[^<>]{1,40} omitted>$",
    r"^(image|video|audio|sticker|gif|document|contact card|photo|voice message|view once \w+) omitted$",
    r"<attached: [^>]+>$", r"^.+ \(file attached\)$", r"^location: https?://\S+$", r"^live location shared$",
    r"^null$",
]), re.IGNORECASE)
_DELETED = re.compile(r"^(this message was deleted|you deleted this message|this message was deleted by .+)\.?$",
                      re.IGNORECASE)
_EDITED = re.compile(rf"{_SPACE}*[{_MARKS}]?<this message was edited>$", re.IGNORECASE)
_DAMAGED = "\ufffd"


@dataclass
class _Header:
    line: int
    date: tuple[str, str, str]
    time: str
    ampm: str
    rest: str
    written: str
    when: datetime | None = None


def _match(line: str) -> tuple[re.Match | None, str]:
    bare = line.lstrip(_MARKS)
    found = _IOS.match(bare)
    if found:
        return found, "ios"
    return _ANDROID.match(bare), "android"


# --- dates -------------------------------------------------------------------------------------------------------

DAY_FIRST, MONTH_FIRST, YEAR_FIRST = "day-first", "month-first", "year-first"


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) <= 2 else value


def _ymd(parts: tuple[str, str, str], order: str) -> tuple[int, int, int]:
    a, b, c = parts
    if len(a) == 4:
        return int(a), int(b), int(c)
    if order == MONTH_FIRST:
        return _year(c), int(a), int(b)
    return _year(c), int(b), int(a)


def _clock(time: str, ampm: str) -> tuple[int, int, int]:
    pieces = [int(p) for p in re.split(r"[:.]", time)]
    hour, minute, second = pieces[0], pieces[1], pieces[2] if len(pieces) > 2 else 0
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for a 12-hour clock")
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    return hour, minute, second


def _moment(header: _Header, order: str) -> datetime | None:
    try:
        return datetime(*_ymd(header.date, order), *_clock(header.time, header.ampm))
    except ValueError:
        return None


def _backward_steps(headers: list[_Header], order: str) -> int:
    moments = [m for m in (_moment(h, order) for h in headers) if m is not None]
    return sum(1 for a, b in zip(moments, moments[1:], strict=False) if b < a)


def infer_order(headers: list[_Header]) -> tuple[str, str]:
    """Which way this file writes dates, and why (in words)."""
    if headers and all(len(h.date[0]) == 4 for h in headers):
        return YEAR_FIRST, "dates are written year first"
    first = [h for h in headers if len(h.date[0]) <= 2 and int(h.date[0]) > 12]
    second = [h for h in headers if len(h.date[0]) <= 2 and int(h.date[1]) > 12]
    if first and len(first) >= len(second):
        return DAY_FIRST, f"dates read day-first (line {first[0].line} has day {first[0].date[0]})"
    if second:
        return MONTH_FIRST, f"dates read month-first (line {second[0].line} has day {second[0].date[1]})"
    day, month = _backward_steps(headers, DAY_FIRST), _backward_steps(headers, MONTH_FIRST)
    if month < day:
        return MONTH_FIRST, "dates read month-first (no day over 12; month-first keeps the messages in time order)"
    if day == month and any(len(h.date[0]) == 1 for h in headers) and any(h.ampm for h in headers):
        return MONTH_FIRST, "dates read month-first (no day over 12 to tell; unpadded dates and AM/PM, as US phones write)"
    return DAY_FIRST, "dates read day-first (no day over 12 to tell; assumed day-first, as UK phones write)"


# --- senders -----------------------------------------------------------------------------------------------------


def _clean_sender(name: str) -> str:
    return name.strip().strip(_MARKS).strip()


def _candidates(rest: str) -> list[int]:
    """Where the sender could end: every ": " (and a ":" closing the line), not past MAX_SENDER characters."""
    ends = []
    at = rest.find(": ", 1, MAX_SENDER + 2)
    while at != -1:
        ends.append(at)
        at = rest.find(": ", at + 1, MAX_SENDER + 2)
    if rest.endswith(":") and 0 < len(rest) - 1 <= MAX_SENDER:
        ends.append(len(rest) - 1)
    return ends


def is_system(text: str) -> bool:
    text = text.strip().lstrip(_MARKS)
    if _SYSTEM_START.match(text):
        return True
    doing = _SYSTEM_DOING.search(text, 0, MAX_SENDER + 40)
    if doing is not None and 0 < doing.start() <= MAX_SENDER and ":" not in text[:doing.start()]:
        return True
    return text.endswith(" left") and ":" not in text and len(text) <= MAX_SENDER + 5


def prefix_counts(headers: list[_Header]) -> Counter[str]:
    """How many lines each possible sender (each prefix before a ": ") starts."""
    counts: Counter[str] = Counter()
    for header in headers:
        counts.update({header.rest[:end] for end in _candidates(header.rest)})
    return counts


def split_sender(rest: str, counts: Counter[str]) -> tuple[str, str] | None:
    """(sender as written, text), or None for a system notice with no sender.

    The sender is the text before the first ": ", extended past a further ": " when the file shows the longer
    prefix is a name: at least two lines start with it, and at least half the lines that start with the shorter
    one go on with it ("Sgt Jones: Team B" writes every message that way; "Dave" writes "Reminder: …" now and then).
    iOS proves a prefix outright by putting its mark before a placeholder ("Name: \u200eimage omitted")."""
    ends = _candidates(rest)
    if not ends:
        return None
    if is_system(rest):  # the notice's words come before any ": " (a sender's words come after one)
        return None
    end = ends[0]
    for longer in ends[1:]:
        if counts[rest[:longer]] >= 2 and counts[rest[:longer]] * 2 >= counts[rest[:end]]:
            end = longer
        else:
            break
    marked = [e for e in ends if rest[e + 2:e + 3] == "\u200e"]
    if marked:
        end = marked[0]
    return rest[:end], rest[end + 2:]


# --- the parser --------------------------------------------------------------------------------------------------


def _headers(lines: list[str]) -> tuple[list[_Header | None], str]:
    found: list[_Header | None] = []
    styles = {"ios": 0, "android": 0}
    for number, line in enumerate(lines, start=1):
        match, style = _match(line)
        if match is None:
            found.append(None)
            continue
        styles[style] += 1
        date = tuple(_SPLIT.split(match["date"]))
        written = line.lstrip(_MARKS)[:match.start("rest")].strip().strip("[]-\u2013 ").rstrip("]")
        found.append(_Header(number, date, match["time"], match["ampm"] or "", match["rest"], written))  # type: ignore[arg-type]
    return found, max(styles, key=lambda s: styles[s])


def _kind(text: str) -> tuple[str, str, bool]:
    """(kind, text without the edited marker, edited)."""
    edited = bool(_EDITED.search(text))
    if edited:
        text = _EDITED.sub("", text)
    first = text.split("\n", 1)[0].strip().strip(_MARKS).strip()
    if _DELETED.match(first) and "\n" not in text.strip():
        return Kind.DELETED, text, edited
    if _MEDIA.search(first):
        return Kind.MEDIA, text, edited
    return Kind.MESSAGE, text, edited


def _start(header: _Header, counts: Counter[str]) -> ChatMessage:
    assert header.when is not None
    split = split_sender(header.rest, counts)
    if split is None:
        return ChatMessage(sender="", at=iso(header.when), when=header.when, text=header.rest.strip(_MARKS),
                           kind=Kind.SYSTEM, line=header.line, written=header.written)
    sender, text = split
    if text.startswith("\u200e") and is_system(text):  # iOS: a notice "sent" by the group itself
        return ChatMessage(sender="", at=iso(header.when), when=header.when, text=text.strip(_MARKS),
                           kind=Kind.SYSTEM, line=header.line, written=header.written)
    return ChatMessage(sender=_clean_sender(sender), at=iso(header.when), when=header.when, text=text, line=header.line,
                       written=header.written)


def _finish(message: ChatMessage) -> ChatMessage:
    message.text = message.text.rstrip("\n").rstrip()
    if message.kind != Kind.SYSTEM:
        message.kind, message.text, message.edited = _kind(message.text)
        message.text = message.text.lstrip("\u200e")
    return message


def _real(headers: list[_Header | None]) -> list[_Header | None]:
    """Header-shaped lines that start a message or a notice. One with no sender and no notice in it ("31/12/2020,
    23:59 - that was the night") is a line of the message above that happens to begin with a date and time."""
    kept: list[_Header | None] = []
    seen = False
    for header in headers:
        if header is not None and seen and not _candidates(header.rest) and not is_system(header.rest):
            header = None
        seen = seen or header is not None
        kept.append(header)
    return kept


def parse_text(text: str, label: str, *, order: str | None = None) -> ParsedChat:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found, style = _headers(lines)
    headers = _real(found)
    real = [h for h in headers if h is not None]
    if not real:
        if not text.strip():
            raise ParseError(label, "the file is empty")
        raise ParseError(label, "this is not a WhatsApp chat export: no line starts with a date and time like "
                                "“31/12/2020, 23:59 - Name:” or “[31/12/2020, 23:59:59] Name:”")
    inferred, why = infer_order(real)
    order = order or inferred
    chat = ParsedChat(format=FORMAT, source=label, notes=[f"WhatsApp ({'iOS' if style == 'ios' else 'Android'}); "
                                                          + (f"dates read {order} (as asked)" if order != inferred else why)])
    for found_header in real:
        found_header.when = _moment(found_header, order)
    counts = prefix_counts([h for h in real if h.when is not None])
    current: ChatMessage | None = None
    for number, (line, header) in enumerate(zip(lines, headers, strict=True), start=1):
        if _DAMAGED in line:
            chat.unreadable.append(UnreadableLine(label, number, line, "bytes that are not UTF-8 text (shown as �)"))
        if header is not None and header.when is None:
            chat.unreadable.append(UnreadableLine(label, number, line, f"“{header.written}” is not a real date and "
                                                                       f"time when dates are read {order}"))
        elif header is not None:
            if current is not None:
                chat.messages.append(_finish(current))
            current = _start(header, counts)
        elif current is not None:
            current.text += "\n" + line
        elif line.strip(_MARKS + " \t"):
            chat.unreadable.append(UnreadableLine(label, number, line, "text before the first message header"))
    if current is not None:
        chat.messages.append(_finish(current))
    return chat
