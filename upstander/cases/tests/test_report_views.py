"""The minimal staff view: read a report with the organisation key unlocked at login (audited), reply to the
reporter, and a facilitator's record of a listening-circle disclosure."""

from __future__ import annotations

import json
import re

from django.test import Client

from upstander.audit.models import AuditEvent
from upstander.cases.models import Message, Report
from upstander.cases.triage import do_open_case
from upstander.lib import crypto
from upstander.reports.models import ListeningCircleDisclosure
from upstander.testing.journeys import Answers, Journey, come_back, receipt_in, report_for


def _submit(**answers):
    journey = Journey(Client(), Answers(**answers))
    journey.run()
    return journey


def test_a_handler_reads_a_report_and_the_read_is_audited(cast, staff_client):
    journey = _submit(mode="named", name="Sam Public", narrative="He pushed me against the wall.")
    report = report_for(journey.receipt)
    page = staff_client("handler_a").get(f"/cases/reports/{report.public_id}/").content.decode()
    assert "He pushed me against the wall." in page and "Sam Public" in page and "Derek Dyer" in page
    event = AuditEvent.objects.get(action="report.read")
    assert event.actor == "user:handler_a" and event.object_id == str(report.public_id)


def test_a_confidential_identity_stays_sealed_on_the_staff_page(cast, staff_client):
    journey = _submit(mode="confidential", reporter_type="staff", name="Erin Evans", staff_number="1005")
    report = report_for(journey.receipt)
    page = staff_client("overseer").get(f"/cases/reports/{report.public_id}/").content.decode()
    assert "Erin Evans" not in page and "Sealed: only the identity custodians can open it" in page


def test_a_session_without_the_organisation_key_cannot_open_content(cast, staff_client):
    report = report_for(_submit(narrative="Nobody without the key reads this.").receipt)
    client = staff_client("handler_a")
    del client.cookies["upstander_k"]
    response = client.get(f"/cases/reports/{report.public_id}/")
    assert response.status_code == 403 and "Nobody without the key" not in response.content.decode()
    assert client.post(f"/cases/reports/{report.public_id}/reply", {"body": "hi"}).status_code == 403
    assert not Message.objects.exists()


def test_a_reply_reaches_the_reporter_and_an_empty_one_is_refused(cast, staff_client):
    journey = _submit()
    report = report_for(journey.receipt)
    client = staff_client("handler_a")
    assert client.post(f"/cases/reports/{report.public_id}/reply", {"body": "  "}).status_code == 400
    response = client.post(f"/cases/reports/{report.public_id}/reply",
                           {"body": "Can you tell us which team he is on?", "is_question": "on"})
    assert response.status_code == 302
    message = Message.objects.get(report=report)
    assert message.is_question and message.author == cast.users["handler_a"] and b"which team" not in bytes(message.body_ct)
    visitor = Client()
    come_back(visitor, journey.receipt)
    assert "Can you tell us which team he is on?" in visitor.get("/report/status").content.decode()


def test_a_facilitator_records_each_disclosure_as_its_own_sealed_report(cast, staff_client):
    client = staff_client("facilitator")
    form = {"session_on": "2024-06-03", "mode": "confidential", "reporter_type": "staff", "discloser_name": "Erin Evans",
            "narrative": "In the circle she said her sergeant touched her at the Christmas party.",
            "categories": ["sexual_misconduct"], "reporter_role": "victim", "subject_name": "Frank Foster",
            "consent": "record_only", "give_receipt": "on"}
    assert client.get("/cases/reports/disclosures/new").status_code == 200
    missing_name = client.post("/cases/reports/disclosures/new", {**form, "discloser_name": ""})
    assert missing_name.status_code == 400 and not Report.objects.exists()
    response = client.post("/cases/reports/disclosures/new", form)
    assert response.status_code == 200
    receipt = receipt_in(response)
    report = Report.objects.get()
    assert report.channel == "listening_circle" and report.facilitator == cast.users["facilitator"]
    assert str(report.received_on) == "2024-06-03" and report.identity_ct is None
    assert json.loads(crypto.unseal(cast.org_keys["custodians"], bytes(report.sealed_identity)))["name"] == "Erin Evans"
    assert ListeningCircleDisclosure.objects.get(report=report).consent == "record_only"
    assert report_for(receipt) == report  # the discloser can follow it up themselves

    listing = client.get("/cases/reports/").content.decode()
    assert re.search(str(report.public_id), listing)
    assert "touched her" in client.get(f"/cases/reports/{report.public_id}/").content.decode()
    do_open_case(actor=cast.users["handler_a"], report=report)  # handed to a case team
    assert client.get(f"/cases/reports/{report.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(action="report.disclosure_recorded", actor="user:facilitator").count() == 1
