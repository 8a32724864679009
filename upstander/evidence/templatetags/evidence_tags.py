"""Template helpers for chat evidence, and the one tag the case page uses: {% case_evidence case %} shows the link to
the case's chat evidence and each subject's confirmed counts (evidence/history.py)."""

from __future__ import annotations

from django import template

from upstander.evidence.access import exports_for, may_review
from upstander.evidence.history import confirmed_counts
from upstander.evidence.review import category_label as label_of

register = template.Library()


@register.filter
def category_label(key: str) -> str:
    return label_of(key) if key else ""


@register.filter
def index(sequence, position: int):
    return sequence[position]


@register.inclusion_tag("evidence/_case_panel.html", takes_context=True)
def case_evidence(context, case):
    actor = context["request"].user
    return {"case": case, "exports": exports_for(case).count(), "counts": confirmed_counts(case, actor),
            "can_review": may_review(actor, case)}
