"""Every lookup behind the independent overseer's pages goes through here: overdue cases, escalations, the
one-owner figures, the crews of the co-accusal network and the search of the audit log. Deny by default: each is
the overseer's only, and anyone else gets 404 (or nothing). Showing crews names people, and searching the audit log
is watching the watchers, so both are audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from upstander.accounts.models import Role, User
from upstander.audit.log import record
from upstander.audit.models import AuditEvent
from upstander.audit.search import matching
from upstander.cases.access import visible_cases
from upstander.cases.choices import AssignmentRole
from upstander.cases.models import Assignment, Case, Escalation, EscalationLevel, Statement
from upstander.oversight import audit_search, crews


def _overseer(actor) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.role == Role.OVERSEER


def _require_overseer(actor) -> None:
    if not _overseer(actor):
        raise Http404("No such page")


# --- cases and escalations ----------------------------------------------------------------------------------------


def overdue_cases_for(actor, today: date) -> QuerySet[Case]:
    """Every open case past its due date, most late first (the overseer sees every case)."""
    return (visible_cases(actor).filter(due_on__lt=today, closed_on__isnull=True)
            .select_related("handling_org", "owner").order_by("due_on", "opened_on", "id"))


def overseer_escalations_for(actor) -> QuerySet[Escalation]:
    """Escalations raised into the overseer's queue: unseen first, then the longest overdue."""
    if not _overseer(actor):
        return Escalation.objects.none()
    return (Escalation.objects.filter(level=EscalationLevel.OVERSEER).select_related("case")
            .order_by(F("seen_at").asc(nulls_first=True), "due_on", "id"))


def unseen_escalation_count_for(actor) -> int:
    return overseer_escalations_for(actor).filter(seen_at__isnull=True).count()


def one_owner_figures_for(actor) -> dict[str, Any]:
    """Counts behind "one owner, one account": owners per case, times the victim gave their account, escalations by
    level. Aggregates over every case, so the overseer's only."""
    _require_overseer(actor)
    return {
        "owners": Assignment.objects.filter(role=AssignmentRole.OWNER).values("case").annotate(n=Count("id")),
        "asked": Statement.objects.filter(Q(version=1) | Q(asked_again=True)).values("case").annotate(n=Count("id")),
        "escalations": Escalation.objects.values("level").annotate(n=Count("id")).order_by("level"),
    }


# --- the audit log -------------------------------------------------------------------------------------------------


def _describe(criteria: dict[str, Any]) -> str:
    parts = [f"{k}={v}" for k, v in criteria.items() if v not in (None, "")]
    return "; ".join(parts) or "latest events"


def audit_events_for(actor, criteria: dict[str, Any], until: datetime | None = None
                     ) -> tuple[QuerySet[AuditEvent], datetime]:
    """The overseer's search of the audit log (the criteria as typed: object, actor, action, date_from, date_to),
    newest first, up to `until` (the moment of the search's first page, so its later pages do not shift as each look
    adds an event); returns the events and that moment. Every search, every page of it, is audited before its
    results are read: watching the watchers."""
    _require_overseer(actor)
    with transaction.atomic():
        event = record(actor, "audit.search", object_type="audit", reason=_describe(criteria))
    until = until or event.at
    return matching(object_ids=audit_search.object_ids(criteria.get("object") or ""),
                    actors=audit_search.actor_labels(criteria.get("actor") or ""), action=criteria.get("action") or "",
                    date_from=criteria.get("date_from"), date_to=criteria.get("date_to"), until=until), until


# --- crews --------------------------------------------------------------------------------------------------------


def crews_for(actor, params: dict[str, Any]) -> dict[str, Any]:
    """The crews page's figures, the crews shown (each member named) and their picture, for the overseer; the
    showing is audited, since crews name people. Raises insight.datasets.DatasetError for a dataset that will not
    load (nothing is shown, so nothing is audited)."""
    _require_overseer(actor)
    result = crews.analyse(params)
    shown = result["crews"][:params["crews"]]
    inside, outside = crews.links(shown, result["edges"], params["min_pairs"])
    ids = {p for c in shown for p in c["members"]} | set(outside.get_column("other").to_list())
    full, short = crews.names(params["dataset"], ids)
    for crew in shown:
        crew["names"] = sorted(full[p] for p in crew["members"])
    found: dict[str, Any] = {"result": result, "shown": shown, "params": params}
    if shown:
        found["picture"] = crews.picture(shown, inside, outside, params["min_pairs"], short, full)
    with transaction.atomic():
        record(actor, "patterns.view", object_type="dataset", object_id=params["dataset"],
               reason=f"crews: {result['window']}, source {params['source']}, max group {params['max_group']}, "
                      f"pairs at least {params['min_pairs']}, {len(shown)} crews shown")
    return found
