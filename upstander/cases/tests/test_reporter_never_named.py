"""Regression (issue 11): a confidential reporter was named to the force.

The attack: a supervisor assigning an investigator tried a colleague and read "Refused: <the reporter's full name>
cannot be the investigator on this case because they reported this matter"; trying another colleague told them
"they work in the same operational unit as the reporter". Whoever tries assignments learns who spoke up.

The test walks a confidential and an anonymous report, each made by the same member of staff through the real
reporter pages, through their whole life — triage, case, allegations, subject linking, every assignment including
conflicted ones, the safety net's flag, decisions, escalations, messages both ways, retaliation, the statement,
closure and a complainant review — as every force persona, fetching every page (every URL pattern of the project,
or a stated reason why not) after each phase and reading every action's response. The reporter's name, staff
number, e-mail address and unit (all on the roster) must appear in none of them, nor in the log. The overseer, and
only the overseer, sees why the conflicted assignments were refused.
"""

from __future__ import annotations

import html
import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from upstander.accounts.actions import do_create_staff_user
from upstander.accounts.models import User
from upstander.accounts.permissions import CASE_CONTENT_ROLES
from upstander.audit.log import Actor
from upstander.cases.conflicts import REFUSAL
from upstander.cases.escalations import run_tick
from upstander.cases.forms import staff_label
from upstander.cases.models import Case, Report
from upstander.cases.tests.conftest import PEOPLE, PERSONA_NUMBERS, UNITS, _write
from upstander.cases.tests.pickers import picker_names, without_staff_pickers
from upstander.custody.tests.test_every_url_every_persona import all_routes
from upstander.lib import clock
from upstander.people.importing import import_files
from upstander.people.models import Person, Unit
from upstander.safeguarding.models import RetaliationAlert, SafeguardingTask
from upstander.testing.fixtures import login
from upstander.testing.journeys import Answers, Journey, come_back, receipt_in, report_for

CANARY = {
    "name": "Zephyrine Quillfeather", "family name": "Quillfeather", "staff number": "QZ7719",
    "e-mail": "zephyrine.q@canary-mail.example", "unit": "Lantern Quay Response Unit",
}
FORCE_PERSONAS = ("handler_a", "handler_b", "supervisor", "facilitator", "analyst", "admin")
NARRATIVE = ("My sergeant has been picking on me for months. After the leaving do he followed me to my car, pushed me "
             "onto the back seat and raped me. Another sergeant saw us leave.")
# The reporter and a colleague work in the canary unit; both are managed by Sgt Clarke, as the subject PC Dyer is.
CANARY_PEOPLE = [
    ("QZ7719", "Constable", "Zephyrine", "Quillfeather", "LQ", "1003"),
    ("3002", "Constable", "Tobias", "Tully", "LQ", "1003"),
    ("2004", "Sergeant", "Jasmine", "Jones", "PSU", "2001"),
]
# Accounts that someone may try to assign: the reporter, their unit colleague, their (and the subject's) sergeant,
# a colleague the reporter named in the report, and an independent investigator.
ACCOUNTS = {"reporter": "QZ7719", "colleague": "3002", "sergeant": "1003", "named": "2004", "independent": "2002"}

# Routes not fetched by GET in the walk, and why. Every other URL pattern is fetched by every force persona.
NOT_FETCHED = {
    "accounts/login": "the sign-in page: signing in again would end the persona's session",
    "accounts/logout": "signing out would end the persona's session",
    "cases/<str:code>/do/<slug:action>": "POST only: every action's response is read as the walk takes it",
    "cases/<str:code>/escalations/<uuid:public_id>/seen": "POST only: read as the supervisor marks it seen",
    "cases/inbox/<uuid:public_id>/add": "POST only: not taken (each report opens its own case)",
    "cases/inbox/<uuid:public_id>/open": "POST only: read as the handler opens each case",
    "cases/inbox/<uuid:public_id>/release": "POST only, overseer only: both reports are on the force route",
    "cases/reports/<uuid:public_id>/reply": "POST only: read as the handler replies",
    "custody/accounts/<uuid:public_id>/remove": "POST only: account administration, nothing about reports",
    "custody/accounts/<uuid:public_id>/reset-password": "POST only: account administration",
    "custody/accounts/<uuid:public_id>/reset-second-factor": "POST only: account administration",
    "custody/holds/<uuid:public_id>/lift": "POST only: no legal hold in this walk",
    "custody/identities/<uuid:public_id>/open": "custodian only, POST after an approved request: break-glass",
    "people/<uuid:public_id>/declarations/<uuid:association_id>/end": "POST only: no declaration in this walk",
    "safeguarding/alerts/<uuid:public_id>/close": "POST only, overseer only",
    "accounts/enrol": "only in the middle of a first sign-in",
    "accounts/staff/<uuid:public_id>/disable": "POST only: account administration",
    "accounts/staff/<uuid:public_id>/role": "POST only: account administration",
    "audit/api/witness": "POST only, the witness's token: a signed head, nothing about reports",
    "insight/publish": "POST only: publishes a report of aggregates under disclosure control",
    **{f"cases/<str:code>/evidence/<uuid:export_id>/{tail}": "no chat export is attached in this walk (the evidence "
       "tests read those pages)" for tail in ("", "messages/<uuid:message_id>/decide", "original",
                                              "senders/<uuid:sender_id>/", "senders/<uuid:sender_id>/link",
                                              "summary", "whole-chat", "whole-chat/open")},
    "report/exit": "the reporter's quick exit forgets the visitor's cookies: it would end the persona's session",
}


# Pages that list every staff account of the installation by name, whatever anyone reported: the administrator's
# staff accounts page names the reporter because they have an account, not because they reported. Everything else
# about the reporter (staff number, e-mail, unit) must still never appear there.
ACCOUNT_LISTS = {"/accounts/staff/", "/custody/accounts/"}
NAMES = {"name", "family name"}


def leaks(text: str, *, account_list: bool = False) -> list[str]:
    lowered = html.unescape(text).lower()
    return [what for what, value in CANARY.items() if value.lower() in lowered
            and not (account_list and what in NAMES)]


@pytest.fixture
def roster(db, tmp_path) -> dict[str, Person]:
    """The cases tests' small force, with the canary unit and its people added, through the real import."""
    units = _write(tmp_path / "units.csv", ["unit_code", "unit_name", "command_code", "command_name",
                                             "professional_standards"],
                   [*UNITS, ("LQ", CANARY["unit"], "FRONT", "Frontline Policing", "false")])
    people = _write(tmp_path / "people.csv", [
        "number", "kind", "given_name", "family_name", "rank", "joined_on", "unit_code", "line_manager_number",
        "ethnicity", "sex"], [(n, "officer", g, f, r, "2010-04-01", u, lm, "white_british", "female")
                              for n, r, g, f, u, lm in [*PEOPLE, *CANARY_PEOPLE]])
    outcome = import_files([units, people], actor=Actor.system("import"))
    assert outcome.ok, outcome.as_dict()
    return {p.number: p for p in Person.objects.select_related("unit", "line_manager")}


def case_workers() -> set[str]:
    """How the staff pickers name the case workers (the reporter's account among them)."""
    return {staff_label(u) for u in User.objects.filter(is_active=True, role__in=CASE_CONTENT_ROLES)}


@dataclass
class Walk:
    clients: dict[str, Client]
    found: list[str] = field(default_factory=list)
    fetched: int = 0
    staff: set[str] = field(default_factory=case_workers)

    def read(self, who: str, what: str, response) -> None:
        self.fetched += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace") + " " + " ".join(f"{k}: {v}" for k, v in response.items())
        # A staff picker lists case workers, the reporter among them when they are one: the same list on every case,
        # so it points at no one. Anything else it offered would be a leak; the rest of the page is read.
        for names in picker_names(text):
            if not names <= self.staff:
                self.found.append(f"{who} was offered {sorted(names - self.staff)} in a staff picker in {what}")
        text = without_staff_pickers(text)
        listed = what.startswith("GET ") and what.split(" ")[1] in ACCOUNT_LISTS
        for leak in leaks(text, account_list=listed):
            self.found.append(f"{who} read the reporter's {leak} in {what} ({response.status_code})")

    def post(self, who: str, url: str, data: dict | None = None, *, expect: int = 302):
        response = self.clients[who].post(url, data or {})
        self.read(who, f"POST {url}", response)
        assert response.status_code == expect, (who, url, response.status_code,
                                                 response.content.decode(errors="replace")[:1500])
        return response

    def act(self, who: str, case: Case, action: str, data: dict | None = None, *, expect: int = 302):
        return self.post(who, reverse("cases:act", kwargs={"code": case.code, "action": action}), data, expect=expect)

    def sweep(self, phase: str, urls: list[str]) -> None:
        for who in FORCE_PERSONAS:
            for url in urls:
                self.read(who, f"GET {url} ({phase})", self.clients[who].get(url))


def _report(journey: Journey) -> Report:
    return Report.objects.get(pk=report_for(journey.receipt).pk)


def _urls(cast, roster) -> list[str]:
    """Every GET-able page, filled in from the world as it stands: each route of the project is listed here or in
    NOT_FETCHED."""
    reports, cases = list(Report.objects.order_by("id")), list(Case.objects.order_by("id"))
    missing = str(uuid.uuid4())
    by_route: dict[str, list[str]] = {
        "": ["/"], "today/": ["/today/"],
        "cases/<str:code>/evidence/": [f"/cases/{c.code}/evidence/" for c in cases],
        "cases/<str:code>/evidence/attach": [f"/cases/{c.code}/evidence/attach" for c in cases], "accounts/staff/": ["/accounts/staff/"],
        "audit/": ["/audit/", "/audit/?action=case."], "audit/witness": ["/audit/witness"],
        "audit/api/since": ["/audit/api/since?after=0"],
        "cases/": ["/cases/", "/cases/?owner=none", "/cases/?flags=on", "/cases/?escalated=on", "/cases/?overdue=on"],
        "cases/<str:code>/": [f"/cases/{c.code}/" for c in cases],
        "cases/<str:code>/people": [f"/cases/{c.code}/people?q=Dyer&mention={m.public_id}"
                                    for c in cases for r in c.reports.all() for m in r.mentions.all()],
        "cases/<str:code>/statement": [f"/cases/{c.code}/statement" for c in cases],
        "cases/inbox/": ["/cases/inbox/"],
        "cases/inbox/<uuid:public_id>/": [f"/cases/inbox/{r.public_id}/" for r in reports],
        "cases/reports/": ["/cases/reports/", "/cases/reports/?show=all"],
        "cases/reports/<uuid:public_id>/": [f"/cases/reports/{r.public_id}/" for r in reports],
        "cases/reports/<uuid:public_id>/files/<uuid:file_id>": [
            f"/cases/reports/{r.public_id}/files/{a.public_id}" for r in reports for a in r.attachments.all()],
        "cases/reports/disclosures/new": ["/cases/reports/disclosures/new"],
        "custody/": ["/custody/"], "custody/invite": ["/custody/invite"], "custody/enrol": ["/custody/enrol"],
        "custody/recover": ["/custody/recover"], "custody/accounts/": ["/custody/accounts/"],
        "custody/accounts/<uuid:public_id>/": [f"/custody/accounts/{u.public_id}/" for u in cast.users.values()],
        "custody/identities/": ["/custody/identities/"],
        "custody/identities/<uuid:public_id>/decide": [f"/custody/identities/{missing}/decide"],
        "custody/holds/": ["/custody/holds/"], "custody/oversight/": ["/custody/oversight/"],
        "healthz": ["/healthz"], "metrics": ["/metrics"], "insight/": ["/insight/"],
        "insight/checking": ["/insight/checking"], "insight/checking/key": ["/insight/checking/key"],
        "insight/reports/<uuid:public_id>/": [f"/insight/reports/{missing}/"],
        "insight/reports/<uuid:public_id>/download": [f"/insight/reports/{missing}/download"],
        "insight/reports/<uuid:public_id>/files/<path:name>": [f"/insight/reports/{missing}/files/report.pdf"],
        "oversight/": ["/oversight/"], "oversight/crews": ["/oversight/crews"],
        "oversight/escalations/": ["/oversight/escalations/"], "oversight/statistics/": ["/oversight/statistics/"],
        "people/<uuid:public_id>/declarations": [f"/people/{roster[n].public_id}/declarations" for n in ("1004", "2002")],
        "people/api/feed": ["/people/api/feed"], "people/declarations": ["/people/declarations"],
        "report/": ["/report/"],
        "report/^new/(?P<page>how|staff|route|about-you|what|when|where|who|about|your-part|alongside|equality)$": [
            "/report/new/how"],
        "report/new/resume": ["/report/new/resume"],
        "report/leave": ["/report/leave"], "report/new/": ["/report/new/"], "report/new/check": ["/report/new/check"],
        "report/new/files": ["/report/new/files"], "report/return": ["/report/return"],
        "report/status": ["/report/status"], "report/status/information": ["/report/status/information"],
        "report/status/message": ["/report/status/message"], "report/status/retaliation": ["/report/status/retaliation"],
        "report/status/review": ["/report/status/review"],
        "safeguarding/": ["/safeguarding/"], "safeguarding/rates": ["/safeguarding/rates"],
        "safeguarding/tasks/<uuid:public_id>": [f"/safeguarding/tasks/{t.public_id}" for t in SafeguardingTask.objects.all()],
        "safeguarding/alerts/<uuid:public_id>": [f"/safeguarding/alerts/{a.public_id}" for a in RetaliationAlert.objects.all()],
    }
    assert sorted(set(all_routes()) - set(by_route) - set(NOT_FETCHED)) == [], "a new page needs a place in the walk"
    return [url for urls in by_route.values() for url in urls]


def _submit(answers: Answers, *, about_you: dict | None = None) -> Journey:
    journey = Journey(Client(), answers)
    if about_you is None:
        journey.run()
        return journey
    # The anonymous reporter types their details anyway: the form must drop them.
    assert journey.how().status_code == 302
    journey.client.post("/report/new/about-you", about_you)
    assert journey.what().status_code == 302
    assert journey.upload([]).status_code == 302
    assert journey.equality().status_code == 302  # the optional page the check page now asks to have been seen
    journey.check_token()
    journey.receipt = receipt_in(journey.submit())
    return journey


def _reporters() -> tuple[Journey, Journey]:
    subjects = [("Derek Dyer", "1004", "North Borough"), ("Jasmine Jones", "2004", "Professional Standards")]
    confidential = _submit(Answers(mode="confidential", reporter_type="staff", name=CANARY["name"],
                                   staff_number=CANARY["staff number"], email=CANARY["e-mail"], narrative=NARRATIVE,
                                   categories=["bullying"], subjects=subjects,
                                   files=[("diary.txt", b"Shifts I was moved off, with dates.")]))
    anonymous = _submit(Answers(mode="anonymous", reporter_type="staff", narrative="PC Dyer mocks my accent daily.",
                                categories=["bullying"], subjects=subjects),
                        about_you={"name": CANARY["name"], "staff_number": CANARY["staff number"],
                                   "email": CANARY["e-mail"]})
    return confidential, anonymous


def _accounts(staff_user) -> dict[str, str]:
    """Accounts for the people someone may try to assign (the reporter is a member of staff with an account), as the
    staff pickers send them (the account's public id)."""
    chosen = {}
    for what, number in ACCOUNTS.items():
        if number in PERSONA_NUMBERS.values():
            user = User.objects.get(username=next(k for k, v in PERSONA_NUMBERS.items() if v == number))
        elif what == "reporter":  # an account name that is none of the canaries
            person = Person.objects.get(number=number)
            user, _ = do_create_staff_user(actor=Actor.system("setup"), username="pc-lantern-1", password="not-used-123",
                                           role="handler", first_name=person.given_name, last_name=person.family_name,
                                           unit=Unit.objects.get(code="PSU"), person=person)
        else:
            user = staff_user(number, role="handler")
        chosen[what] = str(user.public_id)
    return chosen


def _open_and_link(walk: Walk, report: Report, roster) -> Case:
    walk.post("handler_a", f"/cases/inbox/{report.public_id}/open")
    case = Case.objects.get(reports=report)
    walk.act("handler_a", case, "acknowledge")
    for mention in report.mentions.all():
        walk.act("handler_a", case, "link", {"mention": str(mention.public_id),
                                             "person": str(roster[mention.number_as_written].public_id)})
    walk.act("handler_a", case, "allegation", {"subject": str(roster["1004"].public_id), "category": "bullying",
                                               "severity": "misconduct"})
    for flag in case.flags.filter(resolved_at__isnull=True):
        walk.act("handler_a", case, "flag", {"flag": str(flag.public_id), "reasons": "Recorded as a sexual assault."})
    return case


def _conflicted_assignments(walk: Walk, case: Case, accounts: dict[str, str], *, reporter_known: bool) -> None:
    tried = ["sergeant", "named"] + (["reporter", "colleague"] if reporter_known else [])
    for who in ("supervisor", "handler_a"):
        for what in tried:
            for role in ("assessor", "investigator", "decision_maker"):
                refused = walk.act(who, case, "assign", {"role": role, "user": accounts[what]}, expect=403)
                assert REFUSAL in refused.content.decode()
        if reporter_known:
            refused = walk.act(who, case, "handover", {"user": accounts["reporter"], "reason": "Leave cover."},
                               expect=403)
            assert REFUSAL in refused.content.decode()


def _investigate_and_decide(walk: Walk, case: Case, accounts: dict[str, str]) -> None:
    walk.act("handler_a", case, "record-assessment", {"reasons": ""})
    walk.act("handler_a", case, "route", {"route": "psu_investigation", "reasons": ""})
    walk.act("supervisor", case, "assign", {"role": "investigator", "user": accounts["independent"]})
    walk.act("supervisor", case, "start-investigation", {"reasons": ""})
    walk.act("supervisor", case, "decide-case-to-answer", {"case_to_answer": "yes", "reasons": ""})
    walk.act("supervisor", case, "start-proceedings", {"kind": "misconduct_meeting"})
    for allegation in case.allegations.all():
        walk.act("supervisor", case, "outcome", {"allegation": str(allegation.public_id), "outcome": "written_warning",
                                                 "finding": "substantiated", "reasons": ""})
    walk.act("handler_a", case, "send-outcome")


@pytest.mark.django_db
def test_a_confidential_or_anonymous_reporter_is_never_named_to_any_force_persona_in_the_whole_life_of_a_case(
        cast, roster, staff_user, caplog):
    caplog.set_level(logging.DEBUG)
    accounts = _accounts(staff_user)
    confidential, anonymous = _reporters()
    walk = Walk({who: login(Client(), cast, who) for who in (*FORCE_PERSONAS, "overseer")})
    walk.sweep("in the inbox", _urls(cast, roster))

    secret, open_report = _report(confidential), _report(anonymous)
    case = _open_and_link(walk, secret, roster)
    other = _open_and_link(walk, open_report, roster)
    assert case.flags.exists() and SafeguardingTask.objects.filter(case=case).exists()
    _conflicted_assignments(walk, case, accounts, reporter_known=True)
    _conflicted_assignments(walk, other, accounts, reporter_known=False)
    walk.post("overseer", reverse("cases:act", kwargs={"code": case.code, "action": "override"}),
              {"user": accounts["colleague"], "role": "assessor", "reasons": "No one else has the specialist skills."})
    walk.act("supervisor", case, "assign", {"role": "assessor", "user": accounts["colleague"]})
    walk.act("handler_a", case, "statement", {"text": "He followed me to the car park after the leaving do."})
    walk.sweep("with cases, allegations and assignments", _urls(cast, roster))

    run_tick(actor=Actor.system("tick"), on=clock.today() + timedelta(days=40))
    for escalation in case.escalations.all():
        walk.post("supervisor", reverse("cases:escalation_seen", kwargs={"code": case.code,
                                                                       "public_id": escalation.public_id}),
                  {"note": "Chased the owner."})
    walk.post("handler_a", f"/cases/reports/{secret.public_id}/reply", {"body": "Thank you. Can you tell us more?"})
    walk.post("handler_a", f"/cases/reports/{open_report.public_id}/reply", {"body": "Thank you for telling us."})
    for journey in (confidential, anonymous):
        come_back(journey.client, journey.receipt)
        journey.client.post("/report/status/message", {"message-body": "He was moved to my shift again."})
        journey.client.post("/report/status/retaliation", {"retaliation-body": "I was taken off the promotion list."})
    _investigate_and_decide(walk, case, accounts)
    walk.act("handler_a", other, "record-assessment", {"reasons": ""})
    walk.act("handler_a", other, "close", {"reasons": "The reporter asked us to stop; recorded with reasons."})
    walk.sweep("investigated, decided and one closed", _urls(cast, roster))

    confidential.client.post("/report/status/review", {"review-body": "A written warning is not enough for this."})
    walk.act("handler_a", case, "open-review", {"reasons": ""})
    walk.act("supervisor", case, "review-decision", {"upheld": "no", "reasons": "The outcome was reasonable."})
    walk.act("handler_a", case, "close", {"reasons": "Review not upheld; nothing further."})
    walk.sweep("closed after a review", _urls(cast, roster))

    assert Case.objects.get(pk=case.pk).closed_on and Case.objects.get(pk=other.pk).closed_on
    assert walk.fetched > 1000
    assert walk.found == []
    assert leaks(caplog.text) == []
    # Positive controls: the pages fetched are the real ones, and the same check does see the canary where it
    # legitimately is, in the overseer's reasons.
    report_page = walk.clients["handler_a"].get(f"/cases/reports/{secret.public_id}/").content.decode()
    assert "only the identity custodians can open it" in report_page and "leaving do" in report_page
    assert "Derek Dyer" in walk.clients["supervisor"].get(f"/cases/{case.code}/").content.decode()
    overseer_page = walk.clients["overseer"].get(f"/cases/{case.code}/").content.decode()
    assert "staff number" in leaks(overseer_page) or "name" in leaks(overseer_page)


@pytest.mark.django_db
def test_the_overseer_sees_why_an_assignment_was_refused_and_the_supervisor_does_not(cast, roster, staff_user):
    accounts = _accounts(staff_user)
    confidential, _ = _reporters()
    walk = Walk({who: login(Client(), cast, who) for who in ("handler_a", "supervisor", "overseer")})
    case = _open_and_link(walk, _report(confidential), roster)
    for what in ("reporter", "colleague", "sergeant", "named"):
        walk.act("supervisor", case, "assign", {"role": "investigator", "user": accounts[what]}, expect=403)
    supervisor_page = walk.clients["supervisor"].get(f"/cases/{case.code}/").content.decode()
    assert "they reported this matter" not in supervisor_page and "Conflicts found" not in supervisor_page
    page = html.unescape(walk.clients["overseer"].get(f"/cases/{case.code}/").content.decode())
    assert f"investigator {CANARY['name']} ({CANARY['staff number']}): they reported this matter" in page
    assert "investigator Tobias Tully (3002): they work in the same operational unit as the reporter" in page
    assert "they are in the reporter's chain of command" in page
    assert "investigator Jasmine Jones (2004): they are named in the case" in page
    searched = html.unescape(walk.clients["overseer"].get("/audit/", {"action": "case.conflict_refused"}).content.decode())
    assert "they reported this matter" in searched
    assert walk.clients["supervisor"].get("/audit/", {"action": "case.conflict_refused"}).status_code == 403
