"""What an actor may do to a case, and if not, why not: the one rule, asked by the case page (to decide what to
offer, or to say why a step is not possible yet) and by every case action (which refuses with the same words).

`may(actor, case, action)` answers a Verdict. The action names are the code's vocabulary (STEPS move the case,
ACTIONS do not); which stages allow each, where each step leads and who may take it are policy
(policy/workflow.toml), so a profile with other stages needs no code change. What the caller supplies — reasons, a
chosen route, an outcome, the person to assign — is checked by the action after asking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core import checks
from django.core.exceptions import PermissionDenied

from upstander.accounts.models import Role, User
from upstander.cases import clocks, rules, workflow
from upstander.cases.access import can_see
from upstander.cases.models import Assignment, Case, Flag


class Refused(PermissionDenied):
    """An action the actor may not take, or not now; the message says why, in words a handler can act on."""


class ReasonsRequired(Refused):
    """Not proceeding, downgrading and closing are refused without written reasons."""


# Steps that move the case (policy: [[transition]] `action`), and what each does, in the words of a refusal.
STEPS = {
    "acknowledge": "acknowledge receipt",
    "record_assessment": "record the assessment",
    "route": "route the case",
    "start_investigation": "start the investigation",
    "decide_case_to_answer": "decide whether there is a case to answer",
    "start_proceedings": "arrange a meeting or hearing",
    "send_outcome": "send the outcome",
    "open_review": "open a complainant review",
    "close": "close the case",
}
# Actions that do not move the case (policy: [action.<name>]).
ACTIONS = {
    "record_allegation": "record an allegation",
    "assess_allegation": "assess an allegation",
    "refer": "refer an allegation",
    "record_referral_decision": "record a referral decision",
    "record_outcome": "record an outcome",
    "decide_review": "decide a review",
    "resolve_flag": "resolve a safety-net flag",
    "link_mention": "link people",
    "add_report": "add a report",
    "record_statement": "record the victim's account",
    "read_statement": "read the victim's account",
    "handover": "hand the case over",
    "take_ownership": "take the case",
    "assign": "assign an assessor, investigator or decision-maker",
    "override_conflict": "override a conflict of interest",
    "see_escalation": "mark this escalation seen",
    "see_overseer_escalation": "mark this escalation seen",
    "review_evidence": "review chat evidence on this case",
}


@dataclass(frozen=True)
class Verdict:
    """`allowed`, or `why_not` in plain words. `offer` says whether the case page should still show the step (with
    `why_not`): true when the actor is the one to take it and something they can fix stands in the way."""

    allowed: bool
    why_not: str = ""
    offer: bool = True
    refusal: type[PermissionDenied] = Refused

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def reason(self) -> str:
        """`why_not` as a sentence on its own, for a page that already says the step is not possible."""
        text = self.why_not.removeprefix("Refused: ")
        return text[:1].upper() + text[1:]

    def enforce(self) -> None:
        if not self.allowed:
            raise self.refusal(self.why_not)


YES = Verdict(True)


def _no(why: str, *, offer: bool = True, refusal: type[PermissionDenied] = Refused) -> Verdict:
    return Verdict(False, why if why.startswith("Refused") else f"Refused: {why}", offer, refusal)


def holds(actor, case: Case, who: Iterable[str]) -> bool:
    """Whether the actor is one of `who` (workflow.toml's vocabulary, workflow.WHO) for this case."""
    if not isinstance(actor, User) or not actor.is_authenticated or not can_see(actor, case):
        return False
    who = set(who)
    if actor.role == Role.OVERSEER:
        return "overseer" in who
    if actor.role == Role.SUPERVISOR and "supervisor" in who:
        return True
    if actor.role not in (Role.HANDLER, Role.SUPERVISOR):
        return False
    if actor.role == Role.HANDLER and "handler" in who:
        return True
    if "owner" in who and case.owner_id == actor.pk:
        return True
    roles = who & {"assessor", "investigator", "decision_maker"}
    return bool(roles) and Assignment.objects.filter(case=case, user=actor, role__in=roles, ended_at__isnull=True).exists()


def _not_yours(case: Case, who: Iterable[str], doing: str) -> Verdict:
    allowed = ", ".join(w.replace("_", "-") for w in who)
    return _no(f"you may not {doing} on case {case.code} (allowed: {allowed}).", offer=False)


def may(actor, case: Case, action: str, **ctx: Any) -> Verdict:
    """May `actor` take `action` on `case` now? The same answer for the page and for the action."""
    if action in STEPS:
        return _may_step(actor, case, action, ctx)
    if action in ACTIONS:
        return _may_act(actor, case, action, ctx)
    raise ValueError(f"Unknown case action {action!r}.")


def check(actor, case: Case, action: str, **ctx: Any) -> None:
    """Refuse (raise) unless `may` allows it: what every action calls first."""
    may(actor, case, action, **ctx).enforce()


def problems() -> list[str]:
    """What is wrong with the active workflow policy for these actions (empty: it can run a case)."""
    return workflow.problems(STEPS, ACTIONS)


def workflow_check(app_configs=None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django system check (registered in cases/apps.py): the workflow policy of the active profile can run a case."""
    return [checks.Error(f"policy/workflow.toml: {problem}", hint="See docs/workflow.md, “Another regime”.",
                         id="cases.E001") for problem in problems()]


# --- steps between stages ---------------------------------------------------------------------------------------


def _may_step(actor, case: Case, action: str, ctx: dict) -> Verdict:
    doing = STEPS[action]
    here = case.state
    step = workflow.step(action, here)
    if step is None:
        allowed = ", ".join(workflow.stage_label(s) for s in workflow.next_stages(here)) or "none"
        return _no(f"a case at “{workflow.stage_label(here)}” cannot {doing} (next steps from here: {allowed}).",
                   offer=False)
    if not holds(actor, case, step.who):
        return _not_yours(case, step.who, doing)
    checks: tuple[Callable[[], Verdict], ...] = (
        lambda: _off_route(case, step.target), lambda: _STEP_CHECKS.get(action, _nothing)(case, ctx),
        lambda: _waiting(case, step, doing), lambda: _flagged(case, step))
    for asked in checks:  # in order, each only if the ones before allowed it
        verdict = asked()
        if not verdict:
            return verdict
    return YES


def _nothing(case: Case, ctx: dict) -> Verdict:
    return YES


def _route_stage(case: Case) -> dict | None:
    """The case's chosen route while it is at the stage the `route` step leads to (None elsewhere)."""
    if case.state not in workflow.targets_of("route"):
        return None
    return workflow.route_for(case.handling_route)


def _off_route(case: Case, target: str) -> Verdict:
    route = _route_stage(case)
    if route is None or not workflow.is_open(target) or route.get("next") == target:
        return YES
    return _no(f"the route “{route.get('label', case.handling_route)}” leads to "
               f"“{workflow.stage_label(str(route.get('next')))}”, not to “{workflow.stage_label(target)}”.", offer=False)


def _waiting(case: Case, step: workflow.Transition, doing: str) -> Verdict:
    if not step.waits_for:
        return YES
    for clock in clocks.clocks_for(case):
        if clock.key in step.waits_for and clock.status == clocks.RUNNING and clock.due_on is not None:
            return _no(f"“{clock.label}” runs until {clock.due_on:%d %B %Y}: wait until then to {doing}.")
    return YES


def _flagged(case: Case, step: workflow.Transition) -> Verdict:
    if not step.flag_blocks:
        return YES
    open_flags = sorted(set(Flag.objects.filter(case=case, resolved_at__isnull=True).values_list("flag", flat=True)))
    if not open_flags:
        return YES
    return _no(f"the safety net flagged this case ({', '.join(f.replace('_', ' ') for f in open_flags)}). "
               "A handler must resolve the flag with written reasons before the case moves on.")


def _assessed(case: Case, ctx: dict) -> Verdict:
    severities = list(case.allegations.values_list("severity", flat=True))
    if not severities:
        return _no("record at least one allegation (subject, category, severity) before the assessment.")
    unassessed = sum(1 for s in severities if not s)
    return _no(f"{unassessed} allegation(s) have no severity yet.") if unassessed else YES


def _case_to_answer(case: Case, ctx: dict) -> Verdict:
    decided = case.decisions.filter(kind="case_to_answer").order_by("-at", "-id").first()
    if decided is None or decided.value != "case_to_answer":
        return _no("a meeting or hearing follows only a decision that there is a case to answer.")
    return YES


def _outcomes_recorded(case: Case, ctx: dict) -> Verdict:
    outcomes = list(case.allegations.values_list("outcome", flat=True))
    if not outcomes:
        return _no("the case has no allegations, so there is no outcome to send.")
    missing = sum(1 for o in outcomes if not o)
    return _no(f"{missing} allegation(s) have no outcome yet.") if missing else YES


def _referred(case: Case, ctx: dict) -> Verdict:
    missing = rules.missing_referrals(case, "closing the case")
    return _no(missing, refusal=rules.ReferralRequired) if missing else YES


_STEP_CHECKS: dict[str, Callable[[Case, dict], Verdict]] = {
    "record_assessment": _assessed, "start_proceedings": _case_to_answer, "send_outcome": _outcomes_recorded,
    "close": _referred,
}


# --- actions that do not move the case --------------------------------------------------------------------------


def _may_act(actor, case: Case, action: str, ctx: dict) -> Verdict:
    doing = ACTIONS[action]
    rule = workflow.action_rule(action)
    if rule is None:
        return _no(f"the workflow lets nobody {doing}.", offer=False)
    if not holds(actor, case, rule.who):
        return _not_yours(case, rule.who, doing)
    if not rule.closed_too and not workflow.is_open(case.state):
        return _no(f"case {case.code} is closed, so you may not {doing}.", offer=False)
    if rule.stages is not None and case.state not in rule.stages:
        return _no(f"{rule.not_now}." if rule.not_now else
                   f"you may not {doing} at “{workflow.stage_label(case.state)}”.", offer=False)
    return _ACT_CHECKS.get(action, _nothing)(case, ctx)


def _outcome_after_route(case: Case, ctx: dict) -> Verdict:
    route = _route_stage(case)
    if route is None or route.get("next") in workflow.targets_of("send_outcome"):
        return YES
    return _no(f"the route “{route.get('label', case.handling_route)}” leads to "
               f"“{workflow.stage_label(str(route.get('next')))}” before any outcome.", offer=False)


def _unowned(case: Case, ctx: dict) -> Verdict:
    if case.owner_id is not None:
        return _no("the case has an owner; the owner or a supervisor hands it over.", offer=False)
    return YES


_ACT_CHECKS: dict[str, Callable[[Case, dict], Verdict]] = {
    "record_outcome": _outcome_after_route, "take_ownership": _unowned,
}
