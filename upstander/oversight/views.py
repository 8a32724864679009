"""The independent overseer's views: every overdue case by how late it is, the escalations raised to the overseer,
and the one-owner/one-account figures. Nothing here takes a filter: the force cannot narrow what the overseer sees,
and "overdue" is computed from the clocks' due dates (`due_on < today`), never a flag anyone sets."""

from __future__ import annotations

from collections import Counter

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.permissions import OVERSEER_ONLY, staff_view
from upstander.cases import clocks, workflow
from upstander.cases.queue import without_jit
from upstander.lib import clock
from upstander.lib.policy import category_label
from upstander.oversight.access import (
    one_owner_figures_for,
    overdue_cases_for,
    overseer_escalations_for,
    unseen_escalation_count_for,
)


def _clock_labels() -> dict[str, str]:
    return {c["key"]: c["label"] for c in clocks.spec().get("clock", [])}


@never_cache
@staff_view(OVERSEER_ONLY)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Every overdue case, most late first. Takes no filter parameters on purpose."""
    today = clock.today()
    overdue = overdue_cases_for(request.user, today)
    with without_jit():
        page = Paginator(overdue, 100).get_page(request.GET.get("page"))
        cases = list(page.object_list)
    labels = _clock_labels()
    rows = [{"code": c.code, "days_late": clocks.lateness_days(c.due_on, today), "clock": labels.get(c.due_clock, c.due_clock),
             "due_on": c.due_on, "state": workflow.stage_label(c.state), "category": category_label(c.main_category),
             "org": c.handling_org.name, "owner": (c.owner.get_full_name() or c.owner.username) if c.owner else ""}
            for c in cases]
    unseen = unseen_escalation_count_for(request.user)
    return render(request, "oversight/queue.html", {"rows": rows, "page": page, "today": today, "unseen": unseen})


@never_cache
@staff_view(OVERSEER_ONLY)
@require_GET
def escalations(request: HttpRequest) -> HttpResponse:
    """Escalations raised into the overseer's queue: unseen first, then the longest overdue."""
    page = Paginator(overseer_escalations_for(request.user), 100).get_page(request.GET.get("page"))
    labels = _clock_labels()
    today = clock.today()
    rows = [{"e": e, "clock": labels.get(e.clock, e.clock), "days_late": (today - e.due_on).days,
             "state": workflow.stage_label(e.case.state)} for e in page.object_list]
    return render(request, "oversight/escalations.html", {"rows": rows, "page": page})


@never_cache
@staff_view(OVERSEER_ONLY)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """One owner, one account: how often cases change hands and how often victims are asked again."""
    figures = one_owner_figures_for(request.user)
    handovers = Counter(min(row["n"] - 1, 5) for row in figures["owners"])
    cases_with_owner = sum(handovers.values())
    asked_counts = Counter(min(row["n"], 5) for row in figures["asked"])
    return render(request, "oversight/statistics.html", {
        "handovers": [(k if k < 5 else "5 or more", handovers.get(k, 0)) for k in range(6)],
        "cases_with_owner": cases_with_owner,
        "mean_handovers": (sum(k * v for k, v in handovers.items()) / cases_with_owner) if cases_with_owner else 0,
        "asked": [(k if k < 5 else "5 or more", asked_counts.get(k, 0)) for k in range(1, 6)],
        "escalations": figures["escalations"],
    })
