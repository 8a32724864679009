"""generate() writing into the real database (SQLite or PostgreSQL, whichever the suite runs on)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from upstander.audit.log import verify_chain
from upstander.audit.models import AuditEvent
from upstander.cases.models import Allegation, Assignment, Case, Report, ReporterLink, StageEvent, SubjectMention
from upstander.people.models import HREvent, Person, Unit, UnitHistory
from upstander.worldgen.generate import WorldExists, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def truth():
    return generate(200, 2, 5, progress=False)


def test_it_writes_as_many_rows_as_the_truth_says(truth):
    rows = truth["rows"]
    assert Person.objects.count() == rows["people.person"] == sum(
        truth["organisation"][k] for k in ("in_post", "leavers"))
    assert Case.objects.count() == rows["cases.case"] > 0
    assert HREvent.objects.count() == rows["people.hrevent"]
    assert UnitHistory.objects.count() == rows["people.unithistory"]
    assert SubjectMention.objects.count() == rows["reports.subjectmention"] == len(truth["mentions"])


def test_every_case_has_stage_events_and_a_state_that_is_its_last_stage(truth):
    assert not Case.objects.filter(stage_events__isnull=True).exists()
    for case in Case.objects.all()[:50]:
        last = StageEvent.objects.filter(case=case).order_by("at", "id").last()
        assert last.stage == case.state


def test_the_chain_of_command_in_the_database_has_no_cycles(truth):
    manager = dict(Person.objects.values_list("id", "line_manager_id"))
    for start in manager:
        seen, current = {start}, manager[start]
        while current is not None:
            assert current not in seen, "line-manager cycle"
            seen.add(current)
            current = manager[current]
    assert Unit.objects.filter(is_professional_standards=True).count() == 1
    assert not Unit.objects.filter(head__isnull=True).exists()


def test_planted_crews_are_subjects_together_in_at_least_three_cases(truth):
    subjects = defaultdict(set)
    for case_id, number in Allegation.objects.filter(subject__isnull=False).values_list("case_id", "subject__number"):
        subjects[case_id].add(number)
    for crew in truth["crews"]:
        together = [c for c, numbers in subjects.items() if set(crew["members"]) <= numbers]
        assert len(together) >= 3


def test_mentions_of_repeat_subjects_stay_unresolved_until_the_last(truth):
    for subject in truth["repeat_subjects"]:
        for written in subject["mentions"]:
            mention = SubjectMention.objects.get(public_id=written["mention"])
            assert (mention.person is not None) == written["linked"]
            assert mention.name_as_written == written["name"]
            if mention.person is not None:
                assert mention.person.number == subject["person"]


def test_staff_who_reported_by_name_or_in_confidence_are_linked_and_anonymous_ones_are_not(truth):
    linked_modes = set(Report.objects.filter(reporter_link__isnull=False).values_list("mode", flat=True))
    assert linked_modes <= {"named", "confidential"} and linked_modes
    assert ReporterLink.objects.count() == truth["rows"]["reports.reporterlink"]


def test_investigators_are_professional_standards_staff(truth):
    psu = Unit.objects.get(is_professional_standards=True)
    holders = Person.objects.filter(id__in=Assignment.objects.values("person_id"))
    assert holders.exists() and not holders.exclude(unit=psu).exists()


def test_each_batch_is_audited_and_the_chain_still_verifies(truth):
    assert AuditEvent.objects.filter(action="worldgen.batch", actor="system:worldgen").count() >= 10
    assert AuditEvent.objects.filter(action="worldgen.complete").count() == 1
    assert verify_chain().ok


def test_it_refuses_a_database_that_already_holds_a_world(truth):
    with pytest.raises(WorldExists, match="empty database"):
        generate(200, 2, 6, progress=False)
    assert Person.objects.count() == truth["rows"]["people.person"]


def test_open_cases_carry_their_clock_cache_and_closed_ones_none(truth):
    open_cases = Case.objects.filter(closed_on__isnull=True)
    assert open_cases.exists()
    assert not open_cases.filter(due_on__isnull=True).exclude(state="closed").exists()
    assert not Case.objects.filter(closed_on__isnull=False, due_on__isnull=False).exists()


def test_real_actions_can_add_rows_after_the_bulk_write(truth):
    """Explicit ids bypass PostgreSQL's sequences; they must have been moved past the generated rows."""
    from datetime import date

    from upstander.audit.log import Actor
    from upstander.people.actions import do_transfer_person
    from upstander.people.models import Team

    person = Person.objects.filter(left_on__isnull=True, kind="officer", rank="Constable").order_by("number").first()
    team = Team.objects.exclude(unit=person.unit).filter(unit__is_professional_standards=False).order_by("code").first()
    event = do_transfer_person(actor=Actor.system("test"), person=person, to_team=team, on=date(2026, 7, 1),
                               reason="test", requested=True)
    assert event.pk > truth["rows"]["people.hrevent"]
    assert UnitHistory.objects.filter(person=person, ended_on__isnull=True).get().team == team
