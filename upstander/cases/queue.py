"""The staff case queue: filters and the urgency order, in SQL.

Urgency is the earliest unmet deadline (`Case.due_on`, the clocks' cache, see clocks.py), then age; "overdue" is
`due_on < today`, evaluated in the query — never a stored flag. Filters are EXISTS subqueries, so the database walks
an index in due-date order and stops after a page (bench/case_queue.py measures it at 100,000 cases).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from upstander.cases import workflow
from upstander.cases.access import visible_cases
from upstander.cases.models import Allegation, Case, Escalation, Flag


@dataclass
class QueueFilters:
    state: str = ""  # "" open cases, "all" every stage, or a stage key
    overdue: bool = False
    category: str = ""
    owner: str = ""  # a username, "me" or "none"
    flags: bool = False
    escalated: bool = False


@contextmanager
def without_jit() -> Iterator[None]:
    """PostgreSQL's JIT compiles the queue's count (estimated costly at 100,000 cases) for 150–230 ms on every request,
    more than the query itself takes: turn it off for these reads (bench/case_queue.py). Only on PostgreSQL: on SQLite
    a transaction begins IMMEDIATE and would take the write lock for a read."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def urgency_order(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.order_by(F("due_on").asc(nulls_last=True), "opened_on", "id")


def filtered(actor, f: QueueFilters, today: date) -> QuerySet[Case]:
    cases = visible_cases(actor)
    if f.state == "all":
        pass
    elif f.state:
        cases = cases.filter(state=f.state)
    else:
        cases = cases.filter(closed_on__isnull=True)
    if f.overdue:
        cases = cases.filter(due_on__lt=today)
    if f.category:
        # IN (one indexed list of case ids) rather than a correlated EXISTS per row: a third the time at 100k cases.
        cases = cases.filter(Q(main_category=f.category)
                             | Q(pk__in=Allegation.objects.filter(category=f.category).values("case_id")))
    if f.owner == "me":
        cases = cases.filter(owner=actor)
    elif f.owner == "none":
        cases = cases.filter(owner__isnull=True)
    elif f.owner:
        cases = cases.filter(owner__username=f.owner)
    if f.flags:
        cases = cases.filter(Exists(Flag.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)))
    if f.escalated:
        cases = cases.filter(Exists(Escalation.objects.filter(case=OuterRef("pk"), seen_at__isnull=True)))
    return urgency_order(cases)


def rows(cases: list[Case], today: date) -> list[dict]:
    """Display rows for one page: the per-row extras come in two small queries for the page, not per case."""
    from upstander.lib.policy import category_label

    ids = [c.pk for c in cases]
    flagged = set(Flag.objects.filter(case_id__in=ids, resolved_at__isnull=True).values_list("case_id", flat=True))
    escalated = set(Escalation.objects.filter(case_id__in=ids, seen_at__isnull=True).values_list("case_id", flat=True))
    clock_labels = _clock_labels()
    result = []
    for c in cases:
        late = (today - c.due_on).days if c.due_on and c.due_on < today else 0
        result.append({
            "code": c.code, "state": workflow.stage_label(c.state), "category": category_label(c.main_category),
            "owner": (c.owner.get_full_name() or c.owner.username) if c.owner else "",
            "due_on": c.due_on, "due_clock": clock_labels.get(c.due_clock, c.due_clock), "days_late": late,
            "flagged": c.pk in flagged, "escalated": c.pk in escalated, "age_days": (today - c.opened_on).days,
        })
    return result


def _clock_labels() -> dict[str, str]:
    from upstander.cases.clocks import spec

    return {c["key"]: c["label"] for c in spec().get("clock", [])}
