"""Separation: a victim on the same team as the colleague they accused gets a safeguarding task whose default plan
moves the subject; the overseer's figure counts them until they are apart or the task is resolved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.people.models import HREvent, Person, Team
from upstander.people.tests.roster import load_roster
from upstander.safeguarding import separation
from upstander.safeguarding.actions import (
    SeparationRefused,
    do_carry_out_move,
    do_check_separation,
    do_record_consent,
    do_record_party,
    do_resolve_task,
    do_set_plan,
)
from upstander.safeguarding.models import Plan, SafeguardingTask
from upstander.safeguarding.tests.helpers import allegation_from, staff_report

pytestmark = [pytest.mark.django_db, pytest.mark.urls("upstander.people.tests.urls")]
SYSTEM = Actor.system("test")


@pytest.fixture
def roster(cast):
    load_roster()
    return {p.number: p for p in Person.objects.all()}


@pytest.fixture
def teammate_task(cast, roster):
    """PC Patel reports PC Rogers, on her team, for sexual misconduct; the workflow records the allegation."""
    allegation = allegation_from(staff_report(roster["1003"], roster["1004"]), cast.users["handler_a"])
    tasks = do_check_separation(actor=cast.users["handler_a"], allegation=allegation)
    assert len(tasks) == 1
    return tasks[0]


def test_a_sexual_misconduct_allegation_against_a_teammate_opens_a_task_that_moves_the_subject(teammate_task, roster):
    task = teammate_task
    assert (task.person, task.subject, task.person_role) == (roster["1003"], roster["1004"], "victim")
    assert task.shared == ["team", "line_manager", "shift", "location"]
    assert task.risk == "high" and task.plan == Plan.MOVE_SUBJECT
    assert separation.due_on(task) == task.opened_on + timedelta(days=1)
    assert "the same team (high risk)" in task.assessment["reasons"]
    event = AuditEvent.objects.get(action="safeguarding.task.open")
    assert "Patel" not in event.reason and "Rogers" not in event.reason


def test_the_figure_counts_the_victim_until_the_subject_is_moved_and_the_task_resolved(teammate_task, roster):
    assert separation.victims_alongside_subject_count() == 1
    with pytest.raises(SeparationRefused, match="they still share the same team"):
        do_resolve_task(actor=SYSTEM, task=teammate_task, resolution="done")
    do_carry_out_move(actor=SYSTEM, task=teammate_task, to_team=Team.objects.get(code="SW-R-A"))
    rogers = Person.objects.get(number="1004")
    assert rogers.team.code == "SW-R-A" and rogers.unit.code == "SW"
    move = HREvent.objects.filter(person=rogers, kind="transfer").latest("pk")
    assert move.outcome == "not_requested" and move.to_unit.code == "SW"
    assert Person.objects.get(number="1003").team.code == "NE-R-A"  # the victim stays where she is
    assert separation.victims_alongside_subject_count() == 0
    do_resolve_task(actor=SYSTEM, task=teammate_task, resolution="Subject moved to South West.")
    assert SafeguardingTask.objects.get(pk=teammate_task.pk).resolved_on is not None


def test_a_victim_who_chooses_to_stay_leaves_the_open_figure_but_is_still_counted_as_together(teammate_task):
    do_resolve_task(actor=SYSTEM, task=teammate_task, resolution="She wants to stay; he is restricted from contact.",
                    together_by_choice=True)
    assert separation.victims_alongside_subject_count() == 0
    assert len(separation.victims_alongside_subject(include_chosen=True)) == 1


def test_moving_the_victim_without_her_recorded_consent_is_refused(teammate_task, roster):
    with pytest.raises(SeparationRefused, match="needs the victim's recorded consent"):
        do_set_plan(actor=SYSTEM, task=teammate_task, plan=Plan.MOVE_VICTIM, reasons="easier to move her")
    do_record_consent(actor=SYSTEM, task=teammate_task, consents=False, note="said no on the phone")
    with pytest.raises(SeparationRefused):
        do_set_plan(actor=SYSTEM, task=teammate_task, plan=Plan.MOVE_VICTIM, reasons="easier to move her")
    do_record_consent(actor=SYSTEM, task=teammate_task, consents=True, note="asked to move nearer home")
    do_set_plan(actor=SYSTEM, task=teammate_task, plan=Plan.MOVE_VICTIM, reasons="at her own request")
    do_carry_out_move(actor=SYSTEM, task=teammate_task, to_team=Team.objects.get(code="SW-R-A"))
    assert HREvent.objects.get(person=roster["1003"], kind="transfer").outcome == "requested"
    assert separation.victims_alongside_subject_count() == 0


def test_only_the_overseer_acts_on_a_task(teammate_task, cast):
    with pytest.raises(PermissionDenied):
        do_set_plan(actor=cast.users["supervisor"], task=teammate_task, plan=Plan.RESTRICT_SUBJECT, reasons="x")
    do_set_plan(actor=cast.users["overseer"], task=teammate_task, plan=Plan.RESTRICT_SUBJECT, reasons="pending move")


def test_the_check_is_idempotent(teammate_task, cast):
    again = do_check_separation(actor=SYSTEM, allegation=teammate_task.allegation)
    assert again == [teammate_task] and SafeguardingTask.objects.count() == 1


def test_no_task_when_they_share_nothing_or_the_category_needs_no_separation(cast, roster):
    handler = cast.users["handler_a"]
    apart = allegation_from(staff_report(roster["1003"], roster["2001"]), handler)
    assert do_check_separation(actor=SYSTEM, allegation=apart) == []
    racism = allegation_from(staff_report(roster["1003"], roster["1004"], ("racism",)), handler)
    assert do_check_separation(actor=SYSTEM, allegation=racism) == []


def test_a_victim_recorded_after_a_witness_reported_is_checked_too(cast, roster):
    report = staff_report(roster["1005"], roster["1004"], ("bullying",), role="witness")
    allegation = allegation_from(report, cast.users["handler_a"])
    witness_tasks = do_check_separation(actor=SYSTEM, allegation=allegation)
    assert [(t.person.number, t.shared) for t in witness_tasks] == [("1005", ["location"])]
    assert witness_tasks[0].risk == "low" and witness_tasks[0].plan == Plan.RESTRICT_SUBJECT
    do_record_party(actor=cast.users["handler_a"], case=allegation.case, person=roster["1003"], role="victim")
    victim = SafeguardingTask.objects.get(person=roster["1003"])
    assert victim.person_role == "victim" and victim.plan == Plan.MOVE_SUBJECT


def test_a_handler_who_cannot_see_the_case_cannot_record_parties_on_it(cast, roster):
    allegation = allegation_from(staff_report(roster["1003"], roster["1004"]), cast.users["handler_a"])
    with pytest.raises(PermissionDenied):
        do_record_party(actor=cast.users["analyst"], case=allegation.case, person=roster["1005"],
                        role="supporting_witness")


def test_an_allegation_whose_subject_is_linked_later_is_checked_when_the_case_is_checked_again(cast, roster):
    from upstander.cases import actions as case_actions
    from upstander.safeguarding.actions import do_check_case_separation

    handler = cast.users["handler_a"]
    report = staff_report(roster["1003"], roster["1004"])
    case = case_actions.do_open_case(actor=handler, report=report)
    mention = report.mentions.get()
    allegation = case_actions.do_add_allegation(actor=handler, case=case, category="sexual_misconduct",
                                                mention=mention)
    assert do_check_separation(actor=handler, allegation=allegation) == []  # nobody to separate from yet
    case_actions.do_link_mention(actor=handler, mention=mention, person=roster["1004"])
    tasks = do_check_case_separation(actor=handler, case=case)
    assert [(t.person.number, t.subject.number) for t in tasks] == [("1003", "1004")]
