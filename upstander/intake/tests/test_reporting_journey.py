"""The reporter's journey through the real pages: report, receipt, return, timeline, messages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from upstander.accounts.models import Organisation
from upstander.audit.models import AuditEvent
from upstander.lib import crypto
from upstander.reports import sealing
from upstander.reports.models import Draft, Report, ReporterLink, SealedKey
from upstander.testing.journeys import Answers, Journey, come_back, report_for


def _force_key(cast, report):
    return sealing.data_key_for_org(report, Organisation.objects.get(kind="force"), cast.org_keys["force"])


def test_an_anonymous_report_gives_a_seven_word_receipt_that_opens_the_timeline(reporter):
    journey = reporter()
    words = journey.receipt.split(" ")
    assert len(words) == 7 and all(re.fullmatch(r"[a-z]+", w) for w in words)
    report = report_for(journey.receipt)
    assert report.mode == "anonymous" and report.identity_ct is None and report.sealed_identity is None
    assert set(SealedKey.objects.filter(report=report).values_list("organisation__kind", flat=True)) == {
        "force", "overseer"}
    assert [m.name_as_written for m in report.mentions.all()] == ["Derek Dyer"]

    visitor = Client()
    response = come_back(visitor, journey.receipt)
    assert response.status_code == 302 and response["Location"] == "/report/status"
    page = visitor.get("/report/status").content.decode()
    assert re.search(r"<h2[^>]*>[^<]*timeline", page)
    assert "We have received your report." in page
    due = (report.received_on + timedelta(days=7)).strftime("%-d %B %Y")
    assert "The team should confirm to you that they have your report" in page and due in page


def test_a_receipt_is_accepted_with_capitals_hyphens_and_extra_spaces(reporter):
    receipt = reporter().receipt
    typed = "  " + "-".join(receipt.upper().split()) + " "
    assert come_back(Client(), typed).status_code == 302


def test_a_wrong_receipt_is_refused_with_a_plain_message(reporter):
    receipt = reporter().receipt
    wrong = " ".join(reversed(receipt.split()))
    for attempt in (wrong, "not a receipt at all", ""):
        response = come_back(Client(), attempt)
        assert response.status_code == 400
        assert "Receipt not recognised" in response.content.decode() or not attempt
    assert Client().get("/report/status").status_code == 302  # no visit without a receipt


def test_every_question_the_server_requires_carries_the_required_attribute(cast):
    client = Client()
    how = client.get("/report/new/how").content.decode()
    for name in ("mode", "reporter_type"):
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', how)
        assert radios and all(" required" in r for r in radios)
    assert re.search(r'<label for="id_mode_2">Anonymous', how)
    assert "required" not in re.search(r'<input type="checkbox" name="independent"[^>]*>', how).group(0)
    assert re.findall(r"<button[^>]*>([^<]+)</button>", how)[-1] == "Continue"

    Journey(client, Answers(reporter_type="staff")).how()
    what = client.get("/report/new/what").content.decode()
    assert re.search(r'<label for="id_narrative">What happened</label>', what)
    assert " required" in re.search(r"<textarea[^>]*name=\"narrative\"[^>]*>", what).group(0)
    for name in ("reporter_role", "still_works_alongside"):
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', what)
        assert radios and all(" required" in r for r in radios)
    checkboxes = re.findall(r'<input type="checkbox"[^>]*>', what)
    assert len(checkboxes) >= 16 and not any(" required" in c for c in checkboxes)
    assert "Sexual assault or rape" in what and "Retaliation for speaking up" in what
    assert re.findall(r"<button[^>]*>([^<]+)</button>", what)[-1] == "Continue"
    assert 'class="quick-exit"' in what


def test_a_validation_error_keeps_everything_typed(cast):
    client = Client()
    journey = Journey(client, Answers(narrative="Typed with care: the inspector mocked my accent."))
    journey.how()
    response = journey.what(categories=[])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick at least one of what it was about" in page and 'class="error-summary"' in page
    assert "Typed with care: the inspector mocked my accent." in page and 'value="Derek Dyer"' in page
    again = client.get("/report/new/what").content.decode()  # and on coming back to the page
    assert "Typed with care: the inspector mocked my accent." in again
    draft = Draft.objects.get()
    assert b"inspector" not in bytes(draft.payload_ct)  # the draft is encrypted


def test_the_submit_page_ends_with_a_submit_report_button_and_refuses_an_unfinished_draft(cast):
    client = Client()
    journey = Journey(client, Answers())
    journey.how()
    check = client.get("/report/new/check").content.decode()
    assert re.findall(r"<button[^>]*>([^<]+)</button>", check)[-1] == "Submit report"
    journey.check_token()
    response = journey.submit()
    assert response.status_code == 302 and response["Location"] == "/report/new/what"
    assert not Report.objects.exists()


def test_submitting_twice_makes_one_report_and_shows_the_same_receipt(cast):
    journey = Journey(Client(), Answers())
    receipt = journey.run()
    again = journey.submit()
    assert again.status_code == 200 and f">{receipt}<" in again.content.decode()
    assert Report.objects.count() == 1
    assert AuditEvent.objects.filter(action="report.submit").count() == 1


def test_the_held_receipt_is_destroyed_after_a_few_minutes(cast):
    journey = Journey(Client(), Answers())
    journey.run()
    Draft.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = journey.submit()
    assert response.status_code == 410 and "id=\"receipt\"" not in response.content.decode()
    Journey(Client(), Answers()).how()  # a new draft purges expired ones
    assert Draft.objects.count() == 1


def test_a_named_report_puts_the_identity_under_the_data_key(reporter, cast):
    journey = reporter(mode="named", name="Sam Public", email="sam@example.org", wants_update_email=True)
    report = report_for(journey.receipt)
    assert report.sealed_identity is None
    identity = sealing.decrypt_identity(_force_key(cast, report), report)
    assert identity["name"] == "Sam Public" and identity["email"] == "sam@example.org"
    assert report.wants_update_email


def test_a_confidential_identity_is_sealed_to_the_custodians_only(reporter, cast):
    journey = reporter(mode="confidential", reporter_type="staff", name="Erin Evans", staff_number="1005")
    report = report_for(journey.receipt)
    assert report.identity_ct is None and report.sealed_identity
    opened = json.loads(crypto.unseal(cast.org_keys["custodians"], bytes(report.sealed_identity)))
    assert opened["name"] == "Erin Evans"
    for kind in ("force", "overseer"):
        try:
            crypto.unseal(cast.org_keys[kind], bytes(report.sealed_identity))
            raise AssertionError(f"{kind} opened a sealed identity")
        except crypto.CryptoError:
            pass
    assert b"Erin" not in bytes(report.sealed_identity)


def test_a_staff_reporter_whose_number_matches_the_roster_is_linked(reporter, roster_person):
    person = roster_person(number="1005", given="Erin", family="Evans")
    journey = reporter(mode="confidential", reporter_type="staff", name="Erin Evans", staff_number="1005")
    assert ReporterLink.objects.get(report=report_for(journey.receipt)).person == person
    mismatch = reporter(mode="named", reporter_type="staff", name="Someone Else", staff_number="1005")
    assert not ReporterLink.objects.filter(report=report_for(mismatch.receipt)).exists()


def test_the_independent_route_seals_to_the_overseer_alone(reporter, cast):
    journey = reporter(mode="anonymous", reporter_type="staff", independent=True)
    report = report_for(journey.receipt)
    assert report.route == "independent" and report.handling_org.kind == "overseer"
    assert list(SealedKey.objects.filter(report=report).values_list("organisation__kind", flat=True)) == ["overseer"]


def test_a_member_of_the_public_cannot_choose_the_independent_route(cast):
    journey = Journey(Client(), Answers(independent=True))
    response = journey.how()
    assert response.status_code == 400 and "The independent route is for police officers and staff" in \
        response.content.decode()


def test_reporter_events_in_the_audit_log_carry_the_day_only(reporter):
    reporter()
    event = AuditEvent.objects.get(action="report.submit")
    assert (event.at.hour, event.at.minute, event.at.second, event.at.microsecond) == (0, 0, 0, 0)
    assert event.actor == "reporter"


def test_leaving_forgets_the_visit(reporter):
    journey = reporter()
    visitor = Client()
    come_back(visitor, journey.receipt)
    assert visitor.get("/report/status").status_code == 200
    visitor.post("/report/leave")
    assert visitor.get("/report/status").status_code == 302


def test_a_second_report_can_be_started_in_the_same_browser_after_sending_one(cast):
    client = Client()
    first = Journey(client, Answers())
    first.run()
    second = Journey(client, Answers(narrative="A different matter entirely."))
    assert second.run() != first.receipt
    assert Report.objects.count() == 2
