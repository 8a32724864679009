"""Staff actions on reports: replying to the reporter and recording listening-circle disclosures. The report, its
sealing and messages are the reports core's (upstander/reports); these actions check who may act and audit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.accounts.models import Role, User
from upstander.audit.log import record
from upstander.cases import clocks
from upstander.cases.report_access import get_report_for
from upstander.lib import clock
from upstander.reports import pins, sealing
from upstander.reports.choices import Channel, Consent, MessageDirection
from upstander.reports.creation import ReportInput, receive_report
from upstander.reports.messages import MAX_MESSAGE_CHARS, add_message
from upstander.reports.models import ListeningCircleDisclosure, Message, Report
from upstander.reports.notify import notify_update
from upstander.reports.receipts import ReceiptKey

MAX_REPLY_CHARS = MAX_MESSAGE_CHARS


def do_reply_to_reporter(*, actor: User, report: Report, data_key: bytes, body: str, is_question: bool = False) -> Message:
    """A message to the reporter, encrypted under the report's data key; the reporter reads it with their receipt.
    A named reporter who asked for it is emailed "there is an update", the address opened with the same key."""
    get_report_for(actor, report.public_id, write=True)
    try:
        sealing.check_data_key(report, data_key)
    except sealing.KeyUnavailable:
        raise PermissionDenied("not this report's key") from None
    if not (body or "").strip() or len(body.strip()) > MAX_REPLY_CHARS:
        raise ValueError(f"a reply must have between 1 and {MAX_REPLY_CHARS:,} characters")
    with transaction.atomic():
        message = add_message(report, data_key, direction=MessageDirection.TO_REPORTER, body=body, author=actor,
                              is_question=is_question)
        record(actor, "report.reply", report, reason="question to the reporter" if is_question else "message")
        if report.case_id is not None:
            clocks.refresh_due([report.case_id])  # a reply meets the reporter-update clock: the queue sees it now
        transaction.on_commit(lambda: notify_update(report, data_key))
    return message


def do_record_disclosure(*, actor: User, data: ReportInput, session_on: date, consent: str,
                         receipt_key: ReceiptKey | None = None) -> Report:
    """One disclosure made in a listening circle becomes its own report, sealed like any other, with the
    discloser's chosen mode and consent. Nothing said in a circle is left unrecorded. It is sealed to the listening
    circles' key too (the facilitator's, never the force's), so the facilitator can read it back until a case team
    takes it on; opening a case deletes that copy (cases/triage.py). Raises
    pins.RecipientKeyRefused, with nothing stored, when an organisation key on record is not the pinned one."""
    if actor.role != Role.FACILITATOR:
        raise PermissionDenied("only a listening-circle facilitator records disclosures")
    if session_on > clock.today():
        raise ValueError("the session cannot be in the future")
    with pins.alerting_on_refusal(), transaction.atomic():
        report = receive_report(data, actor=actor, action="report.disclosure_recorded",
                                reason=f"mode {data.mode}; consent {consent}",
                                receipt=(receipt_key.key, receipt_key.lookup) if receipt_key else None,
                                channel=Channel.LISTENING_CIRCLE, received_on=session_on, facilitator=actor)
        ListeningCircleDisclosure.objects.create(report=report, session_on=session_on, consent=Consent(consent))
    return report
