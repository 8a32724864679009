"""The query behind the overseer's search of the audit log: "who looked at this case?". The page, the permission
check and the auditing of every search live with the overseer's pages (oversight/audit_search.py): the audit log is
a foundation layer and knows nothing of accounts, cases or reports.

An app whose objects go by more than one name (a case code stands for the case and every report in it) answers
`reference_ids` for it, connected in its AppConfig.ready (cases/access.py:audit_object_ids).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.dispatch import Signal

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


def matching(*, object_ids: Iterable[str] | None = None, actors: Iterable[str] | None = None, action: str = "",
             date_from: date | None = None, date_to: date | None = None, until: datetime | None = None
             ) -> QuerySet[AuditEvent]:
    """Events about any of `object_ids`, by any of `actors` (labels as the log keeps them), with the action (exactly,
    or its beginning: "identity.") or with every word of it ("identity open", "login"), between two days; newest
    first; with `until`, none after that moment (so the pages of one search stay put while the log grows). None means
    "any"; an empty collection matches nothing."""
    events = AuditEvent.objects.all()
    if object_ids is not None:
        events = events.filter(object_id__in=set(object_ids))
    if actors is not None:
        events = events.filter(actor__in=set(actors))
    action = action.strip()
    if "." in action and " " not in action:
        events = events.filter(Q(action=action) | Q(action__startswith=action if action.endswith(".") else action + "."))
    else:
        for word in action.replace("_", " ").split():
            events = events.filter(action__icontains=word)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    if until:
        events = events.filter(at__lte=until)
    return events.order_by("-id")
