"""A reporter's account of retaliation, sent from the reporting site, reaches the overseer's retaliation alert
through the reports core's hook (safeguarding/receivers.py), in the same transaction as the message."""

from __future__ import annotations

from django.test import Client

from upstander.safeguarding.models import RetaliationAlert, RetaliationClaim
from upstander.testing.journeys import come_back, report_for, reporter  # noqa: F401  (reporter: a fixture)


def test_retaliation_reported_from_the_portal_joins_an_alert_the_overseer_sees(reporter, cast):  # noqa: F811
    journey = reporter()
    report = report_for(journey.receipt)
    visitor = Client()
    come_back(visitor, journey.receipt)
    assert visitor.post("/report/status/retaliation", {"retaliation-body": "I was moved off the team."}).status_code == 302
    alert = RetaliationAlert.objects.get(report=report)
    assert alert.reported_by_person
    claim = RetaliationClaim.objects.get(alert=alert)
    assert b"moved off the team" not in bytes(claim.text_ct)  # the account stays encrypted
