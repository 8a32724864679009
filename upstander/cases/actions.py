"""Every state change of a case, in the style of Zulip's do_* functions: keyword-only `actor`, a permission check,
transaction.atomic() and an audit event in the same transaction. Views, the CLI and tests call these.

This module holds the workflow (stages, allegations, outcomes, closure). Triage lives in cases/triage.py,
ownership, assignments, statements and flags in cases/assignments.py, escalations in cases/escalations.py; their
do_* functions are re-exported here so callers have one place to look.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from upstander.cases import hooks, rules, workflow
from upstander.cases.choices import FIRM_LINKS, Finding, Outcome, Severity
from upstander.cases.guards import Refused, atomic, check, label, move, now, record, refresh_due, require_reasons
from upstander.cases.models import Allegation, Case, Decision, Referral, StageEvent
from upstander.lib import clock, policy


def _decision(case: Case, kind: str, value: str, *, actor, reasons: str = "", allegation=None) -> Decision:
    return Decision.objects.create(case=case, allegation=allegation, kind=kind, value=value, reasons=reasons,
                                   decided_by=label(actor), at=now())


# --- allegations ------------------------------------------------------------------------------------------------


def do_add_allegation(*, actor, case: Case, category: str, subject=None, mention=None, severity: str = "",
                      possible_crime: bool = False) -> Allegation:
    """Record an allegation (subject, category, severity); its outcome comes later."""
    if category not in policy.category_keys():
        raise ValidationError(f"Unknown category {category!r}.")
    if severity and severity not in Severity.values:
        raise ValidationError(f"Unknown severity {severity!r}.")
    if mention is not None and mention.report.case_id != case.pk:
        raise ValidationError("That mention belongs to another case.")
    with atomic():
        check(actor, case, "record_allegation")
        if subject is None and mention is not None and mention.link_status in FIRM_LINKS:
            subject = mention.person  # a suggested candidate is not a link until a handler confirms it
        allegation = Allegation.objects.create(case=case, subject=subject, mention=mention, category=category,
                                               severity=severity, possible_crime=possible_crime)
        allegation.referral_required = bool(rules.allegation_criteria(allegation))
        allegation.save(update_fields=["referral_required"])
        if not case.main_category:
            case.main_category = category
            case.save(update_fields=["main_category"])
        record(actor, "allegation.create", allegation, reason=f"{case.code}: {category}")
        # Separation: a victim must not be left working alongside the subject (safeguarding issue).
        hooks.check_separation(actor=actor, case=case, allegation=allegation)
    return allegation


def do_assess_allegation(*, actor, allegation: Allegation, severity: str, possible_crime: bool = False,
                         referral_criteria: list[str] | tuple[str, ...] = (), reasons: str = "") -> Allegation:
    """The recording decision for one allegation. Lowering an earlier severity is a downgrade and needs reasons."""
    case = allegation.case
    if severity not in Severity.values:
        raise ValidationError(f"Unknown severity {severity!r}.")
    known = {key for key, _ in rules.criterion_choices()}
    if set(referral_criteria) - known:
        raise ValidationError(f"Unknown referral criteria: {sorted(set(referral_criteria) - known)}.")
    with atomic():
        check(actor, case, "assess_allegation")
        downgrade = bool(allegation.severity) and workflow.severity_rank(severity) < workflow.severity_rank(allegation.severity)
        if downgrade:
            reasons = require_reasons(reasons, "downgrade an allegation")
        elif severity == Severity.NO_CASE:
            reasons = require_reasons(reasons, "record that there is no case")
        allegation.severity = severity
        allegation.possible_crime = possible_crime
        allegation.referral_criteria = sorted(set(referral_criteria))
        allegation.referral_required = bool(rules.allegation_criteria(allegation))
        allegation.save(update_fields=["severity", "possible_crime", "referral_criteria", "referral_required"])
        _decision(case, "downgrade" if downgrade else "severity", severity, actor=actor, reasons=reasons,
                  allegation=allegation)
        record(actor, "allegation.assess", allegation, reason=f"{severity}" + (f": {reasons}" if reasons else ""))
    return allegation


# --- stages -----------------------------------------------------------------------------------------------------
# Each step's target stage, who may take it and what must be true first come from policy/workflow.toml through
# permissions.may(); the actions below add only what depends on what they are given.


def do_acknowledge(*, actor, case: Case) -> StageEvent:
    """Tell the reporter their report arrived. Never blocked by a safety-net flag."""
    with atomic():
        return move(case, "acknowledge", actor=actor)


def do_record_assessment(*, actor, case: Case, reasons: str = "") -> StageEvent:
    """The recording decision for the case: every allegation must have a severity."""
    with atomic():
        event = move(case, "record_assessment", actor=actor, reasons=reasons)
        severities = case.allegations.order_by("id").values_list("severity", flat=True)
        _decision(case, "recording", ",".join(severities), actor=actor, reasons=reasons)
    return event


def do_refer(*, actor, case: Case, allegation: Allegation, reference: str = "") -> Referral:
    """Record the referral of an allegation to the independent body."""
    with atomic():
        check(actor, case, "refer")
        if allegation.case_id != case.pk:
            raise ValidationError("That allegation belongs to another case.")
        met = [c.key for c in rules.allegation_criteria(allegation)]
        referral = Referral.objects.create(case=case, allegation=allegation, referred_on=clock.today(),
                                           referred_by=label(actor), reference=reference, criteria=met)
        record(actor, "allegation.refer", allegation, reason=f"to {rules.body_name()}: {', '.join(met) or 'voluntary'}")
    return referral


def do_record_referral_decision(*, actor, allegation: Allegation, decision: str, reasons: str) -> Decision:
    """The overseer's recorded decision on an allegation that meets the referral criteria (e.g. that the force may
    handle it). Overseer only."""
    case = allegation.case
    with atomic():
        check(actor, case, "record_referral_decision")
        reasons = require_reasons(reasons, "record a referral decision")
        result = _decision(case, rules.REFERRAL_DECISION, decision[:64], actor=actor, reasons=reasons,
                           allegation=allegation)
        record(actor, "allegation.referral_decision", allegation, reason=f"{decision}: {reasons}")
    return result


def do_route(*, actor, case: Case, route: str, reasons: str = "") -> StageEvent:
    """Decide how the assessed case is dealt with. A route other than referral is refused while an allegation meets
    the mandatory referral criteria without a referral or an overseer decision; referral records the referrals."""
    chosen = workflow.route_for(route)
    if chosen is None:
        raise ValidationError(f"Unknown route {route!r}.")
    with atomic():
        check(actor, case, "route")
        if chosen.get("referral"):
            for allegation, _ in rules.unmet(case):
                do_refer(actor=actor, case=case, allegation=allegation)
        else:
            rules.check_referrals(case, str(chosen["label"]).lower())
        event = move(case, "route", actor=actor, reasons=reasons)
        case.handling_route = route
        case.save(update_fields=["handling_route"])
        _decision(case, "route", route, actor=actor, reasons=reasons)
    return event


def do_start_investigation(*, actor, case: Case, reasons: str = "") -> StageEvent:
    """Start the investigation the route leads to (or reinvestigate after a review, with reasons)."""
    with atomic():
        return move(case, "start_investigation", actor=actor, reasons=reasons)


def do_decide_case_to_answer(*, actor, case: Case, case_to_answer: bool, reasons: str = "") -> StageEvent:
    """The decision-maker's case-to-answer decision. "No case to answer" is not proceeding: it needs reasons."""
    with atomic():
        check(actor, case, "decide_case_to_answer")
        if not case_to_answer:
            reasons = require_reasons(reasons, "decide there is no case to answer")
        event = move(case, "decide_case_to_answer", actor=actor, reasons=reasons)
        _decision(case, "case_to_answer", "case_to_answer" if case_to_answer else "no_case_to_answer",
                  actor=actor, reasons=reasons)
    return event


def do_start_proceedings(*, actor, case: Case, kind: str) -> StageEvent:
    """A misconduct meeting or hearing, after a decision that there is a case to answer."""
    if kind not in workflow.proceedings_kinds():
        raise ValidationError(f"Unknown proceedings {kind!r}.")
    with atomic():
        event = move(case, "start_proceedings", actor=actor)
        _decision(case, "proceedings", kind, actor=actor)
    return event


def do_record_outcome(*, actor, allegation: Allegation, outcome: str, finding: str = "", reasons: str = "") -> Allegation:
    """An allegation's own outcome. No further action is not proceeding and needs reasons; "would have been
    dismissed" is only for leavers; dismissal outcomes carry a barred-list referral."""
    case = allegation.case
    if outcome not in Outcome.values:
        raise ValidationError(f"Unknown outcome {outcome!r}.")
    if finding and finding not in Finding.values:
        raise ValidationError(f"Unknown finding {finding!r}.")
    with atomic():
        check(actor, case, "record_outcome")
        if outcome == Outcome.NFA:
            reasons = require_reasons(reasons, "take no further action")
        if outcome in workflow.leavers_only_outcomes() and (allegation.subject is None or allegation.subject.left_on is None):
            raise Refused("Refused: “would have been dismissed” is an outcome for someone who has left the force.")
        allegation.outcome = outcome
        allegation.finding = finding
        allegation.outcome_on = clock.today()
        allegation.barred_list_referral = outcome in workflow.barred_list_outcomes()
        allegation.save(update_fields=["outcome", "finding", "outcome_on", "barred_list_referral"])
        _decision(case, "outcome", outcome, actor=actor, reasons=reasons, allegation=allegation)
        record(actor, "allegation.outcome", allegation, reason=outcome + (f": {reasons}" if reasons else ""))
    return allegation


def do_send_outcome(*, actor, case: Case) -> StageEvent:
    """Tell the reporter the outcome: every allegation needs its own. The review window starts the next day."""
    with atomic():
        return move(case, "send_outcome", actor=actor)


def do_open_review(*, actor, case: Case, reasons: str = "") -> StageEvent:
    """The complainant applied for a review. An application after the window needs reasons to be accepted."""
    with atomic():
        return move(case, "open_review", actor=actor, reasons=reasons)


def do_decide_review(*, actor, case: Case, upheld: bool, reasons: str) -> Decision:
    with atomic():
        check(actor, case, "decide_review")
        reasons = require_reasons(reasons, "decide a review")
        result = _decision(case, "review", "upheld" if upheld else "not_upheld", actor=actor, reasons=reasons)
        record(actor, "case.review_decision", case, reason=f"{result.value}: {reasons}")
    return result


def do_close(*, actor, case: Case, reasons: str) -> StageEvent:
    """Close with written reasons. Refused while an allegation needs a referral, while a safety-net flag is open, or
    while the reporter may still apply for a review (policy: the step waits for the review window)."""
    with atomic():
        return move(case, "close", actor=actor, reasons=reasons)


def do_refresh_clocks(*, actor, case: Case) -> None:
    """Recompute the clock cache of one case (used after bulk-written history). It changes no fact, only the cache
    the queue sorts by, so anyone who may see the case may ask for it."""
    with atomic():
        refresh_due(case)


from upstander.cases.assignments import (  # noqa: E402  (re-exported: one place to look for case actions)
    do_assign,
    do_assign_owner,
    do_record_conflict_override,
    do_record_statement,
    do_resolve_flag,
)
from upstander.cases.triage import (  # noqa: E402
    do_add_report_to_case,
    do_link_mention,
    do_open_case,
    do_release_report,
    do_screen_narrative,
)

__all__ = [
    "do_acknowledge", "do_add_allegation", "do_add_report_to_case", "do_assess_allegation", "do_assign",
    "do_assign_owner", "do_close", "do_decide_case_to_answer", "do_decide_review", "do_link_mention",
    "do_open_case", "do_open_review", "do_record_assessment", "do_record_conflict_override", "do_record_outcome",
    "do_record_referral_decision", "do_record_statement", "do_refer", "do_refresh_clocks", "do_release_report",
    "do_resolve_flag", "do_route", "do_screen_narrative", "do_send_outcome", "do_start_investigation",
    "do_start_proceedings",
]
