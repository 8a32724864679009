"""Making a report: sealed, with its subjects as written, the staff-reporter link and any files.

`create_report` builds the rows inside the caller's transaction and neither checks permission nor audits;
`receive_report` is what a channel calls (the reporter's online form, a facilitator's listening-circle record): it
creates the report, writes the channel's audit event and tells the staff side a report has arrived
(hooks.report_received, for the safety net), all in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from upstander.audit.log import record
from upstander.lib import clock
from upstander.people.models import Person
from upstander.reports import hooks, sealing
from upstander.reports.attachments import StagedFile, attach
from upstander.reports.choices import Channel, ReporterType, ReportingMode, Route
from upstander.reports.models import Report, ReporterLink, SealedKey, SubjectMention


@dataclass
class Subject:
    name: str = ""
    number: str = ""
    unit: str = ""

    def is_blank(self) -> bool:
        return not (self.name or self.number or self.unit)


@dataclass
class Identity:
    name: str
    staff_number: str = ""
    email: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "staff_number": self.staff_number, "email": self.email}


@dataclass
class ReportInput:
    mode: str
    reporter_type: str
    narrative: str
    categories: list[str]
    reporter_role: str = ""
    route: str = Route.FORCE
    place: str = ""
    incident_on: date | None = None
    still_works_alongside: bool | None = None
    subjects: list[Subject] = field(default_factory=list)
    identity: Identity | None = None
    wants_update_email: bool = False
    reporter_sex: str = ""
    reporter_ethnicity: str = ""


def match_staff_reporter(identity: Identity | None) -> Person | None:
    """The roster entry of a staff reporter who gave their warrant or staff number, if it matches: the number, and
    the roster family name appearing in the name they gave (so a mistyped number does not link someone else)."""
    if identity is None or not identity.staff_number.strip():
        return None
    person = Person.objects.filter(number__iexact=identity.staff_number.strip()).first()
    if person is None or person.family_name.lower() not in identity.name.lower():
        return None
    return person


def route_of(data: ReportInput) -> str:
    """The independent route is for officers and staff; everyone else's report goes to the force."""
    return data.route if data.reporter_type == ReporterType.STAFF else Route.FORCE


def _new_report(data: ReportInput, data_key: bytes, *, channel: str, received_on: date | None, facilitator) -> Report:
    public_id = uuid.uuid4()
    route = route_of(data)
    identity = data.identity if data.mode != ReportingMode.ANONYMOUS else None
    report = Report(
        public_id=public_id, channel=channel, mode=data.mode, route=route, reporter_type=data.reporter_type,
        reporter_role=data.reporter_role, categories=list(data.categories),
        received_on=received_on or clock.today(), incident_on=data.incident_on,
        still_works_alongside=data.still_works_alongside, handling_org=sealing.handling_org(route),
        reporter_sex=data.reporter_sex, reporter_ethnicity=data.reporter_ethnicity,
        narrative_ct=sealing.encrypt_field(data_key, public_id, "narrative", data.narrative),
        place_ct=sealing.encrypt_field(data_key, public_id, "place", data.place) if data.place else None,
        wants_update_email=bool(data.wants_update_email and data.mode == ReportingMode.NAMED and identity
                                and identity.email),
        facilitator=facilitator,
    )
    if identity is not None and data.mode == ReportingMode.NAMED:
        report.identity_ct = sealing.encrypt_identity(data_key, public_id, identity.as_dict())
    elif identity is not None and data.mode == ReportingMode.CONFIDENTIAL:
        report.sealed_identity = sealing.seal_identity(identity.as_dict())
    return report


def create_report(data: ReportInput, *, receipt: tuple[bytes, str] | None, channel: str = Channel.ONLINE,
                  received_on: date | None = None, facilitator=None, files: Sequence[StagedFile] = ()) -> Report:
    """Create the report, sealed. `receipt` is (receipt key, lookup) or None. Call inside transaction.atomic()."""
    data_key = sealing.new_data_key()
    report = _new_report(data, data_key, channel=channel, received_on=received_on, facilitator=facilitator)
    if receipt is not None:
        receipt_key, lookup = receipt
        report.receipt_lookup = lookup
        report.receipt_sealed_key = sealing.wrap_for_receipt(report.public_id, receipt_key, data_key)
    report.save()
    # A facilitator's disclosure is sealed to the listening circles too (their key, never the force's), so they can
    # read back what they recorded until a case team takes it on.
    SealedKey.objects.bulk_create([sealing.seal_data_key(report, org, data_key) for org in
                                   sealing.recipients(report.route, listening_circle=facilitator is not None)])
    SubjectMention.objects.bulk_create([
        SubjectMention(report=report, name_as_written=s.name[:200], number_as_written=s.number[:64],
                       unit_as_written=s.unit[:200])
        for s in data.subjects if not s.is_blank()])
    if data.reporter_type == ReporterType.STAFF and data.identity is not None and data.mode != ReportingMode.ANONYMOUS:
        person = match_staff_reporter(data.identity)
        if person is not None:
            ReporterLink.objects.create(report=report, person=person)
    if files:
        attach(report, data_key, list(files))
    return report


def receive_report(data: ReportInput, *, actor, action: str, reason: str, receipt: tuple[bytes, str] | None,
                   channel: str = Channel.ONLINE, received_on: date | None = None, facilitator=None,
                   files: Sequence[StagedFile] = ()) -> Report:
    """A report arrives through a channel: create it, audit it as `action`, then tell the staff side
    (hooks.report_received: the safety net reads the narrative while its plain text exists, so a serious matter
    filed under a lesser category is flagged from the first moment; the flag, not the text, is kept).
    Call inside the caller's transaction; `actor` has been checked by the caller."""
    report = create_report(data, receipt=receipt, channel=channel, received_on=received_on, facilitator=facilitator,
                           files=files)
    record(actor, action, report, reason=reason)
    hooks.report_received.send(sender=Report, report=report, narrative=data.narrative, actor=actor)
    return report
