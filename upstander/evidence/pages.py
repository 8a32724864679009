"""What the evidence pages show, computed from the structured rows (counts need no key) and the decrypted texts
of just the messages on the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from upstander.evidence import review, sealing
from upstander.evidence.classifier.data import CATEGORIES
from upstander.evidence.models import ChatExport, ChatMessage, ChatSender, FlagDecision, FlagState

FLAGGED_STATES = (FlagState.FLAGGED, FlagState.CONFIRMED, FlagState.REJECTED)


def categories() -> list[tuple[str, str]]:
    return [(c, review.category_label(c)) for c in CATEGORIES]


@dataclass
class Cell:
    flagged: int = 0
    confirmed: int = 0


@dataclass
class SenderCounts:
    sender: ChatSender
    months: list[tuple[date, list[Cell]]] = field(default_factory=list)
    total: list[Cell] = field(default_factory=list)
    pending: int = 0


def counts(export: ChatExport, senders: list[ChatSender]) -> list[SenderCounts]:
    """Per sender, per month and category: messages the classifier flagged, and those a handler confirmed."""
    rows = (ChatMessage.objects.filter(export=export, sender__in=senders, state__in=FLAGGED_STATES)
            .annotate(month=TruncMonth("day")).values("sender_id", "month", "category", "state")
            .annotate(n=Count("id")))
    table: dict[int, dict[date, dict[str, Cell]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(Cell)))
    pending: dict[int, int] = defaultdict(int)
    for row in rows:
        cell = table[row["sender_id"]][row["month"]][row["category"]]
        cell.flagged += row["n"]
        cell.confirmed += row["n"] if row["state"] == FlagState.CONFIRMED else 0
        pending[row["sender_id"]] += row["n"] if row["state"] == FlagState.FLAGGED else 0
    result = []
    for sender in senders:
        months = table.get(sender.pk, {})
        summary = SenderCounts(sender, pending=pending.get(sender.pk, 0))
        totals = {c: Cell() for c in CATEGORIES}
        for month in sorted(months):
            cells = [months[month].get(c, Cell()) for c in CATEGORIES]
            for c, cell in zip(CATEGORIES, cells, strict=True):
                totals[c].flagged += cell.flagged
                totals[c].confirmed += cell.confirmed
            summary.months.append((month, cells))
        summary.total = [totals[c] for c in CATEGORIES]
        result.append(summary)
    return result


@dataclass
class Shown:
    message: ChatMessage
    text: str
    why: list[str]
    focus: bool = False  # the flagged message this context is around
    decisions: list[FlagDecision] = field(default_factory=list)


def _open(export: ChatExport, data_key: bytes, messages: list[ChatMessage]) -> dict[int, dict]:
    return {m.position: sealing.decrypt_message(data_key, export.public_id, m.position, bytes(m.text_ct))
            for m in messages}


def flags_with_context(export: ChatExport, sender: ChatSender, data_key: bytes, context: int) -> list[list[Shown]]:
    """Each flagged message of the sender with `context` messages either side (system lines included, as in the
    chat), oldest first."""
    flagged = list(ChatMessage.objects.filter(export=export, sender=sender, state__in=FLAGGED_STATES).order_by("position"))
    positions = {p for m in flagged for p in range(m.position - context, m.position + context + 1)}
    around = {m.position: m for m in ChatMessage.objects.filter(export=export, position__in=positions)
              .select_related("sender")}
    texts = _open(export, data_key, list(around.values()))
    decisions: dict[int, list[FlagDecision]] = defaultdict(list)
    for decision in FlagDecision.objects.filter(message__in=flagged):
        decisions[decision.message_id].append(decision)
    groups = []
    for focus in flagged:
        group = []
        for position in range(focus.position - context, focus.position + context + 1):
            if position in around:
                message = around[position]
                opened = texts[position]
                group.append(Shown(message, opened["text"], opened["why"], position == focus.position,
                                   decisions.get(message.pk, []) if position == focus.position else []))
        groups.append(group)
    return groups


def page_of_chat(export: ChatExport, data_key: bytes, page: int, per_page: int = 200) -> tuple[list[Shown], int]:
    """One page of the whole chat, every message and sender."""
    total = export.messages.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    messages = list(export.messages.select_related("sender").order_by("position")[(page - 1) * per_page:page * per_page])
    texts = _open(export, data_key, messages)
    return [Shown(m, texts[m.position]["text"], texts[m.position]["why"]) for m in messages], pages


def unreadable_lines(export: ChatExport, data_key: bytes) -> list[dict]:
    if not export.unreadable_ct:
        return []
    return sealing.decrypt_json(data_key, export.public_id, "unreadable", bytes(export.unreadable_ct))


def hearing_summary(export: ChatExport, data_key: bytes, senders: list[ChatSender]) -> dict:
    """What was received, what was flagged, and what a person decided, by whom and when: for a hearing. Only the
    given senders' flags (the case's subjects, unless the whole chat is open)."""
    flagged = list(export.messages.filter(state__in=FLAGGED_STATES, sender__in=senders).select_related("sender")
                   .order_by("position"))
    texts = _open(export, data_key, flagged)
    decisions: dict[int, list[FlagDecision]] = defaultdict(list)
    for decision in FlagDecision.objects.filter(message__in=flagged).order_by("decided_at", "id"):
        decisions[decision.message_id].append(decision)
    with_flags = {m.sender_id for m in flagged}
    return {
        "export": export, "flags": [Shown(m, texts[m.position]["text"], texts[m.position]["why"],
                                          decisions=decisions.get(m.pk, [])) for m in flagged],
        "counts": counts(export, [s for s in sorted(senders, key=lambda s: s.name) if s.pk in with_flags]),
        "categories": categories(), "labels": dict(categories()),
    }
