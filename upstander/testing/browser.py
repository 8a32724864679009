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
