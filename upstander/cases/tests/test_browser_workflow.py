"""A named report from submission to outcome and a complainant review, in a real browser with JavaScript off: the
reporter submits; a handler triages it, opens a case, links the subject, records and assesses the allegation, routes
it, records the outcome and sends it; the reporter asks for a review and the handler opens it. After each step the
reporter's timeline shows it in plain language."""

from __future__ import annotations

import pytest

from upstander.cases import workflow
from upstander.cases.models import Case
from upstander.testing.browser import submit_report
from upstander.testing.fixtures import current_code


def _submit_named_report(page, base: str) -> str:
    return submit_report(page, base, mode="named", name="Sam Public", narrative=(
        "PC Dyer pushed me against the counter and swore at me when I asked for a crime reference number."),
        subject=("PC Derek Dyer", "1004", ""), category="Bullying or harassment", part="It happened to me")


def _timeline(context, base: str, receipt: str) -> str:
    page = context.new_page()
    page.goto(f"{base}/report/return")
    page.get_by_label("Receipt").fill(receipt)
    page.get_by_role("button", name="Continue").click()
    text = page.locator("main").inner_text()
    page.close()
    return text


def _step(staff, action: str, button: str) -> None:
    staff.locator(f"form#{action}").get_by_role("button", name=button).click()
    assert "That was not done" not in staff.content(), staff.locator(".error-summary").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_named_report_goes_from_submission_to_outcome_and_review_and_the_reporters_timeline_shows_each_step(
        live_server, chromium, page_js_off, cast):
    base = live_server.url
    receipt = _submit_named_report(page_js_off, base)
    reporter = chromium.new_context(java_script_enabled=False)
    assert workflow.reporter_text("received") in _timeline(reporter, base, receipt)

    staff = chromium.new_context(java_script_enabled=False).new_page()
    staff.goto(f"{base}/cases/inbox/")
    staff.get_by_label("Username").fill("handler_a")
    staff.get_by_label("Password").fill(cast.passwords["handler_a"])
    staff.get_by_label("Code from your authenticator app").fill(current_code(cast.totp_keys["handler_a"]))
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(f"{base}/cases/inbox/")
    staff.get_by_role("link", name="Triage report received").first.click()
    staff.get_by_role("button", name="Open a case from this report").click()
    case = Case.objects.get()
    assert staff.get_by_role("heading", name=f"Case {case.code}").is_visible()

    _step(staff, "acknowledge", "Acknowledge receipt")
    assert workflow.reporter_text("acknowledged") in _timeline(reporter, base, receipt)

    staff.get_by_role("link", name="Find in the roster").click()
    staff.get_by_role("button", name="Link Derek Dyer").click()
    form = staff.locator("form#allegation")
    form.get_by_label("Subject").select_option(label="Constable Derek Dyer (1004)")
    form.get_by_label("Category").select_option(label="Bullying or harassment")
    form.get_by_label("Severity").select_option(label="Misconduct")
    form.get_by_role("button", name="Record the allegation").click()
    _step(staff, "record-assessment", "Move to “Assessed (recording decision)”")
    staff.locator("form#route").get_by_label("How the case will be dealt with").select_option(
        label="Handled locally (otherwise than by investigation)")
    _step(staff, "route", "Move to “Route decided”")
    timeline = _timeline(reporter, base, receipt)
    assert workflow.reporter_text("assessed") in timeline and workflow.reporter_text("routed") in timeline
    assert workflow.route_reporter_text("local_handling") in timeline

    outcome = staff.locator("form[action$='/do/outcome']")
    outcome.get_by_label("Outcome").select_option(label="Management action")
    outcome.get_by_role("button", name="Record the outcome").click()
    _step(staff, "send-outcome", "Send the outcome")
    timeline = _timeline(reporter, base, receipt)
    assert workflow.reporter_text("outcome") in timeline and workflow.outcome_text("management_action") in timeline

    ask = reporter.new_page()
    ask.goto(f"{base}/report/return")
    ask.get_by_label("Receipt").fill(receipt)
    ask.get_by_role("button", name="Continue").click()
    ask.get_by_label("Why you want the outcome reviewed").fill("Management action is not enough for an assault.")
    ask.get_by_role("button", name="Ask for a review").click()
    ask.close()

    staff.reload()
    _step(staff, "open-review", "Move to “Complainant review”")
    assert workflow.reporter_text("review") in _timeline(reporter, base, receipt)
    case.refresh_from_db()
    assert case.state == "review"
    reporter.close()
    staff.context.close()
