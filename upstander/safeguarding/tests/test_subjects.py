"""Subjects: restricted duties and suspension are recorded against them; leaving while under investigation does not
end the case, which continues to a former-officer outcome."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from upstander.audit.log import Actor
from upstander.cases.leavers import do_continue_cases_of_leavers
from upstander.cases.models import Decision
from upstander.people.actions import do_record_leaving
from upstander.people.models import HREvent, Person
from upstander.people.tests.roster import TABLES, load_roster
from upstander.safeguarding.subjects import do_record_subject_measure
from upstander.safeguarding.tests.helpers import allegation_from, staff_report

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


@pytest.fixture
def accused(cast):
    load_roster()
    roster = {p.number: p for p in Person.objects.all()}
    return allegation_from(staff_report(roster["1003"], roster["1004"]), cast.users["handler_a"])


def test_restricted_duties_and_suspension_are_recorded_against_the_subject(accused, cast):
    subject = accused.subject
    do_record_subject_measure(actor=cast.users["supervisor"], person=subject, kind="restricted_duties",
                              case=accused.case, reason="no contact with the reporter")
    do_record_subject_measure(actor=cast.users["overseer"], person=subject, kind="suspended", on=date(2025, 1, 6))
    kinds = list(HREvent.objects.filter(person=subject).order_by("occurred_on").values_list("kind", flat=True))
    assert "restricted_duties" in kinds and "suspended" in kinds
    with pytest.raises(PermissionDenied):
        do_record_subject_measure(actor=cast.users["handler_b"], person=subject, kind="suspended")


def test_resigning_under_investigation_continues_the_case_as_a_former_officer_case(accused, cast):
    state_before = accused.case.state
    do_record_leaving(actor=cast.users["supervisor"], person=accused.subject, on=date(2025, 3, 31), reason="resigned")
    subject = Person.objects.get(pk=accused.subject_id)
    assert subject.left_on == date(2025, 3, 31) and subject.leaving_reason == "resigned"
    assert HREvent.objects.get(person=subject, kind="left").leaving_reason == "resigned"
    decision = Decision.objects.get(allegation=accused, kind="former_officer")
    assert decision.value == "continues" and "barred-list referral" in decision.reasons
    accused.case.refresh_from_db()
    assert accused.case.state == state_before and accused.case.closed_on is None


def test_a_leaving_date_from_the_hr_feed_continues_the_case_too_and_only_once(accused):
    tables = copy.deepcopy(TABLES)
    rogers = next(p for p in tables["people"] if p["number"] == "1004")
    rogers.update(left_on="2025-04-30", leaving_reason="retired")
    load_roster(tables)
    load_roster(tables)
    assert Decision.objects.filter(allegation=accused, kind="former_officer").count() == 1


def test_a_death_ends_proceedings_and_records_no_continuation(accused, cast):
    do_record_leaving(actor=SYSTEM, person=accused.subject, on=date(2025, 3, 31), reason="died")
    assert not Decision.objects.filter(kind="former_officer").exists()


def test_only_those_who_may_record_a_leaver_can_continue_their_cases(accused, cast):
    """The continuation is a decision on the case: someone who may not record a leaving may not make it either."""
    for refused in ("handler_a", "analyst", "custodian"):
        with pytest.raises(PermissionDenied):
            do_record_leaving(actor=cast.users[refused], person=accused.subject, on=date(2025, 3, 31),
                              reason="resigned")
        with pytest.raises(PermissionDenied):
            do_continue_cases_of_leavers(actor=cast.users[refused], numbers=[accused.subject.number])
    assert not Decision.objects.filter(kind="former_officer").exists()
    do_record_leaving(actor=cast.users["overseer"], person=accused.subject, on=date(2025, 3, 31), reason="resigned")
    assert Decision.objects.get(kind="former_officer").decided_by == "user:overseer"
