"""Every lookup of chat evidence goes through here. Deny by default: the case comes from cases.access.get_case_for
(404 when the actor may not know it exists); an export, sender or message is looked up only inside that case.

What may be shown (data minimisation): by default, only the flagged messages (with a little context) of senders
linked to a subject of the case. Other senders' messages, and unflagged messages, only while the actor has an open
reading of the whole chat (do_open_whole_chat: asked for with a reason, audited, time-limited by policy). Reading
the original file and exporting the hearing summary are audited reads."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from upstander.accounts.models import User
from upstander.audit.log import record
from upstander.cases.access import get_case_for
from upstander.cases.choices import FIRM_LINKS
from upstander.cases.models import Allegation, Case, SubjectMention
from upstander.cases.permissions import may
from upstander.evidence import review, sealing
from upstander.evidence.actions import REVIEW
from upstander.evidence.models import ChatExport, ChatMessage, ChatSender, SealedExportKey, WholeChatReading
from upstander.lib import clock


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No such item") from None


def exports_for(case: Case) -> QuerySet[ChatExport]:
    return ChatExport.objects.filter(case=case).order_by("received_at", "id")


def get_export_for(actor: User, code: str, export_id, *, write: bool = False) -> ChatExport:
    case = get_case_for(actor, code, write=write)
    export = exports_for(case).filter(public_id=_uuid(export_id)).select_related("case").first()
    if export is None:
        raise Http404("No such export")
    export.case = case  # the checked instance, with its owner and unit loaded
    return export


def get_sender_for(export: ChatExport, sender_id) -> ChatSender:
    sender = ChatSender.objects.filter(export=export, public_id=_uuid(sender_id)).select_related("person").first()
    if sender is None:
        raise Http404("No such sender")
    sender.export = export
    return sender


def get_message_for(export: ChatExport, message_id) -> ChatMessage:
    message = ChatMessage.objects.filter(export=export, public_id=_uuid(message_id)).select_related("sender").first()
    if message is None:
        raise Http404("No such message")
    message.export = export
    return message


def may_review(actor, case: Case) -> bool:
    return may(actor, case, REVIEW).allowed


def subjects_of(case: Case) -> set[int]:
    """Roster ids of the case's subjects: allegation subjects and firmly linked mentions."""
    people = set(Allegation.objects.filter(case=case, subject__isnull=False).values_list("subject_id", flat=True))
    people |= set(SubjectMention.objects.filter(report__case=case, link_status__in=FIRM_LINKS, person__isnull=False)
                  .values_list("person_id", flat=True))
    return people


def open_reading(actor, export: ChatExport) -> WholeChatReading | None:
    """The actor's current permission to read the whole chat, if they asked for one within the policy's hours."""
    if not isinstance(actor, User) or not may_review(actor, export.case):
        return None
    hours = float(review.evidence_policy()["review"]["whole_chat_hours"])
    since = clock.now() - timedelta(hours=hours)
    return (WholeChatReading.objects.filter(export=export, user=actor, opened_at__gte=since)
            .order_by("-opened_at").first())


def shown_by_default(sender: ChatSender, subjects: set[int]) -> bool:
    return sender.person_id is not None and sender.person_id in subjects


def may_see_sender(actor, sender: ChatSender) -> bool:
    export = sender.export
    return shown_by_default(sender, subjects_of(export.case)) or open_reading(actor, export) is not None


def data_key_for(actor: User, export: ChatExport, private_key: bytes | None) -> bytes:
    """The export's data key, with the organisation key unlocked in the actor's session."""
    sealed = {org: bytes(blob) for org, blob in
              SealedExportKey.objects.filter(export=export).values_list("organisation_id", "sealed")}
    return sealing.open_key(sealed, getattr(actor, "organisation", None), private_key)


def read_original(actor: User, export: ChatExport, private_key: bytes | None) -> bytes:
    """The original file as it came in (audited). Raises KeyUnavailable."""
    data_key = data_key_for(actor, export, private_key)
    blobs = [bytes(b) for b in export.chunks.order_by("index").values_list("blob", flat=True)]
    data = sealing.decrypt_chunks(data_key, export.public_id, blobs)
    with transaction.atomic():
        record(actor, "evidence.original.read", export, reason=f"case {export.case.code}: SHA-256 {export.sha256}")
    return data


def audit_summary(actor: User, export: ChatExport, form: str) -> None:
    """Exporting the hearing summary is a read of the flagged messages: audited."""
    with transaction.atomic():
        record(actor, "evidence.summary", export, reason=f"case {export.case.code}: {form}")
