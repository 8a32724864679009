"""What the case page shows: timeline, allegations, clocks, flags, referrals, escalations, the subject's structured
history, and which actions this actor may take now (so the page offers only those; the actions check again)."""

from __future__ import annotations

from upstander.cases import clocks, forms, history, rules, workflow
from upstander.cases.access import can_see
from upstander.cases.assignments import accounts_requested, handover_count, may_read_statements
from upstander.cases.choices import FIRM_LINKS
from upstander.cases.guards import holds
from upstander.cases.models import Assignment, Case, Decision, Escalation, Flag, StageEvent, SubjectMention
from upstander.lib.policy import category_label


def _timeline(case: Case) -> list[dict]:
    entries = [{"at": e.at, "what": workflow.stage_label(e.stage), "who": e.actor, "reasons": e.reason,
                "reporter_text": workflow.reporter_text(e.stage)}
               for e in StageEvent.objects.filter(case=case).order_by("at", "id")]
    entries += [{"at": d.at, "what": f"Decision: {d.kind.replace('_', ' ')} — {d.value.replace('_', ' ')}",
                 "who": d.decided_by, "reasons": d.reasons, "reporter_text": workflow.outcome_text(d.value)
                 if d.kind == "outcome" else ""}
                for d in Decision.objects.filter(case=case).order_by("at", "id")]
    return sorted(entries, key=lambda e: e["at"])


def _who_for(target: str) -> tuple[str, ...]:
    return tuple(sorted({w for t in workflow.transitions() if t.target == target for w in t.who}))


# The action (views.ACTIONS key) and form that take a case into each stage.
STEP_ACTIONS = {
    "acknowledged": ("acknowledge", None), "assessed": ("record-assessment", "reasons"), "routed": ("route", "route"),
    "investigation": ("investigate", "reasons"), "case_to_answer": ("case-to-answer", "case_to_answer"),
    "proceedings": ("proceedings", "proceedings"), "outcome": ("send-outcome", None), "review": ("review", "reasons"),
    "closed": ("close", "required"),
}


PAGE_FORMS = {
    "handover": forms.HandoverForm, "assign": forms.AssignForm, "override": forms.OverrideForm,
    "review_decision": forms.ReviewDecisionForm,
}
STEP_FORMS = {
    "reasons": forms.ReasonsForm, "required": forms.RequiredReasonsForm, "route": forms.RouteForm,
    "case_to_answer": forms.CaseToAnswerForm, "proceedings": forms.ProceedingsForm,
}


def _step_form(step: tuple[str, str | None]):
    action, key = step
    return STEP_FORMS[key](auto_id=f"{action}-%s") if key else None


def _allegation_forms(a) -> dict:
    initial = {"allegation": a.public_id}
    ident = str(a.public_id)[:8]
    return {
        "assess": forms.AssessForm(initial={**initial, "severity": a.severity, "possible_crime": a.possible_crime,
                                            "referral_criteria": a.referral_criteria}, auto_id=f"assess-{ident}-%s"),
        "outcome": forms.OutcomeForm(initial={**initial, "outcome": a.outcome, "finding": a.finding},
                                     auto_id=f"outcome-{ident}-%s"),
        "refer": forms.ReferForm(initial=initial, auto_id=f"refer-{ident}-%s"),
        "decide": forms.ReferralDecisionForm(initial=initial, auto_id=f"decide-{ident}-%s"),
    }


def case_context(actor, case: Case, *, error: str = "") -> dict:
    today = clocks.today()
    computed = clocks.clocks_for(case, today)
    allegations = list(case.allegations.select_related("subject__unit").order_by("id"))
    unmet = {a.pk: [c.label for c in met] for a, met in rules.unmet(case)}
    allegation_rows = [{"a": a, "category": category_label(a.category), "criteria": [c.label for c in rules.allegation_criteria(a)],
                        "unreferred": unmet.get(a.pk), "referred": list(a.referrals.all()), "forms": _allegation_forms(a)}
                       for a in allegations]
    state = case.state
    is_open = workflow.is_open(state)
    assess_who = ("owner", "assessor", "supervisor", "overseer")
    can = {
        "assess": is_open and state in ("received", "acknowledged", "assessed") and holds(actor, case, assess_who),
        "overseer": holds(actor, case, ("overseer",)),
        "supervise": holds(actor, case, ("owner", "supervisor", "overseer")),
        "resolve": holds(actor, case, ("owner", "assessor", "supervisor", "overseer")),
        "statement": is_open and may_read_statements(actor, case),
        "outcome": state in ("routed", "case_to_answer", "proceedings", "review") and holds(actor, case, _who_for("outcome")),
    }
    subjects = [m.person for m in SubjectMention.objects.filter(report__case=case, link_status__in=FIRM_LINKS).select_related("person")]
    page_forms = {
        "allegation": forms.AllegationForm(subjects=subjects, auto_id="allegation-%s"),
        **{key: cls(auto_id=f"{key}-%s") for key, cls in PAGE_FORMS.items()},
    }
    steps = [{"stage": s, "label": workflow.stage_label(s), "action": STEP_ACTIONS.get(s, (s, None))[0],
              "form": _step_form(STEP_ACTIONS.get(s, (s, None)))}
             for s in workflow.next_stages(state) if holds(actor, case, _who_for(s))] if is_open else []
    return {
        "case": case, "error": error, "state_label": workflow.stage_label(state), "is_open": is_open, "today": today,
        "timeline": _timeline(case), "allegations": allegation_rows, "clocks": computed,
        "flags": list(Flag.objects.filter(case=case).order_by("resolved_at", "raised_at")),
        "escalations": list(Escalation.objects.filter(case=case).order_by("-raised_on", "level")),
        "history": history.for_case(case, actor),
        "assignments": list(Assignment.objects.filter(case=case, ended_at__isnull=True).exclude(role="owner")
                            .select_related("user", "person")),
        "handovers": handover_count(case), "accounts_requested": accounts_requested(case),
        "statements": case.statements.count(),
        "mentions": list(SubjectMention.objects.filter(report__case=case).select_related("person", "report")),
        "reports": list(case.reports.order_by("received_on")),
        "route_label": (workflow.route_for(case.handling_route) or {}).get("label", ""),
        "steps": steps, "can": can, "can_see": can_see(actor, case),
        "forms": page_forms,
        "stage_labels": {s: workflow.stage_label(s) for s in workflow.stage_keys()},
    }
