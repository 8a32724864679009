"""The case-workflow test force (cases/tests/conftest.py: roster, personas in professional standards, reports made
through the reporter side, cases opened by handler_a with PC Derek Dyer linked), and chats to attach to its cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from upstander.cases.tests.conftest import cast, make_report, opened, roster, staff_user  # noqa: F401
from upstander.evidence import render
from upstander.evidence.render import Line, WhatsAppStyle

T0 = datetime(2021, 3, 14, 8, 0)

# Messages the shipped model flags with high confidence, and ordinary chat it does not (content warning: slurs).
FLAGGED_BY_DYER = [
    ("women should not be allowed on response, they are useless bitches", "sexist"),
    ("that faggot from traffic is a disgusting queer", "homophobic_transphobic"),
    ("all muslims are terrorists and should be deported", "religious"),
]
ORDINARY = ["morning all, who is on lates?", "see you at the nick", "kit check at 6", "anyone want a brew",
            "traffic on the A40 is terrible", "back in the office tomorrow"]


def relief_chat() -> list[Line]:
    """PC Derek Dyer (as "Dezza Dyer 🚓") and three colleagues; Dyer sends the three flagged messages."""
    lines = [Line("", T0, "Gina Green created group \"Relief B\"", kind="system")]
    minute = 0
    for round_ in range(3):
        for sender, text in [("Gina Green", ORDINARY[round_]), ("+44 7700 900123", ORDINARY[round_ + 3]),
                             ("Dezza Dyer 🚓", FLAGGED_BY_DYER[round_][0]), ("Carol C", "ok")]:
            minute += 7
            lines.append(Line(sender, T0 + timedelta(minutes=minute), text))
    return lines


@pytest.fixture
def chat_file() -> tuple[str, bytes]:
    return "WhatsApp Chat with Relief B.txt", render.whatsapp(relief_chat(), WhatsAppStyle())
