"""A handler signs in with password and TOTP in a real browser and sees the case list."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from upstander.accounts.models import Organisation, OrganisationKind
from upstander.audit.log import Actor, record
from upstander.cases.models import Case
from upstander.testing.fixtures import current_code


def _seed_case(code: str) -> None:
    # Test data through an audited write, as the world generator does for invented history.
    with transaction.atomic():
        Case.objects.create(code=code, handling_org=Organisation.objects.get(kind=OrganisationKind.FORCE),
                            opened_on=timezone.localdate(), came_to_attention_on=timezone.localdate(),
                            main_category="bullying", state="received")
        record(Actor.system("test"), "test.seed_case", object_type="case", object_id=code)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_handler_signs_in_with_a_second_factor_and_sees_cases(live_server, page_js_off, cast):
    _seed_case("UP-TEST-0001")
    page = page_js_off
    page.goto(f"{live_server.url}/cases/")
    assert "/accounts/login" in page.url
    page.get_by_label("Username").fill("handler_a")
    page.get_by_label("Password").fill(cast.passwords["handler_a"])
    page.get_by_label("Code from your authenticator app").fill(current_code(cast.totp_keys["handler_a"]))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/cases/")
    assert page.get_by_role("heading", name="Cases").is_visible()
    assert page.get_by_role("cell", name="UP-TEST-0001").is_visible()
    assert page.get_by_role("cell", name="Bullying or harassment").is_visible()
