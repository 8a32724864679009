"""A handler signs in with password and TOTP in a real browser and sees the case list."""

from __future__ import annotations

import pytest

from upstander.testing.fixtures import current_code


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_handler_signs_in_with_a_second_factor_and_sees_cases(live_server, page_js_off, cast, opened):
    case = opened()  # a report submitted and opened as a case through the real actions
    page = page_js_off
    page.goto(f"{live_server.url}/cases/")
    assert "/accounts/login" in page.url
    page.get_by_label("Username").fill("handler_a")
    page.get_by_label("Password").fill(cast.passwords["handler_a"])
    page.get_by_label("Code from your authenticator app").fill(current_code(cast.totp_keys["handler_a"]))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/cases/")
    assert page.get_by_role("heading", name="Cases").is_visible()
    assert page.get_by_role("link", name=case.code).is_visible()
    assert page.get_by_role("cell", name="Bullying or harassment").is_visible()
