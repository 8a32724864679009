"""Staff actions on reports: replying to the reporter and recording listening-circle disclosures."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from upstander.accounts.models import Role, User
from upstander.audit.log import record
from upstander.cases import clocks
from upstander.cases.choices import Channel, MessageDirection
from upstander.cases.models import Message, Report
from upstander.cases.report_access import get_report_for
from upstander.cases.triage import do_screen_narrative
from upstander.intake import sealing
from upstander.intake.receipts import ReceiptKey
from upstander.intake.reports import ReportInput, create_report
from upstander.reports.choices import Consent
from upstander.reports.models import ListeningCircleDisclosure

MAX_REPLY_CHARS = 20_000


def do_reply_to_reporter(*, actor: User, report: Report, data_key: bytes, body: str, is_question: bool = False) -> Message:
    """A message to the reporter, encrypted under the report's data key; the reporter reads it with their receipt."""
    get_report_for(actor, report.public_id, write=True)
    try:
        sealing.check_data_key(report, data_key)
    except sealing.KeyUnavailable:
        raise PermissionDenied("not this report's key") from None
    body = body.strip()
    if not body or len(body) > MAX_REPLY_CHARS:
        raise ValueError("a reply must have between 1 and 20,000 characters")
    public_id = uuid.uuid4()
    with transaction.atomic():
        sequence = (Message.objects.filter(report=report).aggregate(m=Max("sequence"))["m"] or 0) + 1
        message = Message.objects.create(
            public_id=public_id, report=report, direction=MessageDirection.TO_REPORTER,
            body_ct=sealing.encrypt_message(data_key, public_id, body), sent_on=timezone.localdate(),
            sequence=sequence, author=actor, is_question=is_question)
        record(actor, "report.reply", report, reason="question to the reporter" if is_question else "message")
        if report.case_id is not None:
            clocks.refresh_due([report.case_id])  # a reply meets the reporter-update clock: the queue sees it now

        def notify() -> None:
            from upstander.intake.notify import notify_update

            notify_update(report)

        transaction.on_commit(notify)
    return message


def do_record_disclosure(*, actor: User, data: ReportInput, session_on: date, consent: str,
                         receipt_key: ReceiptKey | None = None) -> Report:
    """One disclosure made in a listening circle becomes its own report, sealed like any other, with the
    discloser's chosen mode and consent. Nothing said in a circle is left unrecorded."""
    if actor.role != Role.FACILITATOR:
        raise PermissionDenied("only a listening-circle facilitator records disclosures")
    if session_on > timezone.localdate():
        raise ValueError("the session cannot be in the future")
    with transaction.atomic():
        report = create_report(data, receipt=(receipt_key.key, receipt_key.lookup) if receipt_key else None,
                               channel=Channel.LISTENING_CIRCLE, received_on=session_on, facilitator=actor)
        ListeningCircleDisclosure.objects.create(report=report, session_on=session_on, consent=Consent(consent))
        record(actor, "report.disclosure_recorded", report, reason=f"mode {report.mode}; consent {consent}")
        do_screen_narrative(actor=actor, report=report, narrative=data.narrative)
    return report
