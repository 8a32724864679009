"""Reporter actions. The actor is always Actor.reporter(): the audit log keeps the day, never the time, and never
anything that identifies the reporter or their device. Reasons written to the audit log name facts (mode, channel,
counts), never anything the reporter typed.

The report, its sealing, messages and files are the reports core's (upstander/reports); the staff side hears of a
new report or request through the core's hooks, inside the same transaction, and is never imported here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.audit.log import REPORTER_ROLE, Actor, record
from upstander.intake import drafts
from upstander.intake.timeline import review_window
from upstander.reports import pins, sealing
from upstander.reports.attachments import StagedFile
from upstander.reports.choices import Channel, MessageDirection, RequestKind
from upstander.reports.creation import ReportInput, receive_report, route_of
from upstander.reports.messages import add_message, add_reporter_request
from upstander.reports.models import Message, Report
from upstander.reports.receipts import ReceiptKey


def _require_reporter(actor: Actor) -> None:
    if not isinstance(actor, Actor) or actor.role != REPORTER_ROLE:
        raise PermissionDenied("reporter actions are taken by the reporter")


@dataclass(frozen=True)
class Submitted:
    receipt: str
    report_public_id: uuid.UUID
    created: bool  # False: this was a repeat of a submission already made; the same receipt is shown again


def do_submit_report(*, actor: Actor, draft: drafts.OpenDraft, data: ReportInput, files: list[StagedFile],
                     receipt: str, receipt_key: ReceiptKey) -> Submitted:
    """Create the report once per draft. A repeated POST (double click, reload, a retry after a lost response)
    finds the draft already submitted and gets the receipt that was issued, not a second report.

    Raises pins.RecipientKeyRefused, with nothing stored, when an organisation key on record is not the pinned one
    (the overseer is alerted): the report is never sealed to a swapped key."""
    _require_reporter(actor)
    with pins.alerting_on_refusal(), transaction.atomic():
        current = drafts.load_for_update(draft)
        if current is None:
            raise PermissionDenied("the draft has expired")
        if current.state.token != draft.state.token:
            raise PermissionDenied("the draft changed")
        if current.state.submitted:
            return Submitted(current.state.submitted["receipt"], uuid.UUID(current.state.submitted["report"]), False)
        report = receive_report(
            data, actor=actor, action="report.submit", receipt=(receipt_key.key, receipt_key.lookup), files=files,
            reason=f"{Channel.ONLINE}; mode {data.mode}; route {route_of(data)}; {len(files)} file(s)")
        drafts.mark_submitted(current, receipt=receipt, report_public_id=report.public_id)
    return Submitted(receipt, report.public_id, True)


_KIND_ACTION: dict[str | None, str] = {
    None: "report.reporter_message",
    RequestKind.INFORMATION: "report.information_added",
    RequestKind.RETALIATION: "report.retaliation_reported",
    RequestKind.REVIEW: "report.review_requested",
}


def do_add_reporter_message(*, actor: Actor, report: Report, data_key: bytes, body: str, kind: str | None = None,
                            files: Sequence[StagedFile] = ()) -> Message:
    """A message from the reporter, encrypted under the report's data key, with any files; `kind` also records
    a structured request (information, retaliation, review) in the clear for the workflow. A retaliation account
    joins the overseer's retaliation alert (safeguarding hears of it through the core's hook, in this transaction;
    the same ciphertext: the overseer's organisation holds the report's key too)."""
    _require_reporter(actor)
    try:
        sealing.check_data_key(report, data_key)
    except sealing.KeyUnavailable:
        raise PermissionDenied("not this report's key") from None
    with transaction.atomic():
        message = add_message(report, data_key, direction=MessageDirection.FROM_REPORTER, body=body, files=files)
        record(actor, _KIND_ACTION[kind], report, reason=f"{len(files)} file(s)" if files else "")
        if kind is not None:
            add_reporter_request(report, message, kind, actor=actor)
    return message


def do_add_information(*, actor: Actor, report: Report, data_key: bytes, body: str,
                       files: Sequence[StagedFile] = ()) -> Message:
    return do_add_reporter_message(actor=actor, report=report, data_key=data_key, body=body,
                                   kind=RequestKind.INFORMATION, files=files)


def do_report_retaliation(*, actor: Actor, report: Report, data_key: bytes, body: str,
                          files: Sequence[StagedFile] = ()) -> Message:
    return do_add_reporter_message(actor=actor, report=report, data_key=data_key, body=body,
                                   kind=RequestKind.RETALIATION, files=files)


def do_request_review(*, actor: Actor, report: Report, data_key: bytes, body: str) -> Message:
    window = review_window(report)
    if window is None or not window.open:
        raise PermissionDenied("a review can be asked for only within the allowed time after the outcome")
    return do_add_reporter_message(actor=actor, report=report, data_key=data_key, body=body, kind=RequestKind.REVIEW)
