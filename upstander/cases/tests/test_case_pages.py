"""The case pages as staff read them (issue 12): plain words only — people by name and role, clocks and stages by
their policy names, no internal labels, model ids, file paths or commands — a confirmation after every action, errors
that say what to correct, people chosen from a list, a roster search that ignores ranks and tells two people of one
name apart, and a reporter's own report of retaliation marked as such."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from upstander.audit.log import Actor
from upstander.cases import actions, clocks, workflow
from upstander.cases.case_page import Names
from upstander.cases.conflicts import ConflictOfInterest
from upstander.cases.escalations import do_mark_escalation_seen, run_tick
from upstander.cases.models import Case, Flag
from upstander.cases.tests.conftest import _write
from upstander.cases.tests.pickers import picker_names
from upstander.cases.triage import search_roster, split_rank_words
from upstander.lib import clock
from upstander.people.importing import import_files
from upstander.reports.choices import MessageDirection, RequestKind
from upstander.reports.messages import add_message, add_reporter_request
from upstander.safeguarding.models import RetaliationAlert

# Words a member of staff should never have to read: actor labels, model ids, policy files, documentation paths,
# commands, and clock keys ("reporter_update due …").
INTERNAL = re.compile(r"user:\w|system:\w|person:\w|cases\.case|\.toml|docs/|upstander \w+ --|_due\b")
RAPE_AS_BULLYING = ("My sergeant has been picking on me for months. After the leaving do he followed me to my car, "
                    "pushed me onto the back seat and raped me.")


def _policy_keys() -> set[str]:
    """Keys of the workflow and clock policies that are not words: "reporter_update", "case_to_answer", …"""
    keys = {s["key"] for s in workflow.stages()} | {r["key"] for r in workflow.routes()}
    keys |= {c["key"] for c in clocks.spec().get("clock", [])}
    return {k for k in keys if "_" in k}


def _visible_text(page: str) -> str:
    """What a reader sees: the page without its tags (attribute values such as a form's option values are not read)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)))


@pytest.fixture
def busy_case(opened, make_report, cast, roster, staff_user):
    """A case that has been through a good deal: a late acknowledgement escalated by the scheduled check and marked
    seen, a safety-net flag resolved, an allegation assessed, a refused assignment, and the reporter's own report of
    retaliation."""
    handler, supervisor = cast.users["handler_a"], cast.users["supervisor"]
    new = make_report(RAPE_AS_BULLYING, received_on=clock.today() - timedelta(days=20))
    case = actions.do_open_case(actor=handler, report=new.report)
    actions.do_screen_narrative(actor=handler, report=new.report, narrative=RAPE_AS_BULLYING)
    mention = new.report.mentions.get()
    actions.do_link_mention(actor=handler, mention=mention, person=roster["1004"])
    run_tick(actor=Actor.system("tick"))
    for escalation in case.escalations.all():
        do_mark_escalation_seen(actor=supervisor, escalation=escalation, note="Chased the owner.")
    actions.do_acknowledge(actor=handler, case=case)
    allegation = actions.do_add_allegation(actor=handler, case=case, category="bullying", subject=roster["1004"])
    actions.do_assess_allegation(actor=handler, allegation=allegation, severity="misconduct", possible_crime=True,
                                 referral_criteria=[], reasons="")
    for flag in Flag.objects.filter(case=case):
        actions.do_resolve_flag(actor=handler, flag=flag, reasons="Recorded as a sexual assault and referred.")
    sergeant = staff_user("1003")
    with pytest.raises(ConflictOfInterest):
        actions.do_assign(actor=supervisor, case=case, role="investigator", user=sergeant)
    # What the reporter side does when a reporter reports retaliation (intake's action), through the reports core.
    with transaction.atomic():
        message = add_message(new.report, new.data_key, direction=MessageDirection.FROM_REPORTER,
                              body="Since I reported him I have been taken off the night shift rota.")
        add_reporter_request(new.report, message, RequestKind.RETALIATION, actor=Actor.reporter())
    case.refresh_from_db()
    case.mention = mention  # type: ignore[attr-defined]
    case.report = new.report  # type: ignore[attr-defined]
    return case


def test_staff_pages_never_show_internal_labels_model_ids_or_commands(busy_case, make_report, staff_client):
    make_report()  # one waiting in the inbox
    case = busy_case
    pages = ["/cases/", "/cases/?overdue=on", "/cases/inbox/", f"/cases/{case.code}/",
             f"/cases/reports/{case.report.public_id}/", f"/cases/{case.code}/statement",
             f"/cases/{case.code}/people?q=Sgt+Derek+Dyer&mention={case.mention.public_id}"]
    keys = _policy_keys()
    for persona in ("handler_a", "supervisor", "overseer"):
        client = staff_client(persona)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (persona, url, response.status_code)
            page = response.content.decode()
            assert not INTERNAL.search(page), (persona, url, INTERNAL.search(page))
            seen = [k for k in keys if re.search(rf"\b{k}\b", _visible_text(page))]
            assert seen == [], (persona, url, seen)
    # Positive controls: the pages say these things, in words.
    page = _visible_text(staff_client("overseer").get(f"/cases/{case.code}/").content.decode())
    assert "Supervisor (supervisor / appropriate authority)" in page  # who marked the escalation seen, by name
    assert "tried to assign investigator Carol Clarke" in page  # the overseer's conflict findings, by name and role
    assert "“Acknowledge receipt to the reporter” was due" in page  # an escalated clock by its policy name
    assert "Allegation assessed as misconduct" in page  # a decision in a sentence, not "severity — misconduct"


def test_a_roster_persons_actions_read_as_their_name_and_rank(roster):
    names = Names()
    assert names("person:1003") == "Carol Clarke (sergeant)"
    assert names("person:9999") == "a member of staff"
    assert names("system:tick") == "Upstander's scheduled check" and names("reporter") == "the reporter"


def test_the_reporters_own_report_of_retaliation_is_marked_for_the_handler_and_linked_for_the_overseer(
        busy_case, staff_client):
    case = busy_case
    alert = RetaliationAlert.objects.get()
    said = "The reporter says they have suffered retaliation since reporting"
    for url in (f"/cases/{case.code}/", f"/cases/reports/{case.report.public_id}/"):
        handler_page = staff_client("handler_a").get(url).content.decode()
        assert said in handler_page and f"/safeguarding/alerts/{alert.public_id}" not in handler_page
        overseer_page = staff_client("overseer").get(url).content.decode()
        assert said in overseer_page and f'href="/safeguarding/alerts/{alert.public_id}"' in overseer_page


def test_every_action_is_confirmed_in_plain_words_after_the_redirect(opened, staff_client, roster):
    case = opened()
    client = staff_client("handler_a")
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "acknowledge"}), follow=True)
    notice = _visible_text(response.content.decode())
    assert response.redirect_chain[-1][0] == f"/cases/{case.code}/"
    assert "Receipt acknowledged. The case is now at “Acknowledged”." in notice
    assert f"The reporter's timeline now says: “{workflow.reporter_text('acknowledged')}”" in notice
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "allegation"}),
                           {"subject": str(roster["1004"].public_id), "category": "bullying", "severity": "misconduct"},
                           follow=True)
    assert "Allegation of bullying or harassment about Derek Dyer recorded." in _visible_text(response.content.decode())
    # Shown once: the next page no longer carries it.
    assert "Allegation of bullying" not in client.get(f"/cases/{case.code}/").content.decode()


def test_a_form_with_a_mistake_says_what_to_correct_and_links_to_the_field(opened, staff_client):
    case = opened()
    client = staff_client("handler_a")
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "close"}), {"reasons": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was changed: correct the form" in page
    assert '<a href="#close-reasons">Reasons: This field is required.</a>' in page
    assert 'id="close-reasons"' in page  # the link lands on the field, shown again in its place
    assert Case.objects.get(pk=case.pk).state == "received"


def test_hand_over_and_assignment_choose_from_the_units_staff_by_name_and_role(opened, staff_client, staff_user,
                                                                               handler_b):
    case = opened()
    staff_user("1007")  # a handler linked to the roster: Gina Green
    page = staff_client("handler_a").get(f"/cases/{case.code}/").content.decode()
    handover, assign = picker_names(page)[:2]
    assert "Handler B (case handler / investigator, Sergeant 2003)" in handover
    assert "Gina Green (case handler / investigator, Constable 1007)" in assign
    assert not any("Handler A" in name for name in handover)  # the owner is not offered their own case
    assert 'name="username"' not in page
    response = staff_client("handler_a").post(reverse("cases:act", kwargs={"code": case.code, "action": "handover"}),
                                              {"user": str(handler_b.public_id), "reason": "Leave cover."}, follow=True)
    assert "The case is now owned by Handler B." in _visible_text(response.content.decode())
    assert Case.objects.get(pk=case.pk).owner == handler_b


@pytest.fixture
def smiths(roster, tmp_path):
    """Four Smiths on the roster, through the real import: a sergeant Daniel and three Christophers — a constable in
    the North Borough's response team, a sergeant in the South Borough, and a constable who has left."""
    teams = _write(tmp_path / "teams.csv", ["team_code", "team_name", "unit_code"], [
        ("NB-RESP", "North Response Team 2", "NB"), ("SB-CID", "South CID", "SB")])
    people = _write(tmp_path / "smiths.csv", [
        "number", "kind", "given_name", "family_name", "rank", "joined_on", "left_on", "leaving_reason", "unit_code",
        "team_code", "line_manager_number", "ethnicity", "sex"], [
        ("4001", "officer", "Daniel", "Smith", "Sergeant", "2011-01-01", "", "", "NB", "NB-RESP", "", "white_british",
         "male"),
        ("4002", "officer", "Christopher", "Smith", "Constable", "2015-01-01", "", "", "NB", "NB-RESP", "", "white_british",
         "male"),
        ("4003", "officer", "Christopher", "Smith", "Sergeant", "2009-01-01", "", "", "SB", "SB-CID", "", "white_british",
         "male"),
        ("4004", "officer", "Christopher", "Smith", "Constable", "2012-01-01", "2023-06-30", "resigned", "NB", "", "",
         "white_british", "male"),
    ])
    outcome = import_files([teams, people], actor=Actor.system("import"))
    assert outcome.ok, outcome.as_dict()


def test_the_roster_search_ignores_ranks_and_titles(smiths):
    for query in ("Sgt Daniel Smith", "PC D Smith", "DC Smith", "Sergeant Daniel Smith", "DS D. Smith",
                  "Mr Daniel Smith", "Ch Insp Smith", "Detective Constable Smith"):
        assert "4001" in [p.number for p in search_roster(query)], query
    assert {p.number for p in search_roster("Sgt Smith")[:2]} == {"4001", "4003"}  # sergeants first
    assert [p.number for p in search_roster("PC D Smith")] == ["4001"]  # an initial is the start of a given name
    assert search_roster("Sgt") == []  # a rank alone names no one
    assert split_rank_words("Ch Insp Jones") == (["Jones"], ["Chief Inspector"])


def test_three_people_of_one_name_are_three_distinguishable_rows(smiths, make_report, handler_a, staff_client):
    new = make_report(subjects=(("Christopher Smith", "", ""),))
    case = actions.do_open_case(actor=handler_a, report=new.report)
    mention = new.report.mentions.get()
    page = staff_client("handler_a").get(f"/cases/{case.code}/people",
                                         {"q": "PC Christopher Smith", "mention": str(mention.public_id)}).content.decode()
    buttons = re.findall(r"<button[^>]*>(Link Christopher Smith[^<]*)</button>", page)
    assert sorted(buttons) == ["Link Christopher Smith (4002)", "Link Christopher Smith (4003)",
                               "Link Christopher Smith (4004)"]
    text = _visible_text(page)
    for tells_apart in ("North Response Team 2", "South Borough, South CID", "Left 30 Jun 2023", "Sergeant", "Constable"):
        assert tells_apart in text
