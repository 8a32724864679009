"""The reporter's timeline follows the case through the real workflow actions, in plain language, with what happens
next and by when; the review form appears only while a review can be asked for. The reporter's side is driven over
HTTP, as the reporter would: it reads the case through the reports core, never through the case workflow."""

from __future__ import annotations

import re

from django.test import Client

from upstander.cases import actions
from upstander.reports.models import ReporterRequest
from upstander.testing.journeys import come_back, report_for, reporter  # noqa: F401  (reporter: a fixture)

ENTRY = re.compile(r'<li><span class="when">[^<]*</span> ([^<]*)</li>')


def _status(receipt: str) -> str:
    visitor = Client()
    come_back(visitor, receipt)
    return visitor


def test_the_timeline_tells_the_reporter_each_step_and_the_next_deadline(reporter, cast):  # noqa: F811
    journey = reporter()
    report = report_for(journey.receipt)
    handler = cast.users["handler_a"]
    case = actions.do_open_case(actor=handler, report=report)
    actions.do_acknowledge(actor=handler, case=case)
    page = _status(journey.receipt).get("/report/status").content.decode()
    timeline = page.split('id="timeline"', 1)[1].split("What happens next", 1)[0]
    assert ENTRY.findall(timeline) == [
        "We have received your report.",
        "We have confirmed to you that your report arrived and is being looked at."]
    assert re.search(r'<ul class="next-steps">\s*<li>The team should', page)
    assert "review of the outcome" not in page

    allegation = actions.do_add_allegation(actor=handler, case=case, category="bullying")
    actions.do_assess_allegation(actor=handler, allegation=allegation, severity="misconduct")
    actions.do_record_assessment(actor=handler, case=case)
    actions.do_route(actor=handler, case=case, route="local_handling")
    actions.do_record_outcome(actor=handler, allegation=allegation, outcome="management_action")
    actions.do_send_outcome(actor=handler, case=case)

    visitor = _status(journey.receipt)
    page = visitor.get("/report/status").content.decode()
    for text in ("Someone has assessed how serious your report is", "dealt with by the force without a formal "
                 "investigation", "Management action will be taken.", "You can ask for a review of the outcome until"):
        assert text in page, text
    assert "recording" not in page.lower().split("timeline", 1)[1].split("messages", 1)[0]  # no internal decisions
    assert visitor.post("/report/status/review", {"review-body": "The outcome does not reflect what happened."}).status_code == 302
    assert ReporterRequest.objects.filter(report=report, kind="review").exists()


def test_there_is_no_review_form_before_an_outcome(reporter):  # noqa: F811
    visitor = _status(reporter().receipt)
    assert "Ask for a review" not in visitor.get("/report/status").content.decode()
    visitor.post("/report/status/review", {"review-body": "Please review."})
    assert not ReporterRequest.objects.filter(kind="review").exists()
