"""`upstander tick` turns clock breaches into escalations: first the supervisor, then the overseer's queue; each
breach once, however often it runs."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.cases import actions
from upstander.cases.escalations import do_mark_escalation_seen, escalations_for, run_tick
from upstander.cases.guards import Refused
from upstander.cases.models import Case, Escalation
from upstander.cases.tick_command import tick
from upstander.lib import clock

TICK = Actor.system("tick")


def _late_case(opened, days_ago: int = 20, **kwargs):
    return opened(received_on=clock.today() - timedelta(days=days_ago), **kwargs)


def test_tick_run_twice_escalates_an_unacknowledged_report_once_to_the_supervisor(opened, supervisor, overseer):
    case = _late_case(opened)
    first = run_tick(actor=TICK)
    assert first.escalated_to_supervisor == 1 and first.escalated_to_overseer == 0
    again = run_tick(actor=TICK)
    assert again.escalated_to_supervisor == 0 and again.breaches_open == 1
    escalation = Escalation.objects.get(case=case)
    assert escalation.breach_key == f"acknowledge:{(clock.today() - timedelta(days=13)).isoformat()}"
    assert escalation.level == "supervisor" and escalation.raised_by == "system:tick"
    assert list(escalations_for(supervisor)) == [escalation]
    assert list(escalations_for(overseer)) == []
    assert AuditEvent.objects.filter(action="case.escalate", actor="system:tick").count() == 1


def test_a_breach_the_supervisor_left_unmet_goes_into_the_overseers_queue_once(opened, overseer):
    case = _late_case(opened)
    run_tick(actor=TICK)
    later = clock.today() + timedelta(days=7)
    assert run_tick(actor=TICK, on=later).escalated_to_overseer == 1
    assert run_tick(actor=TICK, on=later).escalated_to_overseer == 0
    assert [e.case for e in escalations_for(overseer)] == [case]


def test_a_breach_that_was_put_right_is_not_escalated_further(opened, handler_a):
    case = _late_case(opened)
    run_tick(actor=TICK)
    actions.do_acknowledge(actor=handler_a, case=case)
    result = run_tick(actor=TICK, on=clock.today() + timedelta(days=7))
    assert result.escalated_to_overseer == 0 and result.breaches_open == 0


def test_an_investigation_open_a_year_after_the_matter_came_to_attention_is_reported_straight_to_the_overseer(
        opened, handler_a, roster, staff_user):
    case = _late_case(opened, days_ago=400)
    actions.do_acknowledge(actor=handler_a, case=case)
    allegation = actions.do_add_allegation(actor=handler_a, case=case, category="bullying", subject=roster["1004"])
    actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="misconduct")
    actions.do_record_assessment(actor=handler_a, case=case)
    actions.do_route(actor=handler_a, case=case, route="psu_investigation")
    actions.do_start_investigation(actor=handler_a, case=case)
    run_tick(actor=TICK, on=clock.today() + timedelta(days=1))
    levels = dict(Escalation.objects.filter(case=case).values_list("clock", "level"))
    assert levels["investigation"] == "overseer"


def test_tick_refreshes_the_due_date_cache_and_a_closed_case_has_none(opened, handler_a):
    case = _late_case(opened)
    Case.objects.filter(pk=case.pk).update(due_on=None, due_clock="")  # as bulk-written history would leave it
    assert run_tick(actor=TICK).due_dates_refreshed == 1
    case.refresh_from_db()
    assert case.due_on == clock.today() - timedelta(days=13) and case.due_clock == "acknowledge"
    actions.do_close(actor=handler_a, case=case, reasons="Duplicate of another case.")
    case.refresh_from_db()
    assert case.due_on is None


def test_tick_refuses_to_run_as_a_person(handler_a):
    with pytest.raises(Refused):
        run_tick(actor=handler_a)


def test_a_supervisor_marks_an_escalation_seen_and_a_handler_may_not(opened, supervisor, handler_a):
    _late_case(opened)
    run_tick(actor=TICK)
    escalation = Escalation.objects.get()
    with pytest.raises(Refused):
        do_mark_escalation_seen(actor=handler_a, escalation=escalation)
    do_mark_escalation_seen(actor=supervisor, escalation=escalation, note="Spoke to the owner; acknowledged today.")
    escalation.refresh_from_db()
    assert escalation.seen_by == "user:supervisor"


def test_the_tick_command_prints_one_json_document_and_is_idempotent(opened):
    _late_case(opened)
    runner = CliRunner()
    first = runner.invoke(tick, ["--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["escalated_to_supervisor"] == 1
    second = json.loads(runner.invoke(tick, ["--json"]).stdout)
    assert second["escalated_to_supervisor"] == 0 and second["breaches_open"] == 1


def test_on_the_synthetic_force_tick_run_twice_escalates_each_breach_once(installation):
    from datetime import date

    from upstander.worldgen.generate import generate

    truth = generate(200, 2, 7, progress=False)
    on = date.fromisoformat(truth["window"]["to"])
    first = run_tick(actor=TICK, on=on)
    assert first.breaches_open > 0
    assert first.escalated_to_supervisor + first.escalated_to_overseer == first.breaches_open
    second = run_tick(actor=TICK, on=on)
    assert second.breaches_open == first.breaches_open
    assert second.escalated_to_supervisor == second.escalated_to_overseer == 0
    assert Escalation.objects.count() == first.breaches_open
    assert not Case.objects.filter(closed_on__isnull=True, due_on__isnull=True, state__in=["received"]).exists()
