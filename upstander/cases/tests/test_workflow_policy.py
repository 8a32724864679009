"""policy/workflow.toml really is replaceable: the code names no stage, so a profile with other stage keys runs a case
with the real actions, and the case page offers what the same rule (permissions.may) allows the actions to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse

from upstander.cases import actions, permissions, workflow
from upstander.cases.guards import Refused
from upstander.cases.models import StageEvent

RENAMED = {
    "received": "logged", "acknowledged": "confirmed", "assessed": "graded", "routed": "allocated",
    "investigation": "inquiry", "case_to_answer": "determination", "proceedings": "hearing", "outcome": "result",
    "review": "appeal", "closed": "archived",
}
RENAMED_CLOCKS = """
timezone = "Europe/London"
day_mode = "calendar"
bank_holidays = "none"
extra_non_working_days = []
supervisor_days = 7

[[clock]]
key = "acknowledge"
label = "Confirm receipt to the reporter"
start = "received"
period = { days = 7 }
met_by = ["confirmed"]

[[clock]]
key = "feedback"
label = "Tell the reporter what is being done"
start = "confirmed"
or_from_end_of = "acknowledge"
period = { months = 3 }
met_by = ["message", "graded", "allocated", "inquiry", "determination", "hearing", "result", "archived"]

[[clock]]
key = "review_window"
label = "Reporter may appeal"
start = "result"
period = { days = 28 }
met_by = ["appeal"]
escalate = "none"
"""


def _renamed_workflow() -> str:
    """The default workflow with every stage key renamed, the investigation relabelled, and allegations also
    recorded once the case is allocated (the default allows them only before the route)."""
    text = (Path(django_settings.POLICY_DIR) / "workflow.toml").read_text()
    for old, new in RENAMED.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    text = text.replace('label = "Investigation"', 'label = "Inquiry by the standards panel"')
    return text.replace('stages = ["logged", "confirmed", "graded"]\nnot_now = "allegations',
                        'stages = ["logged", "confirmed", "graded", "allocated"]\nnot_now = "allegations')


@pytest.fixture
def renamed_profile(settings, tmp_path):
    """A policy directory holding the default files and a profile `renamed` with its own workflow and clocks."""
    for path in Path(django_settings.POLICY_DIR).glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    profile = tmp_path / "renamed"
    profile.mkdir()
    (profile / "workflow.toml").write_text(_renamed_workflow())
    (profile / "clocks.toml").write_text(RENAMED_CLOCKS)
    settings.POLICY_DIR = tmp_path
    settings.POLICY_PROFILE = "renamed"
    return profile


def test_the_default_and_the_eu_workflow_give_every_action_of_the_code_its_steps_stages_and_roles():
    assert permissions.problems() == []
    with override_settings(POLICY_PROFILE="eu-directive"):
        assert permissions.problems() == []


def test_a_workflow_that_names_an_unknown_stage_or_lacks_a_step_is_reported(settings, tmp_path):
    for path in Path(django_settings.POLICY_DIR).glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken").mkdir()
    text = (tmp_path / "workflow.toml").read_text().replace('action = "open_review"', 'action = "reopen"')
    (tmp_path / "broken" / "workflow.toml").write_text(text.replace('next = "outcome"', 'next = "finished"', 1))
    settings.POLICY_DIR, settings.POLICY_PROFILE = tmp_path, "broken"
    found = permissions.problems()
    assert [e.id for e in permissions.workflow_check()] == ["cases.E001"] * len(found)
    assert "no transition takes the action 'open_review'" in found
    assert "transition to 'review' takes the unknown action 'reopen'" in found
    assert "route 'reflective_practice' leads to the unknown stage 'finished'" in found


def test_a_case_runs_from_start_to_archive_through_a_workflow_with_renamed_stages(
        renamed_profile, opened, handler_a, supervisor, roster, staff_user):
    assert permissions.problems() == []
    case = opened()
    assert case.state == "logged" and workflow.initial_stage() == "logged"
    actions.do_acknowledge(actor=handler_a, case=case)
    allegation = actions.do_add_allegation(actor=handler_a, case=case, category="bullying", subject=roster["1004"])
    actions.do_assess_allegation(actor=handler_a, allegation=allegation, severity="misconduct")
    actions.do_record_assessment(actor=handler_a, case=case)
    actions.do_route(actor=handler_a, case=case, route="psu_investigation")
    # This profile lets an allegation be added once the case is allocated; the default refuses that.
    second = actions.do_add_allegation(actor=handler_a, case=case, category="misogyny", subject=roster["1004"],
                                       severity="pri")
    with pytest.raises(Refused, match="leads to “Inquiry by the standards panel”, not to “Outcome sent”"):
        actions.do_send_outcome(actor=handler_a, case=case)
    investigator, decider = staff_user("2003"), staff_user("2001", role="supervisor")
    actions.do_assign(actor=handler_a, case=case, role="investigator", user=investigator)
    actions.do_assign(actor=handler_a, case=case, role="decision_maker", user=decider)
    actions.do_start_investigation(actor=investigator, case=case)
    actions.do_decide_case_to_answer(actor=decider, case=case, case_to_answer=True)
    actions.do_start_proceedings(actor=decider, case=case, kind="misconduct_meeting")
    for each in (allegation, second):
        actions.do_record_outcome(actor=decider, allegation=each, outcome="written_warning", finding="substantiated")
    actions.do_send_outcome(actor=handler_a, case=case)
    with pytest.raises(Refused, match="“Reporter may appeal” runs until"):
        actions.do_close(actor=handler_a, case=case, reasons="Nothing more to do here.")
    actions.do_open_review(actor=handler_a, case=case)
    actions.do_decide_review(actor=supervisor, case=case, upheld=False, reasons="The outcome was reasonable.")
    actions.do_close(actor=handler_a, case=case, reasons="Appeal not upheld; nothing further.")
    case.refresh_from_db()
    stages = list(StageEvent.objects.filter(case=case).order_by("at", "id").values_list("stage", flat=True))
    assert stages == list(RENAMED.values())
    assert case.state == "archived" and case.closed_on is not None and case.due_on is None


def test_the_case_page_offers_the_renamed_workflows_steps_and_they_work(renamed_profile, opened, staff_client):
    case = opened()
    client = staff_client("handler_a")
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert 'id="acknowledge"' in page and "Acknowledge receipt" in page and "Confirm receipt to the reporter" in page
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "acknowledge"}))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "confirmed"
    page = client.get(f"/cases/{case.code}/").content.decode()
    # Recording the assessment is this handler's next step, not possible until an allegation is recorded.
    assert "Not possible yet. Record at least one allegation" in page


def test_every_step_the_code_knows_has_a_form_on_the_case_page_and_an_action_behind_it():
    from upstander.cases import case_page, views

    assert set(case_page.STEP_FORMS) == set(permissions.STEPS)
    assert all(case_page.slug(action) in views.ACTIONS for action in permissions.STEPS)
    assert all(name in permissions.ACTIONS for name in case_page.PAGE_ACTIONS)
