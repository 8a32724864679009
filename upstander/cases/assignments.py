"""One owner, one account, independent assessors, and resolving the safety net's flags.

- Each case has one named owner; a handover needs a reason and is counted (`handover_count`).
- The victim's account is recorded once as a versioned Statement under the report's data key; a new owner reads it.
  Asking the victim again needs a reason, and how often they were asked is kept (`accounts_requested`).
- Assessors, investigators and decision-makers must be independent (cases/conflicts.py) unless the overseer
  recorded an override with reasons.
"""

from __future__ import annotations

from django.db.models import Max, Q

from upstander.accounts.models import User
from upstander.accounts.permissions import CASE_CONTENT_ROLES
from upstander.cases import conflicts
from upstander.cases.choices import AssignmentRole
from upstander.cases.guards import Refused, atomic, check, label, may, now, record, require_reasons
from upstander.cases.models import Assignment, Case, ConflictOverride, Flag, Report, Statement
from upstander.reports import sealing
from upstander.reports.sealing import decrypt_statement as decrypt_statement  # re-exported for its callers
from upstander.reports.sealing import encrypt_statement

INDEPENDENT_ROLES = (AssignmentRole.ASSESSOR, AssignmentRole.INVESTIGATOR, AssignmentRole.DECISION_MAKER)


def handover_count(case: Case) -> int:
    return max(0, Assignment.objects.filter(case=case, role=AssignmentRole.OWNER).count() - 1)


def accounts_requested(case: Case) -> int:
    """How many times the victim was asked for their account: the first statement, and each time they were asked again."""
    return Statement.objects.filter(case=case).filter(Q(version=1) | Q(asked_again=True)).count()


def do_assign_owner(*, actor, case: Case, user: User, reason: str = "") -> Assignment:
    """Give the case its named owner. The owner, a supervisor or the overseer hands it over, with a reason; a handler
    may take an unowned case in triage. A new owner must be independent of the case, as assessors must."""
    try:
        with atomic():
            taking = case.owner_id is None and actor == user and may(actor, case, "take_ownership").allowed
            if not taking:
                check(actor, case, "handover")
            if case.owner_id == user.pk:
                raise Refused(f"Refused: {user.get_full_name() or user.username} already owns this case.")
            if user.role not in CASE_CONTENT_ROLES or user.organisation_id != case.handling_org_id:
                raise Refused("Refused: the owner must be a handler of the organisation handling the case.")
            if case.owner_id is not None:
                reason = require_reasons(reason, "hand the case over")
            if user.person_id is not None:
                conflicts.require_independent(case, user.person, AssignmentRole.OWNER)
            stamp = now()
            Assignment.objects.filter(case=case, role=AssignmentRole.OWNER, ended_at__isnull=True).update(ended_at=stamp)
            assignment = Assignment.objects.create(case=case, role=AssignmentRole.OWNER, user=user, person=user.person,
                                                   started_at=stamp, handover_reason=reason)
            previous = case.owner
            case.owner = user
            case.save(update_fields=["owner"])
            record(actor, "case.handover" if previous else "case.owner", case,
                   reason=f"to {user.actor_label}" + (f": {reason}" if reason else ""))
    except conflicts.ConflictFound as found:
        conflicts.record_finding(actor, case, found)
        raise conflicts.ConflictOfInterest() from None
    return assignment


def do_assign(*, actor, case: Case, role: str, user: User) -> Assignment:
    """Assign an assessor, investigator or decision-maker. Refused when they are not independent, in words that
    name no rule and no one (cases/conflicts.py); the reasons are kept for the overseer."""
    if role not in INDEPENDENT_ROLES:
        raise Refused(f"Refused: {role!r} is not an assignable role (the owner is changed by a handover).")
    try:
        with atomic():
            check(actor, case, "assign")
            if user.role not in CASE_CONTENT_ROLES:
                raise Refused("Refused: only handlers, supervisors or the overseer can hold a role on a case.")
            if user.person is None:
                raise Refused(f"Refused: {user.get_full_name() or user.username}'s account is not linked to a roster "
                              "entry, so their independence from the case cannot be checked.")
            override = conflicts.require_independent(case, user.person, role)
            stamp = now()
            Assignment.objects.filter(case=case, role=role, ended_at__isnull=True).update(ended_at=stamp)
            assignment = Assignment.objects.create(case=case, role=role, user=user, person=user.person, started_at=stamp,
                                                   override_reason=override)
            record(actor, "case.assign", case,
                   reason=f"{role} {user.actor_label}" + (" (conflict overridden)" if override else ""))
    except conflicts.ConflictFound as found:
        conflicts.record_finding(actor, case, found)
        raise conflicts.ConflictOfInterest() from None
    return assignment


def do_record_conflict_override(*, actor, case: Case, person, role: str, reasons: str) -> ConflictOverride:
    """The overseer allows an assignment despite a conflict of interest, with reasons. Overseer only."""
    with atomic():
        check(actor, case, "override_conflict")
        reasons = require_reasons(reasons, "override a conflict of interest")
        found = [c.reason for c in conflicts.conflicts_for(case, person)]
        override = ConflictOverride.objects.create(case=case, person=person, role=role, conflicts=found, reasons=reasons,
                                                   decided_by=label(actor), at=now())
        record(actor, "case.conflict_override", case, reason=f"{role} {person.number}: {reasons}")
    return override


def do_resolve_flag(*, actor, flag: Flag, reasons: str) -> Flag:
    """A handler resolves a safety-net flag with written reasons (e.g. the allegation was recategorised, or the
    narrative does not describe what the flag says); the case may then move on."""
    case = flag.case
    if case is None:
        raise Refused("Refused: open a case from the report before resolving its flags.")
    with atomic():
        check(actor, case, "resolve_flag")
        if flag.resolved_at is not None:
            raise Refused("Refused: this flag is resolved already.")
        flag.reasons = require_reasons(reasons, "resolve a safety-net flag")
        flag.resolved_at = now()
        flag.resolved_by = label(actor)
        flag.save(update_fields=["reasons", "resolved_at", "resolved_by"])
        record(actor, "case.flag_resolved", case, reason=f"{flag.flag}: {flag.reasons}")
    return flag


# --- the victim's account --------------------------------------------------------------------------------------


def statement_report(case: Case) -> Report | None:
    """The report whose data key statements are kept under: the case's first report."""
    return case.reports.order_by("received_on", "id").first()


def do_record_statement(*, actor, case: Case, text: str, data_key: bytes, asked_again: bool = False,
                        reason: str = "") -> Statement:
    """Record the victim's account (version 1), or a new version. A new version needs a reason; `asked_again` says
    the victim was asked to give their account again, which is counted."""
    report = statement_report(case)
    if report is None:
        raise Refused("Refused: the case has no report whose key could protect the statement.")
    if not (text or "").strip():
        raise Refused("Refused: the statement is empty.")
    with atomic():
        check(actor, case, "record_statement")
        _check_key(report, data_key)
        version = (Statement.objects.filter(case=case).aggregate(m=Max("version"))["m"] or 0) + 1
        if version > 1:
            reason = require_reasons(reason, "ask again or record a new version of the account")
        statement = Statement.objects.create(
            case=case, version=version, body_ct=encrypt_statement(data_key, case, version, text), recorded_by=actor,
            recorded_at=now(), asked_again=asked_again and version > 1, report=report, reason=reason)
        record(actor, "case.statement", case, reason=f"version {version}" + (" (victim asked again)" if statement.asked_again
                                                                            else "") + (f": {reason}" if reason else ""))
    return statement


def _check_key(report: Report, data_key: bytes) -> None:
    """The key must be the report's own, or nobody holding the report's key could read the statement later."""
    try:
        sealing.check_data_key(report, data_key)
    except sealing.KeyUnavailable:
        raise Refused("Refused: that key does not open this case's report.") from None


def read_statements(*, actor, case: Case, data_key: bytes) -> list[tuple[Statement, str]]:
    """Every version of the victim's account, newest first, opened with the report's key: an audited read by someone
    who may read it. Raises crypto.CryptoError when the key is not the report's."""
    with atomic():
        check(actor, case, "read_statement")
        statements = list(case.statements.select_related("recorded_by").order_by("-version"))
        versions = [(s, decrypt_statement(data_key, s)) for s in statements]
        record(actor, "case.statement_read", case, reason=f"{len(statements)} version(s)")
    return versions
