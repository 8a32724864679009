"""Reports and allegations for safeguarding tests, made through the real reporter-side and workflow actions."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from upstander.audit.log import Actor, record
from upstander.cases import actions as case_actions
from upstander.cases.choices import ReporterType, ReportingMode
from upstander.cases.models import Allegation, Report
from upstander.people.models import Person
from upstander.reports.creation import Identity, ReportInput, Subject, create_report


def staff_report(reporter: Person | None, subject: Person, categories: tuple[str, ...] = ("sexual_misconduct",), *,
                 role: str = "victim", mode: str = ReportingMode.NAMED, received_on: date | None = None) -> Report:
    """A member of staff reports `subject`, giving their staff number (so the protected reporter link is made)."""
    identity = Identity(name=reporter.full_name, staff_number=reporter.number) if reporter else None
    data = ReportInput(mode=mode if reporter else ReportingMode.ANONYMOUS, reporter_type=ReporterType.STAFF,
                       narrative="He keeps touching me on shift and I have asked him to stop.",
                       categories=list(categories), reporter_role=role, identity=identity,
                       subjects=[Subject(name=subject.full_name, number=subject.number)])
    with transaction.atomic():
        report = create_report(data, receipt=None, received_on=received_on)
        record(Actor.reporter(), "report.submit", report, reason="test")
    return report


def allegation_from(report: Report, handler, category: str | None = None) -> Allegation:
    """The handler opens a case from the report, links the subject and records the allegation."""
    case = case_actions.do_open_case(actor=handler, report=report)
    mention = report.mentions.get()
    person = Person.objects.get(number=mention.number_as_written)
    case_actions.do_link_mention(actor=handler, mention=mention, person=person)
    return case_actions.do_add_allegation(actor=handler, case=case, category=category or report.categories[0],
                                          mention=mention)
