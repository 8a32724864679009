"""The independent overseer's views: every overdue case by how late it is, the escalations raised to the overseer,
and the one-owner/one-account figures. Nothing here takes a filter: the force cannot narrow what the overseer sees,
and "overdue" is computed from the clocks' due dates (`due_on < today`), never a flag anyone sets."""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.cases import clocks, workflow
from upstander.cases.choices import AssignmentRole
from upstander.cases.models import Assignment, Case, Escalation, EscalationLevel, Statement
from upstander.cases.queue import without_jit
from upstander.lib.policy import category_label

OVERSEER = (Role.OVERSEER,)


def _clock_labels() -> dict[str, str]:
    return {c["key"]: c["label"] for c in clocks.spec().get("clock", [])}


@never_cache
@staff_view(OVERSEER)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Every overdue case, most late first. Takes no filter parameters on purpose."""
    today = clocks.today()
    overdue = (Case.objects.filter(due_on__lt=today, closed_on__isnull=True).select_related("handling_org", "owner")
               .order_by("due_on", "opened_on", "id"))
    with without_jit():
        page = Paginator(overdue, 100).get_page(request.GET.get("page"))
        cases = list(page.object_list)
    labels = _clock_labels()
    rows = [{"code": c.code, "days_late": clocks.lateness_days(c.due_on, today), "clock": labels.get(c.due_clock, c.due_clock),
             "due_on": c.due_on, "state": workflow.stage_label(c.state), "category": category_label(c.main_category),
             "org": c.handling_org.name, "owner": (c.owner.get_full_name() or c.owner.username) if c.owner else ""}
            for c in cases]
    unseen = Escalation.objects.filter(level=EscalationLevel.OVERSEER, seen_at__isnull=True).count()
    return render(request, "oversight/queue.html", {"rows": rows, "page": page, "today": today, "unseen": unseen})


@never_cache
@staff_view(OVERSEER)
@require_GET
def escalations(request: HttpRequest) -> HttpResponse:
    """Escalations raised into the overseer's queue: unseen first, then the longest overdue."""
    found = (Escalation.objects.filter(level=EscalationLevel.OVERSEER).select_related("case")
             .order_by(F("seen_at").asc(nulls_first=True), "due_on", "id"))
    page = Paginator(found, 100).get_page(request.GET.get("page"))
    labels = _clock_labels()
    today = clocks.today()
    rows = [{"e": e, "clock": labels.get(e.clock, e.clock), "days_late": (today - e.due_on).days,
             "state": workflow.stage_label(e.case.state)} for e in page.object_list]
    return render(request, "oversight/escalations.html", {"rows": rows, "page": page})


@never_cache
@staff_view(OVERSEER)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """One owner, one account: how often cases change hands and how often victims are asked again."""
    owners = Assignment.objects.filter(role=AssignmentRole.OWNER).values("case").annotate(n=Count("id"))
    handovers = Counter(min(row["n"] - 1, 5) for row in owners)
    cases_with_owner = sum(handovers.values())
    asked = (Statement.objects.filter(Q(version=1) | Q(asked_again=True)).values("case").annotate(n=Count("id")))
    asked_counts = Counter(min(row["n"], 5) for row in asked)
    return render(request, "oversight/statistics.html", {
        "handovers": [(k if k < 5 else "5 or more", handovers.get(k, 0)) for k in range(6)],
        "cases_with_owner": cases_with_owner,
        "mean_handovers": (sum(k * v for k, v in handovers.items()) / cases_with_owner) if cases_with_owner else 0,
        "asked": [(k if k < 5 else "5 or more", asked_counts.get(k, 0)) for k in range(1, 6)],
        "escalations": Escalation.objects.values("level").annotate(n=Count("id")).order_by("level"),
    })
