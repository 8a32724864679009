"""Every state change of chat evidence, in the house style: keyword-only `actor`, a permission check,
transaction.atomic() and an audit event in the same transaction.

- do_attach_export: take an export in as evidence on a case (parsed, classified, encrypted; its SHA-256 audited).
- do_confirm_flag / do_reject_flag: a handler's decision on one flag, with a note.
- do_link_sender: link a sender as the export names them to a roster person (or unlink).
- do_open_whole_chat: ask, with a reason, to read every message and sender for a while (data minimisation).
An operator's command acts as a named system actor (system:evidence), which may attach but not decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from upstander.audit.log import Actor
from upstander.cases import workflow
from upstander.cases.guards import Refused, atomic, label, record, require_reasons
from upstander.cases.models import Case
from upstander.cases.permissions import check
from upstander.evidence import review, sealing
from upstander.evidence.classifier.model import Verdict
from upstander.evidence.models import (
    ChatExport,
    ChatMessage,
    ChatSender,
    Decision,
    ExportChunk,
    FlagDecision,
    FlagState,
    SealedExportKey,
    WholeChatReading,
)
from upstander.evidence.parsing import Kind, ParsedChat, ParseError, read_bytes
from upstander.lib import clock, crypto

REVIEW = "review_evidence"  # policy/workflow.toml: [action.review_evidence]
INSERT_BATCH = 2000


class EmptyExport(ParseError):
    pass


@dataclass
class Attached:
    export: ChatExport
    chat: ParsedChat
    verdicts: list[Verdict]


def _require_reviewer(actor, case: Case, doing: str) -> None:
    if isinstance(actor, Actor):
        raise Refused(f"Refused: only a person on the case may {doing}.")
    check(actor, case, REVIEW)


def _may_attach(actor, case: Case) -> None:
    if isinstance(actor, Actor) and actor.role == "system":
        return  # an operator's command (upstander evidence review --case), audited as system:evidence
    check(actor, case, REVIEW)


def _storable(name: str) -> str:
    """A sender's name as a database can hold it (PostgreSQL refuses NUL characters in text)."""
    return name.replace("\x00", "\ufffd")[:255]


def _day(message):
    return message.when.date() if message.when.tzinfo is None else clock.local_date(message.when)


def _rows(export: ChatExport, chat: ParsedChat, verdicts: list[Verdict], data_key: bytes,
          senders: dict[str, ChatSender]) -> list[ChatMessage]:
    rows = []
    for position, (message, verdict) in enumerate(zip(chat.messages, verdicts, strict=True)):
        flagged = bool(verdict.category)
        rows.append(ChatMessage(
            export=export, position=position, sender=senders.get(message.sender) if message.kind in Kind.PEOPLE else None,
            kind=message.kind, at=_storable(message.at)[:40], day=_day(message), edited=message.edited,
            text_ct=sealing.encrypt_message(data_key, export.public_id, position, message.text, list(verdict.why)),
            category=verdict.category, score=round(verdict.score, 4),
            state=FlagState.FLAGGED if flagged else FlagState.NONE))
    return rows


def _store(actor, case: Case, name: str, data: bytes, chat: ParsedChat, verdicts: list[Verdict]) -> ChatExport:
    """Write the export, its key, its chunks, senders and messages. Call inside atomic()."""
    data_key = crypto.new_data_key()
    export = ChatExport.objects.create(
        case=case, name=_storable(name), format=chat.format, size=len(data), sha256=crypto.sha256_hex(data),
        message_count=len(chat.people_messages), system_count=chat.kind_counts()[Kind.SYSTEM],
        unreadable_count=len(chat.unreadable), notes=chat.notes, model_version=review.model_version(),
        received_at=clock.now(), received_by=label(actor))
    if chat.unreadable:
        export.unreadable_ct = sealing.encrypt_json(data_key, export.public_id, "unreadable",
                                                    [u.as_dict() for u in chat.unreadable])
        export.save(update_fields=["unreadable_ct"])
    SealedExportKey.objects.bulk_create([SealedExportKey(export=export, organisation=org,
                                                         sealed=sealing.seal_key(data_key, org))
                                         for org in sealing.recipients(case)])
    ExportChunk.objects.bulk_create([ExportChunk(export=export, index=i, blob=blob) for i, blob in
                                     enumerate(sealing.encrypt_chunks(data_key, export.public_id, data))])
    counts: dict[str, int] = {}
    for message in chat.people_messages:
        counts[message.sender] = counts.get(message.sender, 0) + 1
    created = ChatSender.objects.bulk_create([ChatSender(export=export, name=_storable(n), message_count=c)
                                              for n, c in counts.items()])
    senders = {name: sender for name, sender in zip(counts, created, strict=True)}
    rows = _rows(export, chat, verdicts, data_key, senders)
    for start in range(0, len(rows), INSERT_BATCH):
        ChatMessage.objects.bulk_create(rows[start:start + INSERT_BATCH])
    return export


def do_attach_export(*, actor, case: Case, name: str, data: bytes, order: str | None = None,
                     progress: Callable[[int], None] | None = None) -> Attached:
    """Read, classify and keep an export as evidence on the case. An empty, broken or non-chat file raises
    ParseError (naming the file and line) and changes nothing. The original is kept encrypted; its SHA-256 is in
    the audit event, so a hearing can be shown it is the file that came in."""
    _may_attach(actor, case)
    if not workflow.is_open(case.state):  # an operator's command is not asked `check`, so closed cases are refused here
        raise Refused(f"Refused: case {case.code} is closed, so no export can be attached to it.")
    chat = read_bytes(name, data, order=order)
    if not chat.people_messages:
        raise EmptyExport(name, "it holds no messages from people (only system notices)")
    verdicts = review.classify(chat.messages, progress=progress)
    with atomic():
        export = _store(actor, case, name, data, chat, verdicts)
        flagged = sum(1 for v in verdicts if v.category)
        record(actor, "evidence.attach", export, reason=(
            f"case {case.code}: {chat.format} export “{export.name}”, {export.size} bytes, SHA-256 {export.sha256}; "
            f"{export.message_count} messages, {export.unreadable_count} unreadable lines, {flagged} flagged"))
    return Attached(export, chat, verdicts)


def _decide(actor, message: ChatMessage, decision: str, note: str) -> FlagDecision:
    export = message.export
    doing = "confirm a flag" if decision == Decision.CONFIRM else "reject a flag"
    with atomic():
        _require_reviewer(actor, export.case, doing)
        if not message.category:
            raise Refused("Refused: this message was not flagged, so there is no flag to decide.")
        note = require_reasons(note, doing)
        made = FlagDecision.objects.create(message=message, decision=decision, category=message.category, note=note,
                                           decided_by=label(actor), decided_at=clock.now())
        message.state = decision
        message.save(update_fields=["state"])
        sender = message.sender.name if message.sender else "(no sender)"
        record(actor, f"evidence.flag.{'confirm' if decision == Decision.CONFIRM else 'reject'}", message,
               reason=f"case {export.case.code}, export {export.sha256[:12]}: message {message.position + 1} by "
                      f"{sender} at {message.at}, {message.category}: {note}")
    return made


def do_confirm_flag(*, actor, message: ChatMessage, note: str) -> FlagDecision:
    return _decide(actor, message, Decision.CONFIRM, note)


def do_reject_flag(*, actor, message: ChatMessage, note: str) -> FlagDecision:
    return _decide(actor, message, Decision.REJECT, note)


def do_link_sender(*, actor, sender: ChatSender, person=None) -> ChatSender:
    """Link a sender to a roster person (a handler's confirmation of a suggestion, or their own search); None
    removes the link."""
    with atomic():
        _require_reviewer(actor, sender.export.case, "link a sender to a person")
        if person is not None and person.pk == sender.person_id:
            raise ValidationError("That sender is already linked to that person.")
        sender.person = person
        sender.linked_by, sender.linked_at = (label(actor), clock.now()) if person else ("", None)
        sender.save(update_fields=["person", "linked_by", "linked_at"])
        record(actor, "evidence.sender.link", sender, reason=f"case {sender.export.case.code}: “{sender.name}” "
               + (f"linked to {person.number}" if person else "unlinked"))
    return sender


def do_open_whole_chat(*, actor, export: ChatExport, reason: str) -> WholeChatReading:
    """Every message and sender, not only flagged messages of the case's subjects: asked for with a reason,
    audited, and good for the hours policy/evidence.toml sets."""
    with atomic():
        _require_reviewer(actor, export.case, "read the whole chat")
        reason = require_reasons(reason, "read the whole chat")
        reading = WholeChatReading.objects.create(export=export, user=actor, reason=reason, opened_at=clock.now())
        record(actor, "evidence.whole_chat", export, reason=f"case {export.case.code}: {reason}")
    return reading
