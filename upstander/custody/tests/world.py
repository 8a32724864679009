"""A small installation with one of everything a staff URL can point at, made through the real importers and
actions: a roster, the personas placed in professional standards, a case, reports in the inbox, a sealed identity
request, a legal hold, a retaliation alert. Used by the every-URL and attack tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from upstander.accounts.actions import do_create_staff_user, do_grant_key
from upstander.accounts.models import Role, User
from upstander.audit.log import Actor, record
from upstander.cases.choices import ReporterType, ReportingMode, Route
from upstander.cases.models import Case, Report
from upstander.lib import storage
from upstander.reports import files, receipts, sealing
from upstander.reports.attachments import attach, stage_file
from upstander.reports.creation import Identity, ReportInput, Subject, create_report
from upstander.testing.personas import Cast, create_cast

UNITS = [("PSU", "Professional Standards", "PROF", "Professionalism", "true"),
         ("PSU2", "Professional Standards East", "PROF", "Professionalism", "true"),
         ("NB", "North Borough", "FRONT", "Frontline Policing", "false")]
PEOPLE = [("2001", "Inspector", "Priya", "Patel", "PSU", ""), ("2002", "Sergeant", "Hana", "Hughes", "PSU", "2001"),
          ("2003", "Sergeant", "Ian", "Irving", "PSU", "2001"), ("3001", "Sergeant", "Olu", "Okafor", "PSU2", ""),
          ("1001", "Inspector", "Alice", "Adams", "NB", ""), ("1004", "Constable", "Derek", "Dyer", "NB", "1001"),
          ("1005", "Constable", "Erin", "Evans", "NB", "1001")]
PERSONA_NUMBERS = {"supervisor": "2001", "handler_a": "2002", "handler_b": "2003"}
REPORTER = "Erin Evans"
NARRATIVE = "PC Dyer grabbed me in the locker room and said nobody would believe me."


def _write(path: Path, header: list[str], rows) -> Path:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_roster(tmp_path: Path) -> dict:
    from upstander.people.importing import import_files
    from upstander.people.models import Person, Unit

    units = _write(tmp_path / "units.csv", ["unit_code", "unit_name", "command_code", "command_name",
                                             "professional_standards"], UNITS)
    people = _write(tmp_path / "people.csv", [
        "number", "kind", "given_name", "family_name", "rank", "joined_on", "unit_code", "line_manager_number",
        "ethnicity", "sex"], [(n, "officer", g, f, r, "2010-04-01", u, lm, "white_british", "female")
                              for n, r, g, f, u, lm in PEOPLE])
    outcome = import_files([units, people], actor=Actor.system("import"))
    assert outcome.ok, outcome.as_dict()
    return {"people": {p.number: p for p in Person.objects.all()}, "units": {u.code: u for u in Unit.objects.all()}}


def submit_report(cast: Cast, *, mode: str = ReportingMode.CONFIDENTIAL, route: str = Route.FORCE,
                  narrative: str = NARRATIVE, place: str = "", name: str = REPORTER, file: tuple[str, bytes] | None = None,
                  subject: str = "Derek Dyer", categories: tuple[str, ...] = ("sexual_misconduct",),
                  with_receipt: bool = False) -> Report:
    """A report as the reporter side makes it; `report.data_key` (and `report.receipt` when asked for) are set for
    the test's own use and never stored."""
    identity = None if mode == ReportingMode.ANONYMOUS else Identity(name=name, staff_number="1005")
    data = ReportInput(mode=mode, reporter_type=ReporterType.STAFF, narrative=narrative, categories=list(categories),
                       reporter_role="victim", route=route, place=place, identity=identity,
                       subjects=[Subject(name=subject, number="1004", unit="North Borough")])
    receipt = receipts.new_receipt() if with_receipt else ""
    receipt_key = receipts.derive(receipt) if with_receipt else None
    staged = []
    if file is not None:
        staged = [stage_file(files.check(*file))]
    with transaction.atomic():
        report = create_report(data, receipt=(receipt_key.key, receipt_key.lookup) if receipt_key else None)
        record(Actor.reporter(), "report.submit", report, reason="test")
        org = report.handling_org
        data_key = sealing.data_key_for_org(report, org, cast.org_keys[org.kind])
        if staged:
            attach(report, data_key, staged)
    for s in staged:
        storage.promote(s.original_blob)
        storage.promote(s.clean_blob)
    report.data_key = data_key
    report.receipt = receipt
    return report


@dataclass
class World:
    cast: Cast
    roster: dict
    case: Case  # opened by handler_a (owner), unit PSU
    case_report: Report  # confidential, with a file
    inbox_report: Report  # force route, not yet on a case
    independent_report: Report  # independent route, not released
    other_unit_case: Case  # opened by a handler of PSU2
    disclosure_request: object
    hold: object
    safeguarding_task: object  # the reporter shares a line manager with the subject
    alert: object  # the case's confidential staff reporter says they suffer retaliation


    def user(self, name: str) -> User:
        return self.cast.users[name]


def build_world(tmp_path: Path) -> World:
    from upstander.cases import actions
    from upstander.custody.break_glass import do_request_disclosure
    from upstander.custody.retention import do_set_legal_hold
    from upstander.safeguarding.actions import do_check_separation
    from upstander.safeguarding.retaliation import do_report_retaliation

    roster = import_roster(tmp_path)
    cast = create_cast(unit=roster["units"]["PSU"],
                       persons={name: roster["people"][n] for name, n in PERSONA_NUMBERS.items()})
    other, _ = do_create_staff_user(actor=Actor.system("setup"), username="handler_east",
                                    password="handler_east-correct-horse-battery", role=Role.HANDLER,
                                    unit=roster["units"]["PSU2"], person=roster["people"]["3001"])
    do_grant_key(actor=Actor.system("setup"), granter_key=cast.org_keys["force"], user=other,
                 password="handler_east-correct-horse-battery")
    case_report = submit_report(cast, file=("notes.txt", b"what he said, written down the same day"))
    case = actions.do_open_case(actor=cast.users["handler_a"], report=case_report)
    subject = roster["people"]["1004"]
    actions.do_link_mention(actor=cast.users["handler_a"], mention=case_report.mentions.get(), person=subject)
    allegation = actions.do_add_allegation(actor=cast.users["handler_a"], case=case, category="sexual_misconduct",
                                           subject=subject)
    [task] = do_check_separation(actor=cast.users["handler_a"], allegation=allegation)
    other_report = submit_report(cast, narrative="Another unit's matter entirely.")
    other_case = actions.do_open_case(actor=other, report=other_report)
    inbox_report = submit_report(cast, narrative="A new report nobody has triaged yet.")
    independent = submit_report(cast, route=Route.INDEPENDENT, narrative="Only the overseer may read this.")
    request = do_request_disclosure(actor=cast.users["custodian"], report=case_report,
                                    reason="Court order for disclosure in the criminal trial of the subject.")
    hold = do_set_legal_hold(actor=cast.users["supervisor"], case=case, reason="Civil claim issued against the force")
    alert = do_report_retaliation(actor=Actor.reporter(), report=case_report, kinds=["involuntary_transfer"])
    case.refresh_from_db()
    return World(cast=cast, roster=roster, case=case, case_report=case_report, inbox_report=inbox_report,
                 independent_report=independent, other_unit_case=other_case, disclosure_request=request, hold=hold,
                 safeguarding_task=task, alert=alert)
