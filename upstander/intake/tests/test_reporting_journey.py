"""The reporter's journey through the real pages: report, receipt, return, timeline, messages."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.test import Client

from upstander.accounts.models import Organisation
from upstander.audit.models import AuditEvent
from upstander.intake.answers import SECTIONS, pages_for
from upstander.lib import clock, crypto
from upstander.reports import sealing
from upstander.reports.models import Draft, Report, ReporterLink, SealedKey
from upstander.testing.journeys import Answers, Journey, come_back, report_for


def pages_for_testing(client: Client) -> list[str]:
    """The pages this browser's draft goes through (read back the way the server reads the draft)."""
    from upstander.intake import drafts

    class _Request:
        COOKIES = {drafts.COOKIE: client.cookies[drafts.COOKIE].value}

    draft = drafts.load(_Request())  # type: ignore[arg-type]
    assert draft is not None
    return pages_for(draft.state)


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


def test_the_form_asks_one_question_per_page_without_the_browsers_own_validation(cast):
    client = Client()
    journey = Journey(client, Answers(reporter_type="staff", mode="named", name="Sam Public"))
    journey.how()
    journey.about_you()
    journey.what()
    for page in ("how", "staff", "route", "about-you", "what", "when", "where", "who", "about", "your-part",
                 "alongside", "files", "equality", "check"):
        html = client.get(f"/report/new/{page}").content.decode()
        forms = re.findall(r"<form[^>]*>", html)
        assert forms and all(" novalidate" in f for f in forms), (page, forms)
        assert not re.search(r"<(input|textarea|select)[^>]* required", html), page  # no browser bubbles
        typed = re.findall(r'<(?:textarea|input type="(?:text|email)")[^>]*>', html)
        assert all('autocomplete="off"' in t for t in typed), (page, typed)  # nothing left in autofill
        assert len(re.findall(r"<h1", html)) == 1, page
        assert re.search(r'class="quick-exit"', html)
    what = client.get("/report/new/what").content.decode()
    assert re.search(r'<h1 class="label-heading"><label for="id_narrative">What happened\?</label></h1>', what)
    assert "incident" not in what and "categories" not in what  # the other questions have their own pages
    about = client.get("/report/new/about").content.decode()
    assert "Sexual assault or rape" in about and "Retaliation for speaking up" in about
    assert re.findall(r"<button[^>]*>([^<]+)</button>", about)[-2:] == ["Continue", "Save and come back later"]


def test_the_step_counter_keeps_its_total_on_every_route_through_the_form(cast):
    """Anonymous reporters skip "About you", staff see two more questions: the counter counts sections, so its total
    never changes half-way (it used to go from "1 of 5" to "2 of 4")."""
    for answers in (Answers(), Answers(mode="named", name="Sam", reporter_type="staff"),
                    Answers(mode="confidential", name="Sam", reporter_type="public")):
        client = Client()
        journey = Journey(client, answers)
        journey.how()
        if answers.mode != "anonymous":
            journey.about_you()
        journey.what()
        journey.upload([])
        journey.equality()
        totals: set[str] = set()
        for page in pages_for_testing(client):
            totals |= set(re.findall(r"Step \d of (\d)", client.get(f"/report/new/{page}").content.decode()))
        assert totals == {str(len(SECTIONS))}, totals


def test_a_validation_error_keeps_everything_typed_and_the_summary_links_to_the_field(cast):
    client = Client()
    journey = Journey(client, Answers(narrative="Typed with care: the inspector mocked my accent."))
    journey.how()
    response = journey.what(categories=[])
    assert response.status_code == 400 and response.request["PATH_INFO"] == "/report/new/about"
    page = response.content.decode()
    main = page.split('<main id="main"', 1)[1]
    assert main.index('class="error-summary"') < main.index("<form") and "autofocus" in main.split("<h2", 1)[0]
    assert '<a href="#id_categories_0">Select at least one thing it was about</a>' in page
    assert re.search(r'<fieldset aria-describedby="id_categories_helptext id_categories-error">', page)
    assert 'id="id_categories-error"' in page
    again = client.get("/report/new/what").content.decode()  # earlier pages keep their answers
    assert "Typed with care: the inspector mocked my accent." in again
    who = client.get("/report/new/who").content.decode()
    assert 'value="Derek Dyer"' in who
    bad_date = client.post("/report/new/when", {"incident_day": "31", "incident_month": "2", "incident_year": "2024"})
    page = bad_date.content.decode()
    assert bad_date.status_code == 400 and "The date must be a real date" in page
    assert '<a href="#id_incident_day">' in page and 'value="31"' in page and 'value="2024"' in page
    partial = client.post("/report/new/when", {"incident_day": "3", "incident_year": "2024"}).content.decode()
    assert '<a href="#id_incident_month">The date must include a month</a>' in partial
    draft = Draft.objects.get()
    assert b"inspector" not in bytes(draft.payload_ct)  # the draft is encrypted


def test_the_submit_page_offers_submit_and_refuses_an_unfinished_draft(cast):
    client = Client()
    journey = Journey(client, Answers())
    journey.how()
    check = client.get("/report/new/check").content.decode()
    assert re.findall(r"<button[^>]*>([^<]+)</button>", check)[-2:] == ["Submit report", "Save and come back later"]
    assert "Some questions still need an answer" in check
    journey.check_token()
    response = journey.submit()
    assert response.status_code == 302 and response["Location"] == "/report/new/what?change=1"
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
    Draft.objects.update(expires_at=clock.now() - timedelta(seconds=1))
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


def test_a_member_of_the_public_is_not_offered_the_independent_route(cast):
    client = Client()
    journey = Journey(client, Answers(independent=True))
    journey.how()
    assert client.get("/report/new/route").status_code == 302
    assert client.post("/report/new/route", {"route": "independent"}).status_code == 302  # not saved
    journey.run()
    assert report_for(journey.receipt).route == "force"


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
