"""Headless Debian Chromium through Playwright, for the reporter and staff journeys.

`playwright install` cannot work on these machines: the suite drives the system's /usr/bin/chromium instead.
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = os.environ.get("UPSTANDER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_js_off(chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_js_on(chromium):
    context = chromium.new_context(java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


MODE_LABELS = {"named": "Named", "confidential": "Confidential", "anonymous": "Anonymous"}


def fill_report(page, base: str, *, narrative: str, mode: str = "anonymous", staff: bool = False,
                independent: bool = False, name: str = "", incident_on: tuple[str, str, str] = ("1", "5", "2024"),
                place: str = "", subject: tuple[str, str, str] = ("", "", ""), category: str = "Racism",
                part: str = "Someone told me about it", files: tuple[str, ...] = ()) -> None:
    """Walk the report form in a browser, one question per page, as a reporter would, up to "Check your answers"."""

    def next_page() -> None:
        page.get_by_role("button", name="Continue").click()

    page.goto(f"{base}/report/")
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label(MODE_LABELS[mode], exact=True).check()
    next_page()
    page.get_by_label("Yes, I am a police officer or member of staff" if staff else "No, I am a member of the public"
                      ).check()
    next_page()
    if staff:
        page.get_by_label("Only the independent overseer" if independent else
                          "The force's professional standards team and the independent overseer").check()
        next_page()
    if mode != "anonymous":
        page.get_by_label("Your name").fill(name)
        next_page()
    page.get_by_label("What happened?").fill(narrative)
    next_page()
    for label, value in zip(("Day", "Month", "Year"), incident_on, strict=True):
        page.get_by_label(label, exact=True).fill(value)
    next_page()
    page.get_by_label("Where did it happen? (optional)").fill(place)
    next_page()
    for label, value in zip(("Name (optional)", "Warrant or staff number (optional)",
                             "Team, unit or station (optional)"), subject, strict=True):
        page.get_by_label(label).first.fill(value)
    next_page()
    page.get_by_label(category).check()
    next_page()
    page.get_by_label(part).check()
    next_page()
    if staff:
        page.get_by_label("No", exact=True).check()
        next_page()
    if files:
        page.get_by_label("Add files (optional)").set_input_files(list(files))
    next_page()
    next_page()  # equality monitoring: optional


def submit_report(page, base: str, **answers) -> str:
    """fill_report(), then "Submit report"; returns the receipt shown."""
    fill_report(page, base, **answers)
    page.get_by_role("button", name="Submit report").click()
    return page.locator("#receipt").inner_text().strip()
