"""The overseer's search of the audit log: "who looked at this case?". Every search is itself audited, before its
results are read (watching the watchers).

The audit log is a foundation layer: it knows nothing of cases or reports. An app whose objects go by more than one
name (a case code stands for the case and every report in it) answers `reference_ids` for it, connected in its
AppConfig.ready (cases/access.py:audit_object_ids).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.http import Http404

from upstander.accounts.permissions import OVERSEER_ONLY
from upstander.audit.log import actor_of, record
from upstander.audit.models import AuditEvent
from upstander.lib import clock

# Sent with keyword argument reference (what the overseer typed); each receiver returns the object ids it stands for.
reference_ids = Signal()


def object_ids_for(reference: str) -> set[str]:
    """The reference itself, and every object id an app says it stands for."""
    ids = {reference}
    for _receiver, found in reference_ids.send(sender=None, reference=reference):
        ids |= set(found or ())
    return ids


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.zone())


def matching(data: dict) -> QuerySet[AuditEvent]:
    """Events for the object (and what its reference stands for), actor, action or its beginning, and days."""
    events = AuditEvent.objects.all()
    if data.get("object"):
        events = events.filter(object_id__in=object_ids_for(data["object"].strip()))
    if data.get("actor"):
        events = events.filter(actor=data["actor"].strip())
    if data.get("action"):
        action = data["action"].strip()
        events = events.filter(Q(action=action) | Q(action__startswith=action if action.endswith(".") else action + "."))
    if data.get("date_from"):
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    return events.order_by("-id")


def _describe(data: dict) -> str:
    parts = [f"{k}={v}" for k, v in data.items() if v not in (None, "")]
    return "; ".join(parts) or "latest events"


def search_for(actor, data: dict, limit: int) -> list[AuditEvent]:
    """The newest `limit` matching events, for the overseer only; the search is audited first."""
    if actor_of(actor).role not in OVERSEER_ONLY:
        raise Http404("No such page")
    with transaction.atomic():
        record(actor, "audit.search", object_type="audit", reason=_describe(data))
        return list(matching(data)[:limit])
