""""Leave this site quickly" really leaves, on every reporter page, with JavaScript on and off.

Before each press the browser holds everything a reporter can hold at once: a half-written draft (a named staff
report, so every question page exists) and a visit to a sent report with a message. After the press the browser is
on the neutral page, holds no cookie of this site, the draft is gone from the server, and neither Back nor the
status page nor the draft's pages show anything of either report.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from upstander.lib import clock
from upstander.reports.models import Draft
from upstander.testing.journeys import Answers, Journey, come_back

NEUTRAL = "https://www.bbc.co.uk/weather"
CANARIES = {"narrative": "CANARY narrative quince-4471", "name": "Canary Name Bramblewick",
            "message": "CANARY message damson-9902"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DRAFT_ANSWERS = [
    ("how", {"mode": "named"}), ("staff", {"reporter_type": "staff"}), ("route", {"route": "force"}),
    ("about-you", {"name": CANARIES["name"]}), ("what", {"narrative": CANARIES["narrative"]}),
    ("when", {"incident_day": "2", "incident_month": "3", "incident_year": "2024"}),
    ("where", {"place": "North Borough"}), ("who", {"subject_1_name": "Sgt Derek Dyer"}),
    ("about", {"categories": ["bullying"]}), ("your-part", {"reporter_role": "victim"}),
    ("alongside", {"still_works_alongside": "yes"}), ("equality", {}),
]
PAGES = ["/report/", "how", "staff", "route", "about-you", "what", "when", "where", "who", "about", "your-part",
         "alongside", "files", "equality", "check", "receipt", "saved", "resume", "return", "status"]


@pytest.fixture
def sent_report(cast, live_server):
    """A sent report with a message from the reporter; its receipt."""
    client = Client()
    journey = Journey(client, Answers(narrative=CANARIES["narrative"]))
    receipt = journey.run()
    client.post("/report/exit")  # the real way to forget the held receipt of this client's draft
    visitor = Client()
    come_back(visitor, receipt)
    assert visitor.post("/report/status/message", {"message-body": CANARIES["message"]}).status_code == 302
    return receipt


def _post_form(page, base: str, path: str, data: dict, token: str) -> None:
    """A form POST through the browser context's own cookie jar (Playwright's request API shares it)."""
    response = page.request.post(f"{base}{path}", form={"csrfmiddlewaretoken": token, **_flat(data)},
                                 max_redirects=0)
    assert response.status in (200, 302, 303), (path, response.status)


def _flat(data: dict) -> dict:
    # Playwright's form= takes one value per name: every multi-valued answer here has one value
    return {k: (v[0] if isinstance(v, list) else v) for k, v in data.items()}


def _hold_everything(page, base: str, receipt: str) -> None:
    token = TOKEN.search(page.request.get(f"{base}/report/return").text()).group(1)
    _post_form(page, base, "/report/return", {"receipt": receipt}, token)
    for slug, data in DRAFT_ANSWERS:
        _post_form(page, base, f"/report/new/{slug}", data, token)


def _open(page, base: str, target: str) -> None:
    page.goto(f"{base}/report/")
    if target == "receipt":
        page.goto(f"{base}/report/new/check")
        page.get_by_role("button", name="Submit report").click()
        page.locator("#receipt").wait_for()
    elif target == "saved":
        page.goto(f"{base}/report/new/what")
        page.get_by_role("button", name="Save and come back later").click()
        page.locator("#saved-code").wait_for()
    elif target.startswith("/"):
        page.goto(f"{base}{target}")
    elif target in ("resume", "return", "status"):
        page.goto(f"{base}/report/{'new/' if target == 'resume' else ''}{target}")
    else:
        page.goto(f"{base}/report/new/{target}")


def _shows_nothing_of_the_report(page, where: str, receipt: str) -> None:
    try:
        text = page.content()
    except PlaywrightError:
        return  # an error page (a POST result that is not kept): nothing to show
    for secret in [*CANARIES.values(), receipt]:
        assert secret not in text, f"{secret!r} still shown {where}"
    assert "Your report's timeline" not in text and "id=\"saved-code\"" not in text, where


def _working_drafts() -> int:
    """Drafts that are not saved ones (a saved draft is kept for days, a working one for hours)."""
    return Draft.objects.filter(expires_at__lt=clock.now() + timedelta(days=1)).count()


def _press_and_check(page, base: str, target: str, receipt: str, *, javascript: bool, escape: bool = False) -> None:
    context = page.context
    left = page.url
    if escape:
        for _ in range(3):
            page.keyboard.press("Escape")
    else:
        page.get_by_role("button", name="Leave this site quickly").click()
    page.wait_for_url(f"{NEUTRAL}**")
    assert not [c for c in context.cookies() if c["domain"] in ("localhost", "127.0.0.1")], context.cookies()
    assert _working_drafts() == 0, target
    if target == "saved":  # the reporter chose to keep that one: it stays, under its code only
        assert Draft.objects.count() == 1
    try:
        page.go_back()
    except PlaywrightError:
        pass
    if javascript and left != f"{base}/report/":  # the page left was replaced in the history, not kept
        assert page.url != left, f"Back returned to {left}"
    _shows_nothing_of_the_report(page, f"after Back from {target}", receipt)
    for path in ("/report/status", "/report/new/what", "/report/new/check"):
        page.goto(f"{base}{path}")
        _shows_nothing_of_the_report(page, f"at {path} after leaving {target}", receipt)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_leaving_quickly_from_every_reporter_page_leaves_nothing_behind(live_server, chromium, sent_report,
                                                                        javascript):
    base = live_server.url
    for target in PAGES:
        context = chromium.new_context(java_script_enabled=javascript)
        context.route(f"{NEUTRAL}**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"))
        page = context.new_page()
        try:
            _hold_everything(page, base, sent_report)
            _open(page, base, target)
            if target == "check":  # positive control: the draft is there to be forgotten
                assert CANARIES["narrative"] in page.content()
            if target == "status":
                assert CANARIES["message"] in page.content()
            _press_and_check(page, base, target, sent_report, javascript=javascript)
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pressing_escape_three_times_leaves_quickly_too(live_server, chromium, sent_report):
    context = chromium.new_context(java_script_enabled=True)
    context.route(f"{NEUTRAL}**", lambda route: route.fulfill(status=200, content_type="text/html",
                                                              body="<title>Weather</title>"))
    page = context.new_page()
    try:
        _hold_everything(page, live_server.url, sent_report)
        _open(page, live_server.url, "status")
        _press_and_check(page, live_server.url, "status", sent_report, javascript=True, escape=True)
    finally:
        context.close()
