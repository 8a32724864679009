"""The case team and the reporter talk through the reports core: a staff reply reaches the reporter's status page
(driven over HTTP, as the reporter would), their answers and requests reach the case team, and a named reporter who
asked for it is emailed only that there is an update."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from upstander.accounts.models import Organisation
from upstander.audit.models import AuditEvent
from upstander.cases.report_actions import do_reply_to_reporter
from upstander.reports import sealing
from upstander.reports.models import ReporterRequest
from upstander.testing.journeys import come_back, report_for, reporter  # noqa: F401  (reporter: a fixture)


def _force_key(cast, report):
    return sealing.data_key_for_org(report, Organisation.objects.get(kind="force"), cast.org_keys["force"])


def test_messages_go_both_ways_and_requests_are_recorded_in_the_clear(reporter, cast):  # noqa: F811
    journey = reporter()
    report = report_for(journey.receipt)
    do_reply_to_reporter(actor=cast.users["handler_a"], report=report, data_key=_force_key(cast, report),
                         body="Thank you. Which day of the week was it?", is_question=True)
    visitor = Client()
    come_back(visitor, journey.receipt)
    page = visitor.get("/report/status").content.decode()
    assert "Which day of the week was it?" in page and "a question for you" in page
    assert "handler_a" not in page  # staff are not named to the reporter

    assert visitor.post("/report/status/message", {"message-body": "It was a Tuesday."})["Location"] == "/report/status?sent=message"
    assert visitor.post("/report/status/retaliation", {"retaliation-body": "I was moved off the team."}).status_code == 302
    assert visitor.post("/report/status/information", {"information-body": "He said it again."}).status_code == 302
    page = visitor.get("/report/status?sent=message").content.decode()
    assert "It was a Tuesday." in page and "Your message was sent." in page
    assert sorted(ReporterRequest.objects.filter(report=report).values_list("kind", flat=True)) == [
        "information", "retaliation"]
    assert visitor.post("/report/status/message", {"message-body": ""}).status_code == 400
    assert set(AuditEvent.objects.filter(role="reporter").values_list("action", flat=True)) >= {
        "report.submit", "report.reporter_message", "report.retaliation_reported", "report.information_added"}


def test_a_named_reporter_who_asked_is_emailed_only_that_there_is_an_update(
        reporter, cast, django_capture_on_commit_callbacks):  # noqa: F811
    journey = reporter(mode="named", name="Sam Public", email="sam@example.org", wants_update_email=True)
    report = report_for(journey.receipt)
    with django_capture_on_commit_callbacks(execute=True):
        do_reply_to_reporter(actor=cast.users["handler_a"], report=report, data_key=_force_key(cast, report),
                             body="Could you tell us which shift it was?", is_question=True)
    assert mail.outbox[-1].to == ["sam@example.org"]
    assert "shift" not in mail.outbox[-1].body and "There is an update" in mail.outbox[-1].subject


def test_no_email_goes_to_a_named_reporter_who_did_not_ask(reporter, cast, django_capture_on_commit_callbacks):  # noqa: F811
    journey = reporter(mode="named", name="Sam Public", email="sam@example.org")
    report = report_for(journey.receipt)
    with django_capture_on_commit_callbacks(execute=True):
        do_reply_to_reporter(actor=cast.users["handler_a"], report=report, data_key=_force_key(cast, report),
                             body="Thank you for your report.")
    assert mail.outbox == []
