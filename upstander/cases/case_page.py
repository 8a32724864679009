"""What the case page shows: timeline, allegations, clocks, flags, referrals, escalations, the subject's structured
history, and what this actor may do now.

Every offer comes from permissions.may(), the rule the actions themselves enforce: the page offers a step only to
someone the policy names for it at this stage, and where something they can fix stands in the way (an unresolved
flag, an allegation without a severity) it shows the step with the reason instead of a form.
"""

from __future__ import annotations

from upstander.cases import clocks, conflicts, forms, history, rules, workflow
from upstander.cases.access import can_see
from upstander.cases.assignments import accounts_requested, handover_count
from upstander.cases.choices import FIRM_LINKS
from upstander.cases.escalations import seen_action
from upstander.cases.models import Assignment, Case, Decision, Escalation, Flag, StageEvent, SubjectMention
from upstander.cases.permissions import may
from upstander.lib.policy import category_label

# The form and button of each step (permissions.STEPS); the form posts to views.ACTIONS under the step's slug.
STEP_FORMS: dict[str, tuple[type | None, str]] = {
    "acknowledge": (None, "Acknowledge receipt"),
    "record_assessment": (forms.ReasonsForm, ""),
    "route": (forms.RouteForm, ""),
    "start_investigation": (forms.ReasonsForm, ""),
    "decide_case_to_answer": (forms.CaseToAnswerForm, ""),
    "start_proceedings": (forms.ProceedingsForm, ""),
    "send_outcome": (None, "Send the outcome"),
    "open_review": (forms.ReasonsForm, ""),
    "close": (forms.RequiredReasonsForm, "Close the case"),
}
# Actions that do not move the case, as the page offers them (`can.<name>` in the template).
PAGE_ACTIONS = ("record_allegation", "assess_allegation", "refer", "record_referral_decision", "record_outcome",
                "decide_review", "resolve_flag", "link_mention", "read_statement", "handover", "assign",
                "override_conflict")
PAGE_FORMS = {
    "handover": forms.HandoverForm, "assign": forms.AssignForm, "override": forms.OverrideForm,
    "review_decision": forms.ReviewDecisionForm,
}


def slug(action: str) -> str:
    """The URL name of an action (cases:act): `send_outcome` → `send-outcome`."""
    return action.replace("_", "-")


def _timeline(case: Case) -> list[dict]:
    entries = [{"at": e.at, "what": workflow.stage_label(e.stage), "who": e.actor, "reasons": e.reason,
                "reporter_text": workflow.reporter_text(e.stage)}
               for e in StageEvent.objects.filter(case=case).order_by("at", "id")]
    entries += [{"at": d.at, "what": f"Decision: {d.kind.replace('_', ' ')} — {d.value.replace('_', ' ')}",
                 "who": d.decided_by, "reasons": d.reasons, "reporter_text": workflow.outcome_text(d.value)
                 if d.kind == "outcome" else ""}
                for d in Decision.objects.filter(case=case).order_by("at", "id")]
    return sorted(entries, key=lambda e: e["at"])


def _steps(actor, case: Case) -> list[dict]:
    """The steps out of the current stage that are this actor's to take: a form, or why it cannot be taken yet."""
    steps = []
    for action in workflow.actions_from(case.state):
        verdict = may(actor, case, action)
        if not verdict.allowed and not verdict.offer:
            continue
        step = workflow.step(action, case.state)
        target = workflow.stage_label(step.target) if step else ""
        form_class, button = STEP_FORMS[action]
        steps.append({"action": slug(action), "label": target, "why_not": verdict.reason,
                      "form": form_class(auto_id=f"{slug(action)}-%s") if form_class and verdict.allowed else None,
                      "button": button or f"Move to “{target}”"})
    return steps


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


def _allegations(case: Case) -> list[dict]:
    allegations = list(case.allegations.select_related("subject__unit").order_by("id"))
    unmet = {a.pk: [c.label for c in met] for a, met in rules.unmet(case)}
    return [{"a": a, "category": category_label(a.category), "criteria": [c.label for c in rules.allegation_criteria(a)],
             "unreferred": unmet.get(a.pk), "referred": list(a.referrals.all()), "forms": _allegation_forms(a)}
            for a in allegations]


def case_context(actor, case: Case, *, error: str = "") -> dict:
    today = clocks.today()
    subjects = [m.person for m in SubjectMention.objects.filter(report__case=case, link_status__in=FIRM_LINKS)
                .select_related("person")]
    page_forms = {
        "allegation": forms.AllegationForm(subjects=subjects, auto_id="allegation-%s"),
        **{key: cls(auto_id=f"{key}-%s") for key, cls in PAGE_FORMS.items()},
    }
    overseer = conflicts.may_read_findings(actor)
    escalations = Escalation.objects.filter(case=case).order_by("-raised_on", "level")
    return {
        "case": case, "error": error, "state_label": workflow.stage_label(case.state),
        "is_open": workflow.is_open(case.state), "today": today,
        "timeline": _timeline(case), "allegations": _allegations(case), "clocks": clocks.clocks_for(case, today),
        "flags": list(Flag.objects.filter(case=case).order_by("resolved_at", "raised_at")),
        "escalations": [{"e": e, "may_see": may(actor, case, seen_action(e)).allowed} for e in escalations],
        "history": history.for_case(case, actor),
        "assignments": list(Assignment.objects.filter(case=case, ended_at__isnull=True).exclude(role="owner")
                            .select_related("user", "person")),
        "handovers": handover_count(case), "accounts_requested": accounts_requested(case),
        "statements": case.statements.count(),
        "mentions": list(SubjectMention.objects.filter(report__case=case).select_related("person", "report")),
        "reports": list(case.reports.order_by("received_on")),
        "route_label": (workflow.route_for(case.handling_route) or {}).get("label", ""),
        "steps": _steps(actor, case) if workflow.is_open(case.state) else [],
        "can": {name: may(actor, case, name) for name in PAGE_ACTIONS}, "can_see": can_see(actor, case),
        # The reasons behind conflict refusals and overrides can point at the reporter: the overseer's only.
        "overseer_view": overseer, "conflict_findings": conflicts.findings_for(actor, case) if overseer else [],
        "forms": page_forms,
        "stage_labels": {s: workflow.stage_label(s) for s in workflow.stage_keys()},
    }
