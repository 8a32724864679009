"""Mandatory referral: allegations meeting the independent body's criteria cannot be handled locally or closed
without a referral record or a recorded decision of the overseer."""

from __future__ import annotations

import pytest
from django.test import override_settings

from upstander.cases import actions, rules
from upstander.cases.guards import ReasonsRequired, Refused
from upstander.cases.rules import ReferralRequired


def _assessed(case, handler, subject, category, **assess):
    actions.do_acknowledge(actor=handler, case=case)
    allegation = actions.do_add_allegation(actor=handler, case=case, category=category, subject=subject)
    actions.do_assess_allegation(actor=handler, allegation=allegation, severity="gross_misconduct", **assess)
    actions.do_record_assessment(actor=handler, case=case)
    return allegation


def test_it_refuses_local_handling_of_a_serious_sexual_offence_and_says_which_criterion(opened, handler_a, roster):
    case = opened("He raped me after the Christmas party.", categories=("sexual_assault",))
    allegation = _assessed(case, handler_a, roster["1004"], "sexual_assault")
    assert allegation.referral_required
    with pytest.raises(ReferralRequired, match="Serious sexual offence") as refused:
        actions.do_route(actor=handler_a, case=case, route="local_handling")
    assert "Derek Dyer" in str(refused.value) and "Independent Office for Police Conduct" in str(refused.value)
    case.refresh_from_db()
    assert case.state == "assessed"


def test_it_refuses_closing_a_case_with_an_unreferred_qualifying_allegation(opened, handler_a, roster):
    case = opened("He used his warrant card to get her to sleep with him.", categories=("abuse_of_position_sexual",))
    _assessed(case, handler_a, roster["1004"], "abuse_of_position_sexual")
    with pytest.raises(ReferralRequired, match="closing the case"):
        actions.do_close(actor=handler_a, case=case, reasons="The reporter stopped answering.")


def test_routing_to_the_independent_body_records_the_referrals(opened, handler_a, roster):
    case = opened("He raped me.", categories=("sexual_assault",))
    allegation = _assessed(case, handler_a, roster["1004"], "sexual_assault")
    actions.do_route(actor=handler_a, case=case, route="independent_referral")
    referral = allegation.referrals.get()
    assert referral.criteria == ["serious_sexual_offence"]
    assert rules.unmet(case) == []


def test_a_recorded_decision_of_the_overseer_permits_local_handling_and_only_the_overseer_may_record_it(
        opened, handler_a, overseer, roster):
    case = opened("He raped me.", categories=("sexual_assault",))
    allegation = _assessed(case, handler_a, roster["1004"], "sexual_assault")
    with pytest.raises(Refused):
        actions.do_record_referral_decision(actor=handler_a, allegation=allegation, decision="local_handling_permitted",
                                            reasons="We think it is fine.")
    with pytest.raises(ReasonsRequired):
        actions.do_record_referral_decision(actor=overseer, allegation=allegation, decision="local_handling_permitted",
                                            reasons="")
    actions.do_record_referral_decision(actor=overseer, allegation=allegation, decision="local_handling_permitted",
                                        reasons="Referred and returned: the IOPC decided the force may handle it.")
    actions.do_route(actor=handler_a, case=case, route="local_handling")
    case.refresh_from_db()
    assert case.state == "routed" and case.handling_route == "local_handling"


def test_discrimination_qualifies_only_with_a_possible_crime(opened, handler_a, roster):
    case = opened("He called me a racial slur at the briefing.", categories=("racism",))
    actions.do_acknowledge(actor=handler_a, case=case)
    allegation = actions.do_add_allegation(actor=handler_a, case=case, category="racism", subject=roster["1004"])
    actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="misconduct")
    assert not allegation.referral_required
    actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="misconduct", possible_crime=True)
    assert [c.key for c in rules.allegation_criteria(allegation)] == ["discrimination_aggravated"]


def test_a_criterion_recorded_at_assessment_makes_any_category_qualify(opened, handler_a, roster):
    case = opened("He punched a prisoner until he was unconscious.", categories=("violence",))
    allegation = _assessed(case, handler_a, roster["1004"], "violence", referral_criteria=["serious_assault"])
    assert allegation.referral_required
    with pytest.raises(ReferralRequired, match="Serious assault"):
        actions.do_route(actor=handler_a, case=case, route="psu_investigation")


def test_the_eu_directive_profile_has_no_mandatory_referral_criteria():
    with override_settings(POLICY_PROFILE="eu-directive"):
        assert rules.criterion_choices() == []
        assert rules.criteria_met(category="racism", possible_crime=True) == []
    assert rules.criteria_met(category="sexual_assault", possible_crime=False)
