"""Every staff lookup of a report goes through here. Deny by default: 404 when the actor may not know the report
exists, PermissionDenied when they may see it but not act on it. Reading content is audited.

- Overseer: every report (every report's key is sealed to the overseer).
- Handler, supervisor (force): their organisation's reports on the force route, and independent-route reports only
  once the overseer has released them (Report.released_on); new reports (no case yet) for triage, and those whose
  case they may see (cases/access.py).
- Facilitator: the listening-circle disclosures they recorded, until a case team takes them on (a case exists).
  They open them with the listening circles' key (never the force's): the copy of a report's key sealed to the
  circles is deleted when a case team takes it on (cases/triage.py), so the key alone opens nothing more.
- Custodian, analyst, administrator: none.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from upstander.accounts.actions import ROLE_ORGANISATION
from upstander.accounts.models import Organisation, OrganisationKind, Role, User
from upstander.accounts.permissions import CASE_CONTENT_ROLES
from upstander.audit.log import record
from upstander.cases.access import visible_cases
from upstander.reports import sealing
from upstander.reports.attachments import OpenedFile, files_of, open_clean_copy
from upstander.reports.messages import conversation
from upstander.reports.models import Report
from upstander.reports.visibility import force_reports

CONTENT_ROLES = CASE_CONTENT_ROLES  # one rule for who sees case content: accounts.permissions


def visible_reports(actor: User) -> QuerySet[Report]:
    reports = Report.objects.filter(purged_on__isnull=True)
    if actor.role == Role.OVERSEER:
        return reports
    if actor.role == Role.FACILITATOR:
        return reports.filter(facilitator=actor, case__isnull=True)
    if actor.role not in (Role.HANDLER, Role.SUPERVISOR) or actor.organisation is None:
        return reports.none()
    if actor.organisation.kind != OrganisationKind.FORCE:
        return reports.none()
    # The force never sees independent-route reports until the overseer releases them (reports/visibility.py).
    return reports.filter(force_reports(actor.organisation)).filter(Q(case__isnull=True) | Q(case__in=visible_cases(actor)))


def get_report_for(actor: User, public_id: str | uuid.UUID, *, write: bool = False) -> Report:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such report") from None
    report = visible_reports(actor).select_related("handling_org", "case").filter(public_id=key).first()
    if report is None:
        raise Http404("No such report")
    if write and actor.role not in CONTENT_ROLES:
        raise PermissionDenied
    return report


@dataclass
class OpenedReport:
    report: Report
    data_key: bytes
    narrative: str
    place: str
    identity: dict | None
    messages: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)


def key_organisation(actor: User) -> Organisation | None:
    """The organisation whose sealed copy of a report's key the actor's session key may open: their organisation,
    only where it is the one their role holds (accounts.actions.ROLE_ORGANISATION). A facilitator's is the
    listening circles', whatever an account made before circles had their own key says."""
    org = actor.organisation
    if org is None or ROLE_ORGANISATION.get(Role(actor.role)) != org.kind:
        return None
    return org


def open_report_for(actor: User, public_id: str | uuid.UUID, org_private_key: bytes | None) -> OpenedReport:
    """Decrypt a report with the organisation key unlocked in the actor's session; the read is audited.
    Raises sealing.KeyUnavailable when the session holds no key that opens it."""
    report = get_report_for(actor, public_id)
    data_key = sealing.data_key_for_org(report, key_organisation(actor), org_private_key)
    opened = OpenedReport(report=report, data_key=data_key, narrative=sealing.decrypt_field(data_key, report, "narrative"),
                          place=sealing.decrypt_field(data_key, report, "place"),
                          identity=sealing.decrypt_identity(data_key, report),
                          messages=conversation(report, data_key, with_authors=True),
                          attachments=[f.as_dict() for f in files_of(report, data_key)])
    with transaction.atomic():
        record(actor, "report.read", report)
    return opened


def open_report_file_for(actor: User, public_id: str | uuid.UUID, file_id, org_private_key: bytes | None) -> OpenedFile:
    """One of a report's files (the copy with metadata removed), opened with the organisation key in the actor's
    session; the read is audited. Raises sealing.KeyUnavailable or attachments.FileUnavailable."""
    report = get_report_for(actor, public_id)
    data_key = sealing.data_key_for_org(report, key_organisation(actor), org_private_key)
    opened = open_clean_copy(report, file_id, data_key)
    with transaction.atomic():
        record(actor, "report.file_read", report)
    return opened
