"""The staff workspace (issue 12): every role reaches the pages it needs from the navigation alone, lands on a page
that says what needs doing today, and meets plain-language error pages rather than bare ones."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from upstander.custody.tests.test_every_url_every_persona import TABLE
from upstander.workspace.nav import NAV

STAFF = ("handler_a", "supervisor", "facilitator", "custodian", "overseer", "analyst", "admin")
# Words a member of staff should never have to read: internal labels, model ids, file paths, commands.
INTERNAL = re.compile(r"user:\w|system:\w|person:\w|cases\.case|\.toml|docs/|upstander \w+ --|run upstander")


def _route_of(url: str) -> str:
    return url.lstrip("/")


def test_every_navigation_link_is_a_page_its_roles_may_open_by_the_url_table():
    for item in NAV:
        allowed, _ = TABLE[_route_of(item.url)]
        for role in item.roles:
            personas = {p for p in allowed if p == role or p.startswith(f"{role}_")}
            assert personas, f"{item.label} is offered to {role}, but the URL table does not admit them"


@pytest.mark.parametrize("username", STAFF)
def test_each_persona_reaches_every_page_in_their_navigation(cast, staff_client, username):
    client = staff_client(username)
    page = client.get("/today/")
    assert page.status_code == 200
    html = page.content.decode()
    links = re.findall(r'<nav class="staff-nav".*?</nav>', html, re.S)[0]
    hrefs = re.findall(r'href="([^"]+)"', links)
    assert "/today/" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, f"{username}: {href}"
    assert not INTERNAL.search(html), INTERNAL.search(html)


def test_the_front_door_sends_staff_to_today_and_anyone_else_to_the_reporter_side(cast, staff_client):
    anonymous = Client().get("/")
    assert anonymous.status_code == 200 and 'href="/report/"' in anonymous.content.decode()
    assert staff_client("handler_a").get("/")["Location"] == "/today/"


def test_a_refusal_says_what_to_do_next(cast, staff_client):
    response = staff_client("handler_a").get("/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot open this page" in html and 'href="/today/"' in html


def test_a_missing_case_is_a_page_not_found_that_does_not_confirm_anything(cast, staff_client):
    response = staff_client("handler_a").get("/cases/NO-SUCH/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "we do not say which" in html


def test_the_overseer_sees_alerts_and_approvals_waiting_on_their_page_for_today(cast, staff_client):
    html = staff_client("overseer").get("/today/").content.decode()
    for label in ("Cases past a deadline", "New reports to look at", "Open retaliation alerts",
                  "Identity openings waiting for your approval"):
        assert label in html
