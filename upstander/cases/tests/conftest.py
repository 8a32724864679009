"""A small force for the case-workflow tests, made through the real roster import, and the personas placed in it:
the handlers and the supervisor work in professional standards and are linked to their roster entries, so
independence checks run on them.

Line management in the North borough: Supt Adams → Insp Baker → Sgt Clarke → PC Dyer (the usual subject) and
PC Green (his colleague, not his manager).
PC Evans (South borough, managed by Sgt Foster) is the usual staff reporter.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

from upstander.audit.log import Actor, record
from upstander.cases import actions
from upstander.cases.choices import ReporterType, ReportingMode, Route
from upstander.people.importing import import_files
from upstander.people.models import Person, Unit
from upstander.reports import sealing
from upstander.reports.creation import Identity, ReportInput, Subject, create_report
from upstander.testing.personas import create_cast

UNITS = [
    # unit_code, unit_name, command_code, command_name, professional_standards
    ("PSU", "Professional Standards", "PROF", "Professionalism", "true"),
    ("NB", "North Borough", "FRONT", "Frontline Policing", "false"),
    ("SB", "South Borough", "FRONT", "Frontline Policing", "false"),
]
PEOPLE = [
    # number, rank, given, family, unit, line manager
    ("1001", "Superintendent", "Alice", "Adams", "NB", ""),
    ("1002", "Inspector", "Brian", "Baker", "NB", "1001"),
    ("1003", "Sergeant", "Carol", "Clarke", "NB", "1002"),
    ("1004", "Constable", "Derek", "Dyer", "NB", "1003"),
    ("1005", "Constable", "Erin", "Evans", "SB", "1006"),
    ("1006", "Sergeant", "Frank", "Foster", "SB", "1001"),
    ("1007", "Constable", "Gina", "Green", "NB", "1003"),
    ("2001", "Inspector", "Priya", "Patel", "PSU", ""),
    ("2002", "Sergeant", "Hana", "Hughes", "PSU", "2001"),
    ("2003", "Sergeant", "Ian", "Irving", "PSU", "2001"),
]
PERSONA_NUMBERS = {"supervisor": "2001", "handler_a": "2002", "handler_b": "2003"}


def _write(path, header, rows):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def roster(db, tmp_path) -> dict[str, Person]:
    units = _write(tmp_path / "units.csv", ["unit_code", "unit_name", "command_code", "command_name",
                                             "professional_standards"], UNITS)
    people = _write(tmp_path / "people.csv", [
        "number", "kind", "given_name", "family_name", "rank", "joined_on", "unit_code", "line_manager_number",
        "ethnicity", "sex"], [(n, "officer", g, f, r, "2010-04-01", u, lm, "white_british", "female")
                              for n, r, g, f, u, lm in PEOPLE])
    outcome = import_files([units, people], actor=Actor.system("import"))
    assert outcome.ok, outcome.as_dict()
    return {p.number: p for p in Person.objects.select_related("unit", "line_manager")}


@pytest.fixture
def cast(db, roster):
    """The base personas, with handlers and the supervisor in professional standards and on the roster."""
    psu = Unit.objects.get(code="PSU")
    return create_cast(unit=psu, persons={name: roster[number] for name, number in PERSONA_NUMBERS.items()})


@dataclass
class NewReport:
    report: object
    data_key: bytes


@pytest.fixture
def make_report(cast):
    """Submit a report the way the reporter side does (reports.creation.create_report, audited as the reporter)."""

    def make(narrative: str = "My sergeant shouts at me in front of the team every shift.", *,
             categories: tuple[str, ...] = ("bullying",), subjects=(("Derek Dyer", "1004", "North Borough"),),
             route: str = Route.FORCE, received_on: date | None = None, staff_number: str = "",
             mode: str = ReportingMode.NAMED) -> NewReport:
        identity = Identity(name="Erin Evans" if staff_number else "Sam Public", staff_number=staff_number)
        data = ReportInput(mode=mode, reporter_type=ReporterType.STAFF if staff_number or route == Route.INDEPENDENT
                           else ReporterType.PUBLIC, narrative=narrative, categories=list(categories),
                           reporter_role="victim", route=route, identity=identity,
                           subjects=[Subject(name=n, number=num, unit=u) for n, num, u in subjects])
        with transaction.atomic():
            report = create_report(data, receipt=None, received_on=received_on)
            record(Actor.reporter(), "report.submit", report, reason=f"test; route {report.route}")
        org = report.handling_org
        key = sealing.data_key_for_org(report, org, cast.org_keys[org.kind])
        return NewReport(report, key)

    return make


@pytest.fixture
def opened(make_report, cast, roster):
    """open a case from a new report, by handler_a (its owner), with the usual subject linked."""

    def make(narrative: str = "My sergeant shouts at me in front of the team every shift.", **kwargs):
        new = make_report(narrative, **kwargs)
        case = actions.do_open_case(actor=cast.users["handler_a"], report=new.report)
        for mention in new.report.mentions.all():
            person = roster.get(mention.number_as_written)
            if person is not None:
                actions.do_link_mention(actor=cast.users["handler_a"], mention=mention, person=person)
        case.refresh_from_db()
        case.data_key = new.data_key  # type: ignore[attr-defined]  # the report key, for statement tests
        return case

    return make


@pytest.fixture
def staff_user(cast, roster):
    """An extra professional-standards account linked to a roster person: staff_user("1002", role="handler")."""
    from upstander.accounts.actions import do_create_staff_user

    def make(number: str, role: str = "handler"):
        person = roster[number]
        user, _ = do_create_staff_user(actor=Actor.system("setup"), username=f"user{number}", password="not-used-here-123",
                                       role=role, first_name=person.given_name, last_name=person.family_name,
                                       unit=Unit.objects.get(code="PSU"), person=person)
        return user

    return make
