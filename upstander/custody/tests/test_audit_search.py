"""The overseer's audit search at /audit/ (upstander/audit/views.py)."""

from __future__ import annotations

import pytest

from upstander.audit.models import AuditEvent
from upstander.lib import clock


def test_the_overseer_finds_who_looked_at_a_case_by_its_code(cast, staff_client, submit, open_case):
    report = submit()
    case = open_case(report)
    overseer = staff_client("overseer")
    response = overseer.get("/audit/", {"object": case.code})
    assert response.status_code == 200
    rows = response.context["rows"]
    found = {(e.action, e.object_id) for e in rows}
    assert ("report.submit", str(report.public_id)) in found  # the case code covers its reports too
    assert any(e.actor == "user:handler_a" for e in rows)
    assert all(e.object_id in {case.code, str(case.public_id), str(report.public_id)} for e in rows)


def test_every_search_is_itself_audited(cast, staff_client):
    overseer = staff_client("overseer")
    overseer.get("/audit/", {"actor": "user:handler_a", "action": "login"})
    event = AuditEvent.objects.filter(action="audit.search").latest("id")
    assert event.actor == "user:overseer"
    assert "actor=user:handler_a" in event.reason and "action=login" in event.reason


def test_the_search_filters_by_actor_action_and_day(cast, staff_client):
    staff_client("handler_a")
    overseer = staff_client("overseer")
    today = clock.today().isoformat()
    rows = overseer.get("/audit/", {"actor": "user:handler_a", "action": "login", "date_from": today,
                                    "date_to": today}).context["rows"]
    assert rows and all(e.actor == "user:handler_a" and e.action.startswith("login.") for e in rows)
    assert overseer.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).context["rows"] == []


@pytest.mark.parametrize("persona", ["handler_a", "supervisor", "custodian", "analyst", "admin", "facilitator"])
def test_only_the_overseer_searches_the_audit_log(cast, staff_client, persona):
    assert staff_client(persona).get("/audit/", {"object": "anything"}).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.search").exists()
