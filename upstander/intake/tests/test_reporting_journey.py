"""The reporter's journey through the real pages: report, receipt, return, timeline, messages."""

from __future__ import annotations

import re

from django.test import Client

from upstander.cases.models import SealedKey
from upstander.intake.tests.conftest import come_back, report_for


def test_an_anonymous_report_gives_a_seven_word_receipt_that_opens_the_timeline(reporter):
    journey = reporter()
    words = journey.receipt.split(" ")
    assert len(words) == 7 and all(re.fullmatch(r"[a-z]+", w) for w in words)
    report = report_for(journey.receipt)
    assert report.mode == "anonymous" and report.identity_ct is None and report.sealed_identity is None
    assert set(SealedKey.objects.filter(report=report).values_list("organisation__kind", flat=True)) == {
        "force", "overseer"}

    visitor = Client()
    response = come_back(visitor, journey.receipt)
    assert response.status_code == 302 and response["Location"] == "/report/status"
    page = visitor.get("/report/status").content.decode()
    assert re.search(r"<h2[^>]*>[^<]*timeline", page)
    assert "We have received your report." in page
    assert "The team should confirm to you that they have your report" in page
