"""axe-core on every staff persona's page for today and on the pages its navigation leads to (issue 12): no serious
or critical violation, unique ids, every control named, at a laptop's width and a phone's."""

from __future__ import annotations

import pytest

from upstander.testing.axe import assert_no_serious_violations, assert_page_is_sound
from upstander.testing.fixtures import unused_code
from upstander.workspace.nav import nav_for

STAFF = ("handler_a", "supervisor", "facilitator", "custodian", "overseer", "analyst", "admin")
VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _signed_in(chromium, base: str, cast, username: str, viewport: dict):
    page = chromium.new_context(java_script_enabled=True, viewport=viewport).new_page()
    page.goto(f"{base}/accounts/login")
    assert_no_serious_violations(page, label="sign-in page")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(cast.passwords[username])
    page.get_by_label("Code from your authenticator app").fill(unused_code(username))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/today/")
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_staff_landing_page_passes_axe_for_every_persona(live_server, chromium, cast, viewport):
    for username in STAFF:
        page = _signed_in(chromium, live_server.url, cast, username, VIEWPORTS[viewport])
        assert_page_is_sound(page, label=f"{username}: today ({viewport})")
        assert_no_serious_violations(page, label=f"{username}: today ({viewport})")
        for item in nav_for(cast.users[username]):
            page.goto(f"{live_server.url}{item.url}")
            assert_no_serious_violations(page, label=f"{username}: {item.label} ({viewport})")
        page.context.close()
