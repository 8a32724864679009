"""The overseer's audit search at /audit/ (oversight/audit_views.py, issue 12): people found by name or username, not
by the log's labels; a case code finds every event of the case; results in plain words, paged; every search audited;
nobody else may search."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from upstander.accounts.actions import do_create_staff_user, do_record_login
from upstander.accounts.models import Role, User
from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.custody.tests.world import World, build_world
from upstander.lib import clock
from upstander.testing.fixtures import login

INTERNAL = re.compile(r"user:\w|system:\w|person:\w|token:\w|cases\.case|\.toml|docs/|upstander \w+ --")


@pytest.fixture
def world(db, tmp_path) -> World:
    world = build_world(tmp_path)
    harriet, _ = do_create_staff_user(actor=Actor.system("setup"), username="hhughes", password="a-long-password-1",
                                      role=Role.HANDLER, first_name="Harriet", last_name="Hughes")
    do_record_login(user=harriet, ok=True)
    return world


@pytest.fixture
def overseer(world) -> Client:
    return login(Client(), world.cast, "overseer")


def _rows(client: Client, **params) -> list[AuditEvent]:
    response = client.get("/audit/", params)
    assert response.status_code == 200, response.context["form"].errors
    return response.context["rows"]


def test_typing_a_first_name_finds_that_persons_events_and_shows_them_by_name(overseer):
    rows = _rows(overseer, actor="Harriet")
    assert rows and {e.actor for e in rows} == {"user:hhughes"}
    assert "login.success" in {e.action for e in rows}
    html = overseer.get("/audit/", {"actor": "harriet hughes"}).content.decode()
    assert "Harriet Hughes (case handler / investigator)" in html and not INTERNAL.search(html)


def test_typing_part_of_a_username_finds_every_account_it_matches(overseer):
    actors = {e.actor for e in _rows(overseer, actor="handler")}
    assert "user:handler_a" in actors and actors <= {"user:handler_a", "user:handler_b", "user:handler_east"}
    assert {e.actor for e in _rows(overseer, actor="user:handler_a")} == {"user:handler_a"}  # a label still works
    assert _rows(overseer, actor="nobody-has-this-name") == []


def test_a_named_system_actor_is_found_by_what_it_is(overseer):
    assert {e.actor for e in _rows(overseer, actor="set-up")} == {"system:setup"}


def test_a_case_code_finds_every_event_of_the_case_and_none_of_another(world, overseer):
    rows = _rows(overseer, object=world.case.code.lower())
    actions = {e.action for e in rows}
    assert {"report.submit", "case.open", "mention.link", "allegation.create", "safeguarding.task.open",
            "identity.request", "retention.hold", "safeguarding.alert.open", "safeguarding.alert.claim"} <= actions
    other = world.other_unit_case
    theirs = {other.code, str(other.public_id)} | {str(r.public_id) for r in other.reports.all()}
    assert not any(e.object_id in theirs for e in rows)
    html = overseer.get("/audit/", {"object": world.case.code}).content.decode()
    assert f'href="/cases/{world.case.code}/"' in html and "allegation on case" in html
    assert "person named in a report on case" in html and not INTERNAL.search(html)


def test_the_results_are_paged_and_every_page_keeps_the_search(overseer):
    harriet = User.objects.get(username="hhughes")
    for _ in range(50):
        do_record_login(user=harriet, ok=True)
    today = clock.today().isoformat()
    first = overseer.get("/audit/", {"date_from": today})
    page = first.context["page"]
    assert page.paginator.per_page == 50 and page.paginator.num_pages >= 2 and len(first.context["rows"]) == 50
    html = first.content.decode()
    assert f"?date_from={today}&amp;page=2&amp;until=" in html
    until = re.search(r"until=([^\"&]+)", html).group(1)
    second = overseer.get(f"/audit/?date_from={today}&page=2&until={until}").context["rows"]
    assert second and max(e.id for e in second) < min(e.id for e in first.context["rows"])


def test_the_search_finds_actions_by_their_words_and_by_day(overseer):
    assert {e.action for e in _rows(overseer, action="identity request")} == {"identity.request"}
    assert {e.action for e in _rows(overseer, action="login")} <= {"login.success", "login.failure"}
    assert {e.action for e in _rows(overseer, action="retention.")} == {"retention.hold"}
    assert _rows(overseer, date_from="2000-01-01", date_to="2000-01-02") == []
    refused = overseer.get("/audit/", {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert refused.status_code == 400 and "The end date is before the start date." in refused.content.decode()


def test_every_search_is_itself_audited_and_shown_in_plain_words(overseer):
    overseer.get("/audit/", {"actor": "user:handler_a", "action": "login"})
    event = AuditEvent.objects.filter(action="audit.search").latest("id")
    assert event.actor == "user:overseer"
    assert "actor=user:handler_a" in event.reason and "action=login" in event.reason
    html = overseer.get("/audit/", {"action": "audit search"}).content.decode()
    assert "actor=Handler A (case handler / investigator)" in html and not INTERNAL.search(html)


@pytest.mark.parametrize("persona", ["handler_a", "supervisor", "custodian", "analyst", "admin", "facilitator"])
def test_only_the_overseer_searches_the_audit_log(world, persona):
    client = login(Client(), world.cast, persona)
    assert client.get("/audit/", {"object": "anything"}).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.search").exists()
