"""No time of day is stored for anything a reporter does (DESIGN.md rule 6; issue 11): every table is compared before
and after an anonymous reporter's whole journey through the real pages."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import timezone

from upstander.lib import clock
from upstander.testing.journeys import Answers, Journey, come_back

# Working state that is not a record of the reporter, with the one time it keeps and why. Anything else that gains a
# time of day fails the test.
WORKING_STATE = {
    # The draft's expiry, rounded up to 15 minutes; after submission it holds only the receipt and is deleted
    # within minutes (intake/drafts.py: RECEIPT_HOLD). A known residual: see docs/threat-model.md.
    ("reports.draft", "expires_at"),
}
# Summer time matters: there, local midnight (Europe/London, BST) is not midnight UTC.
MOMENTS = {"in summer time": datetime(2026, 7, 15, 13, 37, 12, 345678, tzinfo=UTC),
           "in winter": datetime(2026, 1, 15, 9, 5, 1, 2, tzinfo=UTC)}


def _snapshot() -> dict[tuple[str, object, str], object]:
    """Every date-time and time value in every table, by (model, primary key, field)."""
    values: dict[tuple[str, object, str], object] = {}
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField | models.TimeField)]
        if not fields:
            continue
        for row in model._default_manager.values("pk", *fields):
            for name in fields:
                values[(model._meta.label_lower, row["pk"], name)] = row[name]
    return values


def _has_time_of_day(value: object) -> bool:
    if isinstance(value, datetime):
        return clock.start_of_day(clock.local_date(value)) != value
    return isinstance(value, time)


@pytest.mark.parametrize("season", sorted(MOMENTS))
def test_an_anonymous_reporters_whole_journey_leaves_no_time_of_day_in_any_table(cast, monkeypatch, season):
    """The leak: a database copy (or a backup) that keeps when someone submitted, came back, wrote or uploaded —
    `raised_at` of a safety-net flag raised at submission was stored to the microsecond — lets the force match an
    anonymous report to who was at a keyboard at that moment. Dates are allowed; times of day are not."""
    monkeypatch.setattr(timezone, "now", lambda: MOMENTS[season])
    before = _snapshot()

    journey = Journey(Client(), Answers(
        narrative="He cornered me in the locker room, pushed me against the wall and touched me.",
        categories=["bullying"], files=[("photo.txt", b"what he said, written down the same day")]))
    journey.run()  # a narrative the safety net flags as more serious than the category chosen
    visitor = Client()
    assert come_back(visitor, journey.receipt).status_code == 302
    assert visitor.get("/report/status").status_code == 200
    assert visitor.post("/report/status/message", {"message-body": "It happened again on Friday."}).status_code == 302
    added = visitor.post("/report/status/information", {
        "information-body": "A copy of the rota.", "attachments": [SimpleUploadedFile("rota.txt", b"Monday: him and me")]})
    assert added.status_code == 302
    visitor.post("/report/leave")

    after = _snapshot()
    gained = {key: value for key, value in after.items()
              if before.get(key) != value and _has_time_of_day(value) and key[::2] not in WORKING_STATE}
    assert gained == {}, f"rows that gained a time of day: {gained}"
    assert any(key[0] == "cases.flag" for key in after if key not in before), "the safety net raised no flag"
    assert any(key[0] == "audit.auditevent" for key in after if key not in before)
