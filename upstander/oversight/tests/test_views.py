"""The overseer's queue lists every overdue case by how late it is; the force can neither see it nor filter it."""

from __future__ import annotations

from datetime import timedelta

from upstander.audit.log import Actor
from upstander.cases import actions
from upstander.cases.escalations import run_tick
from upstander.lib import clock


def test_the_overseer_sees_every_overdue_case_most_late_first(opened, staff_client):
    later = opened(received_on=clock.today() - timedelta(days=10))
    earliest = opened(received_on=clock.today() - timedelta(days=30))
    on_time = opened()
    page = staff_client("overseer").get("/oversight/").content.decode()
    assert page.index(earliest.code) < page.index(later.code)
    assert on_time.code not in page
    assert "23" in page  # 30 days since receipt, 7 to acknowledge


def test_the_overseers_queue_takes_no_filter_from_anyone(opened, staff_client):
    late = opened(received_on=clock.today() - timedelta(days=10))
    client = staff_client("overseer")
    for params in ({"state": "closed"}, {"overdue": ""}, {"owner": "nobody"}, {"code": "X"}):
        assert late.code in client.get("/oversight/", params).content.decode()


def test_the_force_is_refused_every_oversight_view(staff_client):
    for persona in ("handler_a", "supervisor", "analyst", "admin"):
        client = staff_client(persona)
        for url in ("/oversight/", "/oversight/escalations/", "/oversight/statistics/"):
            assert client.get(url).status_code == 403, (persona, url)


def test_a_case_leaves_the_overseers_queue_only_by_meeting_its_deadline(opened, staff_client, handler_a):
    late = opened(received_on=clock.today() - timedelta(days=10))
    client = staff_client("overseer")
    assert late.code in client.get("/oversight/").content.decode()
    actions.do_acknowledge(actor=handler_a, case=late)
    assert late.code not in client.get("/oversight/").content.decode()


def test_escalations_reach_the_overseer_after_the_supervisor_and_show_in_their_list(opened, staff_client):
    late = opened(received_on=clock.today() - timedelta(days=20))
    run_tick(actor=Actor.system("tick"))
    client = staff_client("overseer")
    assert late.code not in client.get("/oversight/escalations/").content.decode()
    run_tick(actor=Actor.system("tick"), on=clock.today() + timedelta(days=7))
    assert late.code in client.get("/oversight/escalations/").content.decode()


def test_the_statistics_count_handovers_and_times_a_victim_was_asked(opened, staff_client, handler_a, handler_b):
    case = opened()
    actions.do_assign_owner(actor=handler_a, case=case, user=handler_b, reason="Annual leave for three weeks.")
    actions.do_record_statement(actor=handler_b, case=case, text="What happened.", data_key=case.data_key)
    page = staff_client("overseer").get("/oversight/statistics/").content.decode()
    assert "1.00 handovers per case" in page
    assert "<tr><td>1</td><td>1</td></tr>" in page
