"""Reporter actions. The actor is always Actor.reporter(): the audit log keeps the day, never the time, and never
anything that identifies the reporter or their device. Reasons written to the audit log name facts (mode, channel,
counts), never anything the reporter typed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from upstander.audit.log import REPORTER_ROLE, Actor, record
from upstander.cases.triage import do_screen_narrative
from upstander.intake import drafts, sealing
from upstander.intake.receipts import ReceiptKey
from upstander.intake.reports import ReportInput, StagedFile, attach, create_report
from upstander.reports.choices import MessageDirection, RequestKind
from upstander.reports.models import Message, Report, ReporterRequest

MAX_MESSAGE_CHARS = 20_000


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
    finds the draft already submitted and gets the receipt that was issued, not a second report."""
    _require_reporter(actor)
    with transaction.atomic():
        current = drafts.load_for_update(draft)
        if current is None:
            raise PermissionDenied("the draft has expired")
        if current.state.token != draft.state.token:
            raise PermissionDenied("the draft changed")
        if current.state.submitted:
            return Submitted(current.state.submitted["receipt"], uuid.UUID(current.state.submitted["report"]), False)
        report = create_report(data, receipt=(receipt_key.key, receipt_key.lookup), files=files)
        drafts.mark_submitted(current, receipt=receipt, report_public_id=report.public_id)
        record(actor, "report.submit", report,
               reason=f"online; mode {report.mode}; route {report.route}; {len(files)} file(s)")
        # The safety net reads the narrative while its plain text exists, so a serious matter filed under a lesser
        # category is flagged from the first moment; the flag, not the text, is kept.
        do_screen_narrative(actor=actor, report=report, narrative=data.narrative)
    return Submitted(receipt, report.public_id, True)


def _next_sequence(report: Report) -> int:
    return (Message.objects.filter(report=report).aggregate(m=Max("sequence"))["m"] or 0) + 1


_KIND_ACTION: dict[str | None, str] = {
    None: "report.reporter_message",
    RequestKind.INFORMATION: "report.information_added",
    RequestKind.RETALIATION: "report.retaliation_reported",
    RequestKind.REVIEW: "report.review_requested",
}


def do_add_reporter_message(*, actor: Actor, report: Report, data_key: bytes, body: str, kind: str | None = None,
                            files: Sequence[StagedFile] = ()) -> Message:
    """A message from the reporter, encrypted under the report's data key, with any files; `kind` also records
    a structured request (information, retaliation, review) in the clear for the workflow."""
    _require_reporter(actor)
    try:
        sealing.check_data_key(report, data_key)
    except sealing.KeyUnavailable:
        raise PermissionDenied("not this report's key") from None
    body = body.strip()
    if not body and not files:
        raise ValueError("an empty message")
    if len(body) > MAX_MESSAGE_CHARS:
        raise ValueError("message too long")
    today = timezone.localdate()
    public_id = uuid.uuid4()
    with transaction.atomic():
        message = Message.objects.create(
            public_id=public_id, report=report, direction=MessageDirection.FROM_REPORTER,
            body_ct=sealing.encrypt_message(data_key, public_id, body), sent_on=today,
            sequence=_next_sequence(report))
        if files:
            attach(report, data_key, list(files), message=message)
        if kind is not None:
            ReporterRequest.objects.create(report=report, kind=RequestKind(kind), message=message, made_on=today)
        record(actor, _KIND_ACTION[kind], report, reason=f"{len(files)} file(s)" if files else "")
    return message


def do_add_information(*, actor: Actor, report: Report, data_key: bytes, body: str,
                       files: Sequence[StagedFile] = ()) -> Message:
    return do_add_reporter_message(actor=actor, report=report, data_key=data_key, body=body,
                                   kind=RequestKind.INFORMATION, files=files)


def do_report_retaliation(*, actor: Actor, report: Report, data_key: bytes, body: str,
                          files: Sequence[StagedFile] = ()) -> Message:
    """The reporter's account goes to the case team as a message and joins the overseer's retaliation alert
    (the same ciphertext: the overseer's organisation holds the report's key too)."""
    from upstander.safeguarding.retaliation import do_report_retaliation as join_retaliation_alert

    with transaction.atomic():
        message = do_add_reporter_message(actor=actor, report=report, data_key=data_key, body=body,
                                          kind=RequestKind.RETALIATION, files=files)
        join_retaliation_alert(actor=actor, report=report, text_ct=bytes(message.body_ct))
    return message


def do_request_review(*, actor: Actor, report: Report, data_key: bytes, body: str) -> Message:
    from upstander.intake.timeline import review_window

    window = review_window(report)
    if window is None or not window.open:
        raise PermissionDenied("a review can be asked for only within the allowed time after the outcome")
    return do_add_reporter_message(actor=actor, report=report, data_key=data_key, body=body, kind=RequestKind.REVIEW)
