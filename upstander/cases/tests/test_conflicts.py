"""Independent assessors: an assignment is refused when the person is not independent of the case — unless the
overseer records an override with reasons. The refusal names no rule and no one (a rule about the reporter would
point at them); the reasons are kept for the overseer."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from upstander.audit.log import Actor
from upstander.cases import actions
from upstander.cases.conflicts import REFUSAL, ConflictOfInterest, conflicts_for, findings_for
from upstander.cases.guards import ReasonsRequired, Refused
from upstander.people.actions import do_declare_association


def _with_allegation(opened, handler, roster, **report):
    case = opened(**report)
    actions.do_add_allegation(actor=handler, case=case, category="bullying", subject=roster["1004"])
    return case


def test_it_refuses_an_assessor_in_the_subjects_chain_of_command_and_tells_only_the_overseer_why(
        opened, handler_a, overseer, roster, staff_user):
    case = _with_allegation(opened, handler_a, roster)
    inspector = staff_user("1002")
    with pytest.raises(ConflictOfInterest) as refused:
        actions.do_assign(actor=handler_a, case=case, role="assessor", user=inspector)
    assert str(refused.value) == REFUSAL
    assert not case.assignments.filter(role="assessor").exists()
    [finding] = findings_for(overseer, case)
    assert "assessor Brian Baker (1002)" in finding.reasons and finding.by == "user:handler_a"
    assert "chain of command of the subject Derek Dyer (2 level(s) up)" in finding.reasons
    assert "same operational unit (North Borough)" in finding.reasons
    with pytest.raises(PermissionDenied):
        findings_for(handler_a, case)


def test_it_refuses_the_subject_themselves(opened, handler_a, roster, staff_user):
    case = _with_allegation(opened, handler_a, roster)
    with pytest.raises(ConflictOfInterest):
        actions.do_assign(actor=handler_a, case=case, role="investigator", user=staff_user("1004"))
    assert [c.code for c in conflicts_for(case, roster["1004"])] == ["subject"]


def test_it_refuses_a_colleague_in_the_same_unit_who_is_not_in_the_chain(opened, handler_a, roster, staff_user):
    case = _with_allegation(opened, handler_a, roster)
    found = conflicts_for(case, roster["1007"])
    assert [c.code for c in found] == ["subject_unit"]


def test_it_refuses_someone_named_in_the_case(opened, handler_a, roster):
    case = _with_allegation(opened, handler_a, roster,
                            subjects=(("Derek Dyer", "1004", "North"), ("Ian Irving", "", "PSU")))
    assert [c.code for c in conflicts_for(case, roster["2003"])] == ["named"]


def test_it_refuses_someone_in_the_reporters_chain_or_unit_without_naming_the_reporter(opened, handler_a, roster):
    case = _with_allegation(opened, handler_a, roster, staff_number="1005")
    found = conflicts_for(case, roster["1006"])
    assert [c.code for c in found] == ["reporter_chain", "reporter_unit"]
    assert all("Evans" not in c.reason for c in found)


def test_it_refuses_someone_who_shares_a_declared_lodge_with_the_subject(opened, handler_a, roster, staff_user):
    case = _with_allegation(opened, handler_a, roster)
    system = Actor.system("import")
    do_declare_association(actor=system, person=roster["1004"], kind="lodge", body="St Michael's Lodge No. 211")
    do_declare_association(actor=system, person=roster["2003"], kind="lodge", body="st michael's lodge no 211")
    with pytest.raises(ConflictOfInterest):
        actions.do_assign(actor=handler_a, case=case, role="decision_maker", user=staff_user("2003"))
    assert "they share lodge or other hierarchical society" in conflicts_for(case, roster["2003"])[0].reason


def test_an_independent_professional_standards_officer_is_assigned(opened, handler_a, roster, staff_user):
    case = _with_allegation(opened, handler_a, roster)
    assignment = actions.do_assign(actor=handler_a, case=case, role="assessor", user=staff_user("2003"))
    assert assignment.person == roster["2003"] and assignment.override_reason == ""


def test_the_overseer_may_override_a_conflict_with_reasons_and_only_the_overseer(
        opened, handler_a, overseer, roster, staff_user):
    case = _with_allegation(opened, handler_a, roster)
    colleague = staff_user("1007")
    with pytest.raises(Refused):
        actions.do_record_conflict_override(actor=handler_a, case=case, person=roster["1007"], role="assessor",
                                            reasons="Nobody else is free.")
    with pytest.raises(ReasonsRequired):
        actions.do_record_conflict_override(actor=overseer, case=case, person=roster["1007"], role="assessor", reasons="")
    actions.do_record_conflict_override(actor=overseer, case=case, person=roster["1007"], role="assessor",
                                        reasons="Specialist firearms knowledge; no contact with the subject's team.")
    assignment = actions.do_assign(actor=handler_a, case=case, role="assessor", user=colleague)
    assert "firearms" in assignment.override_reason
    with pytest.raises(ConflictOfInterest):  # the override was for the assessor role only
        actions.do_assign(actor=handler_a, case=case, role="investigator", user=colleague)


def test_it_refuses_an_account_with_no_roster_entry_because_independence_cannot_be_checked(opened, handler_a, cast, roster):
    case = _with_allegation(opened, handler_a, roster)
    with pytest.raises(Refused, match="not linked to a roster entry"):
        actions.do_assign(actor=handler_a, case=case, role="assessor", user=cast.users["overseer"])


def test_on_the_synthetic_force_an_assessor_from_the_subjects_chain_of_command_is_refused_with_the_reason(db):
    from upstander.accounts.actions import do_create_staff_user
    from upstander.cases.models import Allegation
    from upstander.testing.personas import create_cast
    from upstander.worldgen.generate import generate

    generate(200, 2, 11, progress=False)
    overseer = create_cast(names=[("overseer", "overseer")]).users["overseer"]
    allegation = (Allegation.objects.filter(case__closed_on__isnull=True, subject__line_manager__isnull=False)
                  .select_related("case", "subject__line_manager").order_by("id").first())
    manager = allegation.subject.line_manager
    user, _ = do_create_staff_user(actor=Actor.system("setup"), username="manager", password="not-used-here-123",
                                   role="handler", person=manager)
    with pytest.raises(ConflictOfInterest):
        actions.do_assign(actor=overseer, case=allegation.case, role="assessor", user=user)
    [finding] = findings_for(overseer, allegation.case)
    assert f"chain of command of the subject {allegation.subject.full_name}" in finding.reasons
