"""The case pages in a real browser (issue 12): a handler's first case page shows the summary, the deadlines and the
next step above the fold on a 1280 × 800 screen, an action is confirmed in plain words, and on a 390 px phone the
queue, the inbox, the case page and the roster search fit the screen without scrolling sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest

from upstander.lib import clock
from upstander.testing.fixtures import current_code

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _signed_in(chromium, base: str, cast, viewport: dict, username: str = "handler_a"):
    page = chromium.new_context(java_script_enabled=True, viewport=viewport).new_page()
    page.goto(f"{base}/accounts/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(cast.passwords[username])
    page.get_by_label("Code from your authenticator app").fill(current_code(cast.totp_keys[username]))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/today/")
    return page


def _bottom(page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_handlers_first_case_page_shows_summary_deadlines_and_next_step_above_the_fold(
        live_server, chromium, cast, opened):
    case = opened()
    page = _signed_in(chromium, live_server.url, cast, LAPTOP)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name=case.code).click()
    assert page.get_by_role("heading", name=f"Case {case.code}").is_visible()
    fold = LAPTOP["height"]
    for region in ("#summary", "#clocks", "#next-steps"):
        assert _bottom(page, region) < fold, f"{region} ends below the fold at {_bottom(page, region)} px"
    primary = page.locator("#next-steps button.primary")
    assert primary.inner_text() == "Acknowledge receipt" and _bottom(page, "#next-steps button.primary") < fold
    assert "Acknowledge receipt to the reporter" in page.locator("#clocks").inner_text()
    # The step forward is the one primary button; the rest are visibly different.
    colours = page.eval_on_selector_all(
        "main button", "bs => bs.map(b => [b.className, getComputedStyle(b).backgroundColor])")
    primary_colour = {c for cls, c in colours if "primary" in cls}
    assert len(primary_colour) == 1 and all(c not in primary_colour for cls, c in colours if "primary" not in cls)

    primary.click()
    notice = page.locator(".notices").inner_text()
    assert "Receipt acknowledged." in notice and "The reporter's timeline now says" in notice
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_queue_inbox_case_page_and_roster_search_fit_a_390_px_phone(
        live_server, chromium, cast, opened, make_report):
    late = opened(received_on=clock.today() - timedelta(days=30))
    opened()
    make_report()  # one waiting in the inbox
    page = _signed_in(chromium, live_server.url, cast, PHONE)
    mention = late.reports.get().mentions.get()
    for path in ("/cases/", "/cases/?overdue=on", "/cases/inbox/", f"/cases/{late.code}/",
                 f"/cases/{late.code}/people?q=Sgt+Derek+Dyer&mention={mention.public_id}"):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px phone"
    page.context.close()
