"""Every reporter page, in a real browser at phone width: axe-core finds no serious or critical violation, and the
checks axe misses hold (unique ids, every control named, error summary links that land on their field, the error
summary first and focused, the quick exit button on screen wherever the page is scrolled). Each question page is
checked twice: empty, and after "Continue" with nothing filled in, so its error state is checked too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from upstander.testing.axe import assert_page_is_sound, duplicate_ids, error_links_that_miss, unnamed_controls

PHONE = {"width": 390, "height": 844}


def _exit_button_stays_on_screen(page, label: str) -> None:
    """Scrolled to the very end of the page, the button is still at the top of the screen (a sticky header)."""
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")  # DevTools: JS off too
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None and 0 <= box["y"] <= 60 and box["height"] > 20, (label, box)
    page.evaluate("() => window.scrollTo(0, 0)")


def _sound(page, label: str, *, axe: bool = True) -> None:
    if axe:
        assert_page_is_sound(page, label=label)
    else:  # JavaScript off: axe cannot run in the page, the other checks can
        assert not duplicate_ids(page), (label, duplicate_ids(page))
        assert not unnamed_controls(page), (label, unnamed_controls(page))
        assert not error_links_that_miss(page), (label, error_links_that_miss(page))
    _exit_button_stays_on_screen(page, label)


def _continue_empty_then_check(page, label: str, axe: bool) -> None:
    """Press Continue with nothing given: the error summary comes first in <main>, has focus, and is sound."""
    page.get_by_role("button", name="Continue").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    first = page.locator("main > *").first
    assert first.get_attribute("id") == "error-summary", label
    if axe:
        assert page.evaluate("() => document.activeElement.id") == "error-summary", label
    assert page.title().startswith("Error: "), label
    _sound(page, f"{label} (with errors)", axe=axe)


def _walk_and_check(page, base: str, axe: bool) -> str:
    page.goto(f"{base}/report/")
    _sound(page, "start", axe=axe)
    page.get_by_role("link", name="Start a report").click()
    steps = [
        ("how", lambda: page.get_by_label("Named", exact=True).check()),
        ("staff", lambda: page.get_by_label("Yes, I am a police officer or member of staff").check()),
        ("route", lambda: page.get_by_label("Only the independent overseer").check()),
        ("about-you", lambda: page.get_by_label("Your name").fill("Sam Speaker")),
        ("what", lambda: page.get_by_label("What happened?").fill("My sergeant mocked my accent in briefings.")),
        ("when", lambda: [page.get_by_label(k, exact=True).fill(v) for k, v in
                          (("Day", "3"), ("Month", "4"), ("Year", "2024"))]),
        ("where", lambda: page.get_by_label("Where did it happen? (optional)").fill("North Borough station")),
        ("who", lambda: page.get_by_label("Name (optional)").first.fill("Sgt Derek Dyer")),
        ("about", lambda: page.get_by_label("Racism").check()),
        ("your-part", lambda: page.get_by_label("It happened to me").check()),
        ("alongside", lambda: page.get_by_label("Yes", exact=True).check()),
    ]
    required = {"how", "staff", "route", "about-you", "what", "about", "your-part", "alongside"}
    for slug, answer in steps:
        page.wait_for_url(f"{base}/report/new/{slug}")
        _sound(page, slug, axe=axe)
        if slug in required:
            _continue_empty_then_check(page, slug, axe)
        if slug == "when":  # a date that cannot be: the error state of the date fields
            page.get_by_label("Day", exact=True).fill("31")
            page.get_by_label("Month", exact=True).fill("2")
            page.get_by_label("Year", exact=True).fill("2024")
            page.get_by_role("button", name="Continue").click()
            _sound(page, "when (with errors)", axe=axe)
        answer()
        page.get_by_role("button", name="Continue").click()
    for slug in ("files", "equality"):
        page.wait_for_url(f"{base}/report/new/{slug}")
        _sound(page, slug, axe=axe)
        if slug == "files":  # a program is refused: the error state of the files page
            page.get_by_label("Add files (optional)").set_input_files(
                {"name": "tool.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00" + b"\x00" * 64})
            page.get_by_role("button", name="Continue").click()
            expect(page.locator("#error-summary")).to_be_visible()
            _sound(page, "files (with errors)", axe=axe)
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/report/new/check")
    _sound(page, "check", axe=axe)
    page.get_by_role("button", name="Submit report").click()
    receipt = page.locator("#receipt").inner_text().strip()
    _sound(page, "receipt", axe=axe)
    return receipt


def _status_pages(page, base: str, receipt: str, axe: bool) -> None:
    page.goto(f"{base}/report/return")
    _sound(page, "return", axe=axe)
    _continue_empty_then_check(page, "return", axe)
    page.get_by_label("Receipt").fill(receipt)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/report/status")
    _sound(page, "status", axe=axe)
    page.get_by_role("button", name="Report retaliation").click()
    assert page.locator("main > *").first.get_attribute("id") == "error-summary"
    link = page.locator("#error-summary a")
    assert link.get_attribute("href") == "#id_retaliation-body"
    _sound(page, "status (retaliation with errors)", axe=axe)
    page.get_by_label("What has happened to you since you reported").fill("I was moved off the team.")
    page.get_by_role("button", name="Report retaliation").click()
    expect(page.locator(".tag-retaliation")).to_have_text("You reported retaliation")
    _sound(page, "status (after retaliation)", axe=axe)


def _saved_and_resume(page, base: str, axe: bool) -> None:
    page.goto(f"{base}/report/new/how")
    page.get_by_label("Anonymous", exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    code = page.locator("#saved-code").inner_text().strip()
    _sound(page, "saved", axe=axe)
    page.goto(f"{base}/report/new/resume")
    _sound(page, "resume", axe=axe)
    _continue_empty_then_check(page, "resume", axe)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/report/new/staff")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_every_reporter_page_passes_axe_and_the_checks_axe_misses_at_phone_width(
        live_server, chromium, cast, javascript):
    context = chromium.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    try:
        receipt = _walk_and_check(page, live_server.url, javascript)
        assert re.fullmatch(r"[a-z]+( [a-z]+){6}", receipt)
        _status_pages(page, live_server.url, receipt, javascript)
        _saved_and_resume(page, live_server.url, javascript)
    finally:
        context.close()


@pytest.mark.browser
def test_the_checks_find_what_they_look_for(chromium):
    """Positive control: on a page made to fail, axe reports a serious violation and the other checks each fire."""
    context = chromium.new_context(java_script_enabled=True)
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main><div class="error-summary"><a href="#nowhere">Bad</a>'
                     '</div><p id="twice">a</p><p id="twice">b</p><div class="field"><input type="text" id="x">'
                     '</div><img src="data:," ></main></html>')
    try:
        from upstander.testing.axe import serious_violations

        assert {v["id"] for v in serious_violations(page)} >= {"label", "image-alt"}
        assert duplicate_ids(page) == ["twice"]
        assert len(unnamed_controls(page)) == 1
        assert error_links_that_miss(page) == ["#nowhere"]
    finally:
        context.close()
