"""Reports and cases for the custody tests, made the way the reporter side and the case workflow make them."""

from __future__ import annotations

import pytest
from django.db import transaction

from upstander.audit.log import Actor, record
from upstander.cases.choices import ReporterType, ReportingMode, Route
from upstander.reports import sealing
from upstander.reports.creation import Identity, ReportInput, Subject, create_report

REPORTER_NAME = "Erin Evans"
NARRATIVE = "My sergeant shouts at me in front of the team every shift and calls me names."


@pytest.fixture
def submit(cast):
    """Submit a report as the reporter side does (sealed, audited as the reporter). Confidential by default, so
    its identity is sealed to the identity custodians."""

    def make(*, mode: str = ReportingMode.CONFIDENTIAL, route: str = Route.FORCE, narrative: str = NARRATIVE,
             categories: tuple[str, ...] = ("bullying",), name: str = REPORTER_NAME, place: str = "",
             subject: str = "Derek Dyer"):
        identity = Identity(name=name, staff_number="1005", email="erin@example.org")
        data = ReportInput(mode=mode, reporter_type=ReporterType.STAFF, narrative=narrative,
                           categories=list(categories), reporter_role="victim", route=route, place=place,
                           identity=None if mode == ReportingMode.ANONYMOUS else identity,
                           subjects=[Subject(name=subject, number="1004", unit="North Borough")])
        with transaction.atomic():
            report = create_report(data, receipt=None)
            record(Actor.reporter(), "report.submit", report, reason=f"test; route {report.route}")
        org = report.handling_org
        report.data_key = sealing.data_key_for_org(report, org, cast.org_keys[org.kind])
        return report

    return make


@pytest.fixture
def open_case(cast):
    """A case opened from a report by a handler (handler_a unless told), through the case workflow's action."""
    from upstander.cases import actions

    def make(report, *, by: str = "handler_a"):
        actor = cast.users[by]
        case = actions.do_open_case(actor=actor, report=report)
        case.refresh_from_db()
        return case

    return make
