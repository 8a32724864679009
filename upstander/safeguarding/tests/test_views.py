"""The overseer's safeguarding pages: the victims-still-with-subject figure, tasks and alerts. Everyone else: 403."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.lib import clock
from upstander.people.models import Person
from upstander.people.tests.roster import load_roster
from upstander.safeguarding.access import get_alert_for, get_task_for
from upstander.safeguarding.actions import do_check_separation
from upstander.safeguarding.models import SafeguardingTask
from upstander.safeguarding.retaliation import do_report_retaliation
from upstander.safeguarding.tests.helpers import allegation_from, staff_report

pytestmark = [pytest.mark.django_db, pytest.mark.urls("upstander.people.tests.urls")]
NOT_OVERSEER = ["handler_a", "handler_b", "supervisor", "facilitator", "custodian", "analyst", "admin"]


@pytest.fixture
def task(cast):
    load_roster()
    roster = {p.number: p for p in Person.objects.all()}
    allegation = allegation_from(staff_report(roster["1003"], roster["1004"]), cast.users["handler_a"])
    return do_check_separation(actor=cast.users["handler_a"], allegation=allegation)[0]


def figure(client: Client) -> int:
    page = client.get("/safeguarding/").content.decode()
    return int(re.search(r'id="together-count">(\d+)<', page).group(1))


@pytest.mark.parametrize("username", NOT_OVERSEER)
def test_nobody_but_the_overseer_reaches_any_safeguarding_page(staff_client, task, username):
    client = staff_client(username)
    for url in ["/safeguarding/", "/safeguarding/rates", f"/safeguarding/tasks/{task.public_id}"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/safeguarding/tasks/{task.public_id}", {"step": "resolve", "resolution": "x",
                                                                  "together_by_choice": "on"}).status_code == 403
    assert SafeguardingTask.objects.get(pk=task.pk).resolved_on is None


def test_a_visitor_is_sent_to_log_in(task):
    response = Client().get("/safeguarding/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_the_overseer_sees_the_figure_moves_the_subject_and_resolves_the_task(staff_client, task):
    overseer = staff_client("overseer")
    assert figure(overseer) == 1
    page = overseer.get(f"/safeguarding/tasks/{task.public_id}").content.decode()
    assert "Move the subject to another team" in page and "the same team" in page
    refused = overseer.post(f"/safeguarding/tasks/{task.public_id}", {"step": "resolve", "resolution": "done"})
    assert refused.status_code == 400 and "they still share" in refused.content.decode()
    assert overseer.post(f"/safeguarding/tasks/{task.public_id}", {"step": "move", "to_team": "SW-R-A"}).status_code == 302
    assert figure(overseer) == 0
    assert overseer.post(f"/safeguarding/tasks/{task.public_id}",
                         {"step": "resolve", "resolution": "Subject moved."}).status_code == 302
    assert SafeguardingTask.objects.get(pk=task.pk).resolved_on is not None


def test_the_victim_is_not_moved_from_the_page_without_consent(staff_client, task):
    overseer = staff_client("overseer")
    response = overseer.post(f"/safeguarding/tasks/{task.public_id}",
                             {"step": "plan", "plan": "move_victim", "reasons": "simpler"})
    assert response.status_code == 400 and "recorded consent" in response.content.decode()
    assert SafeguardingTask.objects.get(pk=task.pk).plan == "move_subject"


def test_the_overseer_sees_the_last_monitoring_runs_rates(staff_client, task):
    from upstander.audit.log import Actor
    from upstander.safeguarding.retaliation import run_retaliation_monitoring

    overseer = staff_client("overseer")
    assert "has not run yet" in overseer.get("/safeguarding/rates").content.decode()
    run_retaliation_monitoring(actor=Actor.system("test"), as_of=clock.today() + timedelta(days=200))
    page = overseer.get("/safeguarding/rates").content.decode()
    assert "Whole force" in page and "1 had too few comparable" in page  # a roster of six has few peers


def test_opening_a_task_or_an_alert_is_audited_and_nobody_else_learns_either_exists(cast, staff_client, task):
    alert = do_report_retaliation(actor=Actor.reporter(), report=task.case.reports.get(), kinds=["involuntary_transfer"])
    for username in NOT_OVERSEER:
        with pytest.raises(Http404):
            get_task_for(cast.users[username], task.public_id)
        with pytest.raises(Http404):
            get_alert_for(cast.users[username], alert.public_id)
    overseer = staff_client("overseer")
    assert overseer.get(f"/safeguarding/tasks/{task.public_id}").status_code == 200
    assert overseer.get(f"/safeguarding/alerts/{alert.public_id}").status_code == 200
    views = AuditEvent.objects.filter(actor="user:overseer", action__endswith=".view")
    assert sorted(views.values_list("action", "object_id")) == [
        ("safeguarding.alert.view", str(alert.public_id)), ("safeguarding.task.view", str(task.public_id))]
    assert overseer.post(f"/safeguarding/alerts/{alert.public_id}/close", {"note": "Spoke to the unit."}).status_code == 302
    assert views.count() == 2  # the close is audited as the close, not as another look
