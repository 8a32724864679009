"""The case workflow through its actions: each transition refused when the actor may not make it, reasons required
where the regime requires them, one owner, one account."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from upstander.audit.log import verify_chain
from upstander.audit.models import AuditEvent
from upstander.cases import actions, workflow
from upstander.cases.assignments import accounts_requested, decrypt_statement, handover_count
from upstander.cases.choices import Route
from upstander.cases.guards import ReasonsRequired, Refused
from upstander.cases.models import StageEvent


def _assessed(case, handler, subject, *, category="bullying", severity="misconduct"):
    actions.do_acknowledge(actor=handler, case=case)
    allegation = actions.do_add_allegation(actor=handler, case=case, category=category, subject=subject)
    actions.do_assess_allegation(actor=handler, allegation=allegation, severity=severity)
    actions.do_record_assessment(actor=handler, case=case)
    return allegation


def test_a_handler_opens_a_case_from_a_report_in_the_inbox_and_becomes_its_owner(opened, handler_a):
    case = opened()
    assert case.state == "received" and case.owner == handler_a
    assert case.reports.count() == 1 and case.code.startswith("UP-")
    assert list(StageEvent.objects.filter(case=case).values_list("stage", flat=True)) == ["received"]
    assert case.due_on is not None and case.due_clock == "acknowledge"
    assert AuditEvent.objects.filter(action="case.open", object_id=str(case.public_id), actor="user:handler_a").exists()
    assert verify_chain().ok


def test_a_further_report_joins_an_existing_case(opened, make_report, handler_a):
    case = opened()
    second = make_report("The same sergeant shouted at me too.")
    actions.do_add_report_to_case(actor=handler_a, report=second.report, case=case)
    assert case.reports.count() == 2


def test_it_refuses_a_handler_a_report_on_the_independent_route_until_the_overseer_releases_it(
        make_report, handler_a, overseer, cast):
    new = make_report("My inspector is corrupt.", categories=("corruption",), route=Route.INDEPENDENT, staff_number="1005")
    with pytest.raises(Refused, match="not in your inbox"):
        actions.do_open_case(actor=handler_a, report=new.report)
    with pytest.raises(ReasonsRequired):
        actions.do_release_report(actor=overseer, report=new.report, reasons="")
    with pytest.raises(Refused, match="only the independent overseer"):
        actions.do_release_report(actor=handler_a, report=new.report, reasons="Not for us")
    actions.do_release_report(actor=overseer, report=new.report, reasons="The force can handle this fairly.",
                              data_key=new.data_key)
    new.report.refresh_from_db()
    case = actions.do_open_case(actor=handler_a, report=new.report)
    assert case.handling_org.kind == "force"


def test_a_named_report_goes_from_receipt_to_a_closed_review_and_every_step_has_reporter_text(
        opened, handler_a, supervisor, roster, staff_user):
    case = opened()
    allegation = _assessed(case, handler_a, roster["1004"])
    actions.do_route(actor=handler_a, case=case, route="psu_investigation")
    investigator, decider = staff_user("2003"), staff_user("2001", role="supervisor")
    actions.do_assign(actor=handler_a, case=case, role="investigator", user=investigator)
    actions.do_assign(actor=handler_a, case=case, role="decision_maker", user=decider)
    actions.do_start_investigation(actor=investigator, case=case)
    with pytest.raises(Refused, match="may not decide whether there is a case to answer"):
        actions.do_decide_case_to_answer(actor=handler_a, case=case, case_to_answer=True)
    actions.do_decide_case_to_answer(actor=decider, case=case, case_to_answer=True)
    actions.do_start_proceedings(actor=decider, case=case, kind="misconduct_meeting")
    actions.do_record_outcome(actor=decider, allegation=allegation, outcome="written_warning", finding="substantiated")
    actions.do_send_outcome(actor=handler_a, case=case)
    with pytest.raises(Refused, match="“Reporter may apply for a review” runs until"):
        actions.do_close(actor=handler_a, case=case, reasons="All done and dusted.")
    actions.do_open_review(actor=handler_a, case=case)
    actions.do_decide_review(actor=supervisor, case=case, upheld=False, reasons="The outcome was reasonable.")
    actions.do_close(actor=handler_a, case=case, reasons="Review not upheld; nothing further.")
    case.refresh_from_db()
    stages = list(StageEvent.objects.filter(case=case).order_by("at", "id").values_list("stage", flat=True))
    assert stages == ["received", "acknowledged", "assessed", "routed", "investigation", "case_to_answer", "proceedings",
                      "outcome", "review", "closed"]
    assert all(workflow.reporter_text(s) for s in stages)
    assert case.state == "closed" and case.closed_on is not None and case.due_on is None
    allegation.refresh_from_db()
    assert allegation.outcome == "written_warning" and not allegation.barred_list_referral
    assert verify_chain().ok


def test_it_refuses_a_step_the_workflow_does_not_allow_from_the_current_stage(opened, handler_a):
    case = opened()
    with pytest.raises(Refused, match="cannot start the investigation"):
        actions.do_start_investigation(actor=handler_a, case=case)


def test_it_refuses_a_handler_who_is_not_on_the_case(opened, handler_b):
    case = opened()
    with pytest.raises(PermissionDenied):
        actions.do_acknowledge(actor=handler_b, case=case)


def test_it_refuses_closing_without_written_reasons(opened, handler_a):
    case = opened()
    with pytest.raises(ReasonsRequired):
        actions.do_close(actor=handler_a, case=case, reasons=" ")
    actions.do_close(actor=handler_a, case=case, reasons="Reporter withdrew, confirmed in writing.")
    assert case.state == "closed"


def test_it_refuses_a_downgrade_or_a_no_case_finding_without_reasons(opened, handler_a, roster):
    case = opened()
    allegation = actions.do_add_allegation(actor=handler_a, case=case, category="bullying", subject=roster["1004"])
    actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="gross_misconduct")
    with pytest.raises(ReasonsRequired, match="downgrade"):
        actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="pri")
    other = actions.do_add_allegation(actor=handler_a, case=case, category="misogyny", subject=roster["1003"])
    with pytest.raises(ReasonsRequired, match="no case"):
        actions.do_assess_allegation(actor=handler_a, allegation=other, severity="no_case")
    actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="pri",
                                 reasons="Witness accounts show a single incident.")
    assert case.decisions.filter(kind="downgrade", value="pri").exists()


def test_no_further_action_needs_reasons_and_would_have_been_dismissed_needs_a_leaver(opened, handler_a, roster):
    case = opened()
    allegation = _assessed(case, handler_a, roster["1004"])
    actions.do_route(actor=handler_a, case=case, route="local_handling")
    with pytest.raises(ReasonsRequired):
        actions.do_record_outcome(actor=handler_a, allegation=allegation, outcome="nfa")
    with pytest.raises(Refused, match="left the force"):
        actions.do_record_outcome(actor=handler_a, allegation=allegation, outcome="would_have_been_dismissed")
    actions.do_record_outcome(actor=handler_a, allegation=allegation, outcome="dismissal")
    allegation.refresh_from_db()
    assert allegation.barred_list_referral


def test_each_allegation_keeps_its_own_outcome(opened, handler_a, roster):
    case = opened()
    actions.do_acknowledge(actor=handler_a, case=case)
    first = actions.do_add_allegation(actor=handler_a, case=case, category="bullying", subject=roster["1004"], severity="pri")
    second = actions.do_add_allegation(actor=handler_a, case=case, category="misogyny", subject=roster["1003"],
                                       severity="misconduct")
    actions.do_record_assessment(actor=handler_a, case=case)
    actions.do_route(actor=handler_a, case=case, route="local_handling")
    actions.do_record_outcome(actor=handler_a, allegation=first, outcome="reflective_practice")
    with pytest.raises(Refused, match="1 allegation"):
        actions.do_send_outcome(actor=handler_a, case=case)
    actions.do_record_outcome(actor=handler_a, allegation=second, outcome="management_action")
    actions.do_send_outcome(actor=handler_a, case=case)
    assert sorted(case.allegations.values_list("outcome", flat=True)) == ["management_action", "reflective_practice"]


def test_a_handover_needs_a_reason_and_is_counted(opened, handler_a, handler_b, supervisor):
    case = opened()
    assert handover_count(case) == 0
    with pytest.raises(ReasonsRequired):
        actions.do_assign_owner(actor=handler_a, case=case, user=handler_b)
    actions.do_assign_owner(actor=handler_a, case=case, user=handler_b, reason="Going on long leave.")
    actions.do_assign_owner(actor=supervisor, case=case, user=handler_a, reason="Back from leave.")
    assert handover_count(case) == 2 and case.owner == handler_a
    with pytest.raises(PermissionDenied):  # handler_b no longer owns it
        actions.do_assign_owner(actor=handler_b, case=case, user=handler_b, reason="Taking it back.")


def test_the_victims_account_is_recorded_once_encrypted_and_asking_again_is_counted(opened, handler_a, handler_b):
    case = opened()
    text = "On 3 March Sgt Dyer shouted at me in the yard and pushed my shoulder."
    first = actions.do_record_statement(actor=handler_a, case=case, text=text, data_key=case.data_key)
    assert text.encode() not in bytes(first.body_ct)
    assert decrypt_statement(case.data_key, first) == text
    actions.do_assign_owner(actor=handler_a, case=case, user=handler_b, reason="Moved to another team.")
    with pytest.raises(ReasonsRequired):
        actions.do_record_statement(actor=handler_b, case=case, text=text + " Again.", data_key=case.data_key,
                                    asked_again=True)
    second = actions.do_record_statement(actor=handler_b, case=case, text=text + " He also swore.", data_key=case.data_key,
                                         asked_again=True, reason="Needed detail of the words used.")
    assert second.version == 2 and accounts_requested(case) == 2
    actions.do_record_statement(actor=handler_b, case=case, text=text + " Correction: it was the car park.",
                                data_key=case.data_key, reason="The victim wrote in with a correction.")
    assert accounts_requested(case) == 3 - 1  # a correction sent in by the victim is not asking again


def test_it_refuses_a_statement_under_a_key_that_is_not_the_reports(opened, handler_a):
    case = opened()
    with pytest.raises(Refused, match="does not open"):
        actions.do_record_statement(actor=handler_a, case=case, text="Account.", data_key=b"k" * 32)
