"""What the case page shows, organised by task: a summary and the clocks first, then what this actor can do next,
then everything else (allegations, people named, the team, flags, escalations, history, reports, timeline) in
headed sections.

Every offer comes from permissions.may(), the rule the actions themselves enforce: the page offers a step only to
someone the policy names for it at this stage, and where something they can fix stands in the way (an unresolved
flag, an allegation without a severity) it shows the step with the reason, and where to fix it, instead of a form.

Staff read plain words: people by name and role, clocks and stages by their policy labels, decisions in sentences;
never an actor label ("user:…"), a key ("reporter_update") or a model id.
"""

from __future__ import annotations

from datetime import date

from django import forms as django_forms

from upstander.accounts.templatetags.staff_words import who
from upstander.cases import clocks, conflicts, forms, history, rules, workflow
from upstander.cases.access import can_see
from upstander.cases.assignments import accounts_requested, handover_count
from upstander.cases.choices import FIRM_LINKS, AssignmentRole, Outcome, ReporterType, ReportingMode, Severity
from upstander.cases.escalations import seen_action
from upstander.cases.models import Assignment, Case, Decision, Escalation, Flag, StageEvent, SubjectMention
from upstander.cases.permissions import may
from upstander.lib import clock
from upstander.lib.policy import category_label
from upstander.people.models import Person

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
# Where a step that cannot be taken yet is usually unblocked: (section anchor, what to do there).
STEP_FIXES: dict[str, tuple[str, str]] = {
    "record_assessment": ("allegations", "Record or assess the allegations"),
    "send_outcome": ("allegations", "Record an outcome for each allegation"),
    "close": ("allegations", "See the allegations and their referrals"),
}
# Actions that do not move the case, as the page offers them (`can.<name>` in the template).
PAGE_ACTIONS = ("record_allegation", "assess_allegation", "refer", "record_referral_decision", "record_outcome",
                "decide_review", "resolve_flag", "link_mention", "read_statement", "handover", "assign",
                "override_conflict")
# The page's own forms (not per allegation): slot -> form class. Those that choose people take the case.
PAGE_FORMS: dict[str, type[django_forms.Form]] = {
    "allegation": forms.AllegationForm, "handover": forms.HandoverForm, "assign": forms.AssignForm,
    "override": forms.OverrideForm, "review-decision": forms.ReviewDecisionForm,
}
REPORTING = {ReportingMode.NAMED: "by name", ReportingMode.CONFIDENTIAL: "in confidence",
             ReportingMode.ANONYMOUS: "anonymously"}
RETALIATION = "retaliation"  # the kind of a reporter's request that says they suffered retaliation since reporting


def slug(action: str) -> str:
    """The URL name of an action (cases:act): `send_outcome` → `send-outcome`."""
    return action.replace("_", "-")


# --- plain words ------------------------------------------------------------------------------------------------


class Names:
    """Actor labels in words, each looked up once per page: people by name and role."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, label: str) -> str:
        label = str(label or "")
        if label not in self.known:
            kind, _, rest = label.partition(":")
            if kind == "person" and rest:  # a roster person acting (the synthetic force's history)
                person = Person.objects.filter(number=rest).first()
                self.known[label] = (f"{person.given_name} {person.family_name} ({person.rank.lower()})"
                                     if person else "a member of staff")
            else:
                self.known[label] = who(label) if label else "someone"
        return self.known[label]


def _severity(value: str) -> str:
    return Severity(value).label if value in Severity.values else value.replace("_", " ")


def decision_words(d: Decision) -> str:
    """A decision as a sentence: "Route decided: Handled locally …", never "route — local_handling"."""
    value = d.value or ""
    if d.kind in ("severity", "downgrade"):
        return f"Allegation {'downgraded to' if d.kind == 'downgrade' else 'assessed as'} {_severity(value).lower()}"
    if d.kind == "recording":
        return "Recording decision: " + "; ".join(_severity(v).lower() for v in value.split(",") if v)
    if d.kind == "route":
        return f"Route decided: {(workflow.route_for(value) or {}).get('label', value.replace('_', ' '))}"
    if d.kind == "case_to_answer":
        return "Decision: case to answer" if value == "case_to_answer" else "Decision: no case to answer"
    if d.kind == "proceedings":
        return f"{value.replace('_', ' ').capitalize()} arranged"
    if d.kind == "outcome":
        return f"Outcome recorded: {Outcome(value).label if value in Outcome.values else value.replace('_', ' ')}"
    if d.kind == "review":
        return "Review upheld" if value == "upheld" else "Review not upheld"
    if d.kind == rules.REFERRAL_DECISION:
        return f"Decision on referral: {dict(forms.REFERRAL_DECISIONS).get(value, value.replace('_', ' '))}"
    return f"{d.kind.replace('_', ' ').capitalize()}: {value.replace('_', ' ')}"


def clock_row(c: clocks.Clock, today: date) -> dict:
    """A clock by its policy name, with its due date and, when it has passed, how many days late."""
    late = c.days_late(today)
    if c.status == clocks.OVERDUE:
        state = f"{late} day{'s' if late != 1 else ''} late"
    elif c.status == clocks.RUNNING and c.due_on is not None:
        left = (c.due_on - today).days
        state = "Due today" if left == 0 else f"Due in {left} day{'s' if left != 1 else ''}"
    elif c.met_on is not None:
        state = f"{c.status_label} ({c.met_on:%-d %b %Y})"
    else:
        state = c.status_label
    return {"label": c.label, "due_on": c.due_on, "state": state, "late": late,
            "live": c.status in (clocks.RUNNING, clocks.OVERDUE), "overdue": c.status == clocks.OVERDUE}


def reporter_words(reports) -> str:
    """Who reported, as a type and a way of reporting, never who they are: "Member of the public, by name"."""
    kinds = dict.fromkeys(f"{ReporterType(r.reporter_type).label if r.reporter_type in ReporterType.values else ''}"
                          f", {REPORTING.get(r.mode, r.mode)}" for r in reports)
    return "; ".join(kinds) or "Not known"


# --- the sections -----------------------------------------------------------------------------------------------


def _timeline(case: Case, names: Names) -> list[dict]:
    entries = [{"at": e.at, "what": workflow.stage_label(e.stage), "who": names(e.actor), "reasons": e.reason,
                "reporter_text": workflow.reporter_text(e.stage)}
               for e in StageEvent.objects.filter(case=case).order_by("at", "id")]
    entries += [{"at": d.at, "what": decision_words(d), "who": names(d.decided_by), "reasons": d.reasons,
                 "reporter_text": workflow.outcome_text(d.value) if d.kind == "outcome" else ""}
                for d in Decision.objects.filter(case=case).order_by("at", "id")]
    return sorted(entries, key=lambda e: e["at"])


def _step_form(action: str, case: Case, bound: dict):
    made = action_form(slug(action), case)
    return bound.get(made[0]) or made[1] if made else None


def _steps(actor, case: Case, bound: dict, flagged: bool) -> list[dict]:
    """The steps out of the current stage that are this actor's to take: a form, or why it cannot be taken yet and
    where to fix it. A step to an open stage is the way forward; closing early is offered apart from it."""
    steps = []
    for action in workflow.actions_from(case.state):
        step = workflow.step(action, case.state)
        verdict = may(actor, case, action)
        if step is None or (not verdict.allowed and not verdict.offer):
            continue
        target = workflow.stage_label(step.target)
        fix = None
        if not verdict.allowed:
            fix = ("flags", "Resolve the safety-net flag") if flagged and step.flag_blocks else STEP_FIXES.get(action)
        steps.append({"action": slug(action), "label": target, "why_not": verdict.reason, "fix": fix,
                      "form": _step_form(action, case, bound) if verdict.allowed else None,
                      "button": STEP_FORMS[action][1] or f"Move to “{target}”", "forward": workflow.is_open(step.target)})
    return steps


def _allegation_forms(a, bound: dict) -> dict:
    initial = {"allegation": a.public_id}
    ident = str(a.public_id)[:8]

    def made(slot: str, factory) -> django_forms.Form:
        return bound.get(f"{slot}:{a.public_id}") or factory()

    return {
        "assess": made("assess", lambda: forms.AssessForm(initial={
            **initial, "severity": a.severity, "possible_crime": a.possible_crime,
            "referral_criteria": a.referral_criteria}, auto_id=f"assess-{ident}-%s")),
        "outcome": made("outcome", lambda: forms.OutcomeForm(initial={**initial, "outcome": a.outcome,
                                                                      "finding": a.finding},
                                                             auto_id=f"outcome-{ident}-%s")),
        "refer": made("refer", lambda: forms.ReferForm(initial=initial, auto_id=f"refer-{ident}-%s")),
        "decide": made("referral-decision", lambda: forms.ReferralDecisionForm(initial=initial,
                                                                               auto_id=f"decide-{ident}-%s")),
    }


def _allegations(case: Case, bound: dict) -> list[dict]:
    allegations = list(case.allegations.select_related("subject__unit").order_by("id"))
    unmet = {a.pk: [c.label for c in met] for a, met in rules.unmet(case)}
    return [{"a": a, "category": category_label(a.category), "criteria": [c.label for c in rules.allegation_criteria(a)],
             "unreferred": unmet.get(a.pk), "referred": list(a.referrals.all()), "forms": _allegation_forms(a, bound)}
            for a in allegations]


def _page_forms(case: Case, subjects: list, bound: dict) -> dict:
    return {slot: bound.get(slot) or action_form(slot, case, subjects=subjects)[1]  # type: ignore[index]
            for slot in PAGE_FORMS}


def _escalations(actor, case: Case, names: Names) -> list[dict]:
    labels = {c["key"]: c["label"] for c in clocks.spec().get("clock", [])}
    return [{"e": e, "clock": labels.get(e.clock, "A deadline"), "seen_by": names(e.seen_by) if e.seen_at else "",
             "may_see": may(actor, case, seen_action(e)).allowed}
            for e in Escalation.objects.filter(case=case).order_by("-raised_on", "level")]


def _retaliation(case: Case) -> list[tuple[int, date]]:
    """(report, day) for each time the reporter told us they have suffered retaliation since reporting."""
    return sorted(set(case.reports.filter(reporter_requests__kind=RETALIATION)
                      .values_list("pk", "reporter_requests__made_on")))


def _reports(reports: list, retaliation: list[tuple[int, date]]) -> list[dict]:
    told = {pk for pk, _ in retaliation}
    return [{"r": r, "reporter": reporter_words([r]), "retaliation": r.pk in told} for r in reports]


def _summary(case: Case, reports: list) -> dict:
    route = workflow.route_for(case.handling_route) if case.handling_route else None
    return {
        "stage": workflow.stage_label(case.state), "category": category_label(case.main_category) or "Not recorded",
        "owner": (case.owner.get_full_name() or case.owner.username) if case.owner else "",
        "route": route.get("label", "") if route else "", "independent": case.route == "independent",
        "reporter": reporter_words(reports),
    }


def case_context(actor, case: Case, *, error: str = "", problems: list | None = None,
                 bound: dict | None = None) -> dict:
    """Everything the case page shows. `bound` holds a form that came back with errors, under its slot ("handover",
    "step:route", "outcome:<allegation id>"), so the page shows it with what was typed and what to correct."""
    bound = bound or {}
    today = clock.today()
    names = Names()
    subjects = [m.person for m in SubjectMention.objects.filter(report__case=case, link_status__in=FIRM_LINKS)
                .select_related("person")]
    flags = list(Flag.objects.filter(case=case).order_by("resolved_at", "raised_at"))
    unresolved = [f for f in flags if f.resolved_at is None]
    rows = [clock_row(c, today) for c in clocks.clocks_for(case, today)]
    steps = _steps(actor, case, bound, bool(unresolved)) if workflow.is_open(case.state) else []
    forward = [s for s in steps if s["forward"]]
    reports = list(case.reports.order_by("received_on", "id"))
    overseer = conflicts.may_read_findings(actor)
    can = {name: may(actor, case, name) for name in PAGE_ACTIONS}
    mentions = list(SubjectMention.objects.filter(report__case=case).select_related("person__unit", "report"))
    retaliation = _retaliation(case)
    escalations = _escalations(actor, case, names)
    page_forms = _page_forms(case, subjects, bound)
    return {
        "case": case, "error": error, "problems": problems or [], "summary": _summary(case, reports),
        "state_label": workflow.stage_label(case.state), "is_open": workflow.is_open(case.state), "today": today,
        "clocks": rows, "live_clocks": [r for r in rows if r["live"]], "other_clocks": [r for r in rows if not r["live"]],
        # The way forward first; closing early apart, unless closing is the only way on.
        "steps": forward or steps, "other_steps": [s for s in steps if not s["forward"]] if forward else [],
        "timeline": _timeline(case, names), "allegations": _allegations(case, bound),
        "flags": [{"f": f, "resolved_by": names(f.resolved_by) if f.resolved_at else ""} for f in flags],
        "unresolved_flags": len(unresolved),
        "escalations": escalations, "unseen_escalations": any(not e["e"].seen_at for e in escalations),
        "history": history.for_case(case, actor),
        "assignments": list(Assignment.objects.filter(case=case, ended_at__isnull=True)
                            .exclude(role=AssignmentRole.OWNER).select_related("user", "person")),
        "handovers": handover_count(case), "accounts_requested": accounts_requested(case),
        "statements": case.statements.count(), "mentions": mentions,
        "unlinked": sum(1 for m in mentions if m.link_status not in FIRM_LINKS and m.link_status != "rejected"),
        "reports": _reports(reports, retaliation), "report_objects": reports,
        "retaliation": sorted({day for _, day in retaliation}),
        "route_label": (workflow.route_for(case.handling_route) or {}).get("label", ""),
        "can": can, "can_see": can_see(actor, case),
        # The reasons behind conflict refusals and overrides can point at the reporter: the overseer's only.
        "overseer_view": overseer,
        "conflict_findings": [{"at": f.at, "by": names(f.by), "reasons": f.reasons}
                              for f in conflicts.findings_for(actor, case)] if overseer else [],
        "forms": page_forms, "review_form": page_forms["review-decision"],
        "bound_team": any(slot in bound for slot in ("handover", "assign", "override")),
    }


# --- the forms of the page's actions ----------------------------------------------------------------------------

# Per allegation: the action's slug -> (the id prefix the page renders it with, the form).
PER_ALLEGATION: dict[str, tuple[str, type[django_forms.Form]]] = {
    "assess": ("assess", forms.AssessForm), "outcome": ("outcome", forms.OutcomeForm),
    "refer": ("refer", forms.ReferForm), "referral-decision": ("decide", forms.ReferralDecisionForm),
}
OTHER_FORMS: dict[str, type[django_forms.Form]] = {
    "flag": forms.FlagForm, "link": forms.LinkMentionForm, "statement": forms.StatementForm,
}


def action_form(action: str, case: Case, data=None, *, subjects=()) -> tuple[str, django_forms.Form] | None:
    """The form an action takes (None: it takes none), bound to `data`, under the slot and the ids the page renders
    it with: a form that comes back with errors is shown in its place, and the error summary's links land on it."""
    step = action.replace("-", "_")
    if step in STEP_FORMS:
        form_class = STEP_FORMS[step][0]
        return (f"step:{action}", form_class(data, auto_id=f"{action}-%s")) if form_class else None
    if action in PER_ALLEGATION:
        prefix, form_class = PER_ALLEGATION[action]
        ident = str((data or {}).get("allegation", ""))
        return f"{action}:{ident}", form_class(data, auto_id=f"{prefix}-{ident[:8]}-%s")
    if action == "allegation":
        return action, forms.AllegationForm(data, subjects=subjects, auto_id="allegation-%s")
    if action in PAGE_FORMS:
        form_class = PAGE_FORMS[action]
        if issubclass(form_class, forms.CaseForm):
            return action, form_class(data, case=case, auto_id=f"{action}-%s")
        return action, form_class(data, auto_id=f"{action}-%s")
    if action in OTHER_FORMS:
        return action, OTHER_FORMS[action](data)
    raise KeyError(action)
