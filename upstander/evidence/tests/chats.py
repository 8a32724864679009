"""Lists of messages for the parser tests: people, texts and oddities that exports really contain."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from upstander.evidence.render import Line

SENDERS = ["Dave Smith", "+44 7700 900123", "Sgt Jones: Team B 🚓", "Priya 🌸", "Mo", "O'Brien, Kate", "Jo-Anne",
           "‎+1 (555) 010-9999".lstrip("\u200e")]
TEXTS = [
    "morning all", "Reminder: kit check at 6", "who's on lates?", "lol 😂😂", "see you at the nick",
    "ok", "Did anyone see the match: brutal", "2 sugars pls", "it's 10:30 - coffee?", "25/12 is christmas",
    "that was mental\nproper mental", "first line\n13/03/2021 is when it happened\nthird line",
    "list:\n- one\n- two", "https://example.org/a?b=c", "   spaced out   ", "👍",
]


def conversation(count: int, *, seed: int = 1, start: datetime | None = None, oddities: bool = True,
                 senders: list[str] | None = None) -> list[Line]:
    """`count` people's messages (with system lines between them) over several weeks, in time order."""
    rng = random.Random(seed)
    senders = senders or SENDERS
    moment = start or datetime(2021, 2, 27, 8, 5, 9)
    lines: list[Line] = [Line("", moment, "Dave Smith created group \"Team\"", kind="system"),
                         Line("", moment, "Dave Smith added Mo", kind="system")]
    for index in range(count):
        moment += timedelta(minutes=rng.randint(1, 600), seconds=rng.randint(0, 59))
        sender = senders[index % len(senders)]
        roll = rng.random() if oddities else 1.0
        if roll < 0.05:
            lines.append(Line(sender, moment, "", kind="media"))
        elif roll < 0.08:
            lines.append(Line(sender, moment, "", kind="deleted"))
        elif roll < 0.12:
            lines.append(Line(sender, moment, rng.choice(TEXTS).strip(), edited=True))
        else:
            lines.append(Line(sender, moment, rng.choice(TEXTS).strip()))
        if oddities and roll > 0.97:
            lines.append(Line("", moment, f"{senders[0]} changed the subject from \"Team\" to \"Team: B\"", kind="system"))
    return lines


def people(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.kind != "system"]
