"""Separation of victim and subject: every state change, audited in its own transaction.

The case workflow asks for the check through `cases.hooks.check_separation` (cases sits below safeguarding and
never imports it): `on_separation_needed` is connected there at start-up and runs `do_check_separation` for an
allegation recorded with its subject, or `do_check_case_separation` once a mention is linked to the roster. This
module checks again itself when a victim is recorded on a case later. Safeguarding tasks name the reporter, so
only the overseer (and system actors) act on them; the force's management line never sees them.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from upstander.accounts.permissions import CASE_WORKERS, FORCE_CASE_ROLES, TASK_HOLDERS, require_role
from upstander.audit.log import actor_of, record
from upstander.cases.access import can_see
from upstander.cases.choices import FIRM_LINKS
from upstander.lib import clock
from upstander.people.actions import do_transfer_person
from upstander.people.models import Person, Team
from upstander.safeguarding import separation
from upstander.safeguarding.models import PartyRole, Plan, ProtectedParty, SafeguardingTask

SUBJECT_PLANS = {Plan.MOVE_SUBJECT, Plan.RESTRICT_SUBJECT, Plan.SUSPEND_SUBJECT}


class SeparationRefused(PermissionDenied):
    """A step the separation rules do not allow (moving the victim without consent, resolving while together)."""


def _require_case_worker(actor, case, doing: str) -> str:
    who = require_role(actor, CASE_WORKERS, doing).label
    if actor_of(actor).role in FORCE_CASE_ROLES and not can_see(actor, case):
        raise PermissionDenied(f"{who} may not {doing} on this case")
    return who


# --- the check --------------------------------------------------------------------------------------------------


def do_check_separation(*, actor, allegation) -> list[SafeguardingTask]:
    """Open a safeguarding task for each staff reporter or recorded victim of the allegation's case who shares a
    team, shift, line manager or location with its subject. Idempotent: an open task for the same pair is returned
    again, not duplicated. Returns the tasks (empty when no separation is needed)."""
    case = allegation.case
    who = _require_case_worker(actor, case, "check separation")
    # The subject as linked on the allegation, or through its mention once a handler has linked that.
    subject: Person | None = allegation.subject or (
        allegation.mention.person if allegation.mention_id and allegation.mention.link_status in FIRM_LINKS else None)
    if subject is None or allegation.category not in separation.separation_categories():
        return []
    tasks = []
    with transaction.atomic():
        for person, role in separation.protected_people(case):
            existing = SafeguardingTask.objects.filter(case=case, person=person, subject=subject).first()
            if existing is not None:
                tasks.append(existing)
                continue
            factors = separation.shared_factors(person, subject)
            if not factors:
                continue
            assessment = separation.assess(allegation.category, factors)
            task = SafeguardingTask.objects.create(
                case=case, allegation=allegation, person=person, person_role=role, subject=subject, shared=factors,
                risk=assessment.risk, assessment=assessment.as_dict(), plan=assessment.plan,
                opened_on=clock.today(), opened_by=who)
            # The reason names neither person: the audit log outlives the task's access rules.
            record(actor, "safeguarding.task.open", task,
                   reason=f"{case.code}: shares {', '.join(factors)}; risk {task.risk}; plan {task.plan}")
            tasks.append(task)
    return tasks


def do_check_case_separation(*, actor, case) -> list[SafeguardingTask]:
    """Check every allegation of the case: for the workflow to call after a subject mention is linked to the
    roster, since an allegation recorded before its subject was known could not be checked then."""
    tasks: list[SafeguardingTask] = []
    with transaction.atomic():
        for allegation in case.allegations.select_related("subject", "mention__person").order_by("pk"):
            tasks.extend(t for t in do_check_separation(actor=actor, allegation=allegation) if t not in tasks)
    return tasks


def on_separation_needed(sender, *, actor, case, allegation=None, **kwargs) -> list[SafeguardingTask]:
    """Receiver of cases.hooks.separation_needed (connected in SafeguardingConfig.ready)."""
    if allegation is None:
        return do_check_case_separation(actor=actor, case=case)
    return do_check_separation(actor=actor, allegation=allegation)


def do_record_party(*, actor, case, person: Person, role: str, since: date | None = None) -> ProtectedParty:
    """Record a victim (when someone else reported) or a witness who supported the report. A victim recorded after
    the allegations is checked for separation at once; both are watched for retaliation from `since`."""
    role = PartyRole(role)
    who = _require_case_worker(actor, case, "record people who need protection")
    with transaction.atomic():
        party, created = ProtectedParty.objects.get_or_create(
            case=case, person=person, role=role,
            defaults={"since": since or clock.today(), "recorded_by": who})
        if created:
            record(actor, "safeguarding.party.record", party, reason=f"{case.code}: {role}")
            if role == PartyRole.VICTIM:
                do_check_case_separation(actor=actor, case=case)
    return party


# --- the plan ---------------------------------------------------------------------------------------------------


def do_record_consent(*, actor, task: SafeguardingTask, consents: bool, note: str = "") -> SafeguardingTask:
    """The victim's own answer to whether they agree to be moved, as they gave it (recorded by the overseer)."""
    who = require_role(actor, TASK_HOLDERS, "record a victim's consent").label
    with transaction.atomic():
        task.victim_consents_to_move = consents
        task.consent_recorded_on = clock.today()
        task.consent_recorded_by = who
        task.save(update_fields=["victim_consents_to_move", "consent_recorded_on", "consent_recorded_by"])
        record(actor, "safeguarding.consent", task, reason=("consents" if consents else "does not consent")
               + (f": {note}" if note else ""))
    return task


def _require_consent(task: SafeguardingTask) -> None:
    if task.victim_consents_to_move is not True:
        raise SeparationRefused("Refused: moving the victim needs the victim's recorded consent. The default plan "
                                "moves or restricts the subject instead.")


def do_set_plan(*, actor, task: SafeguardingTask, plan: str, reasons: str) -> SafeguardingTask:
    require_role(actor, TASK_HOLDERS, "change a separation plan")
    plan = Plan(plan)
    if not reasons.strip():
        raise ValidationError("say why the plan changes")
    if plan == Plan.MOVE_VICTIM:
        _require_consent(task)
    with transaction.atomic():
        task.plan, task.plan_reasons = plan, reasons.strip()
        task.save(update_fields=["plan", "plan_reasons"])
        record(actor, "safeguarding.plan", task, reason=f"{plan}: {reasons.strip()}")
    return task


def do_carry_out_move(*, actor, task: SafeguardingTask, to_team: Team, on: date | None = None,
                      line_manager: Person | None = None) -> SafeguardingTask:
    """Move the person the plan says (the subject, or the victim with their consent) to another team."""
    require_role(actor, TASK_HOLDERS, "carry out a separation move")
    if task.plan == Plan.MOVE_VICTIM:
        _require_consent(task)
        mover, other, requested = task.person, task.subject, True
    elif task.plan == Plan.MOVE_SUBJECT:
        mover, other, requested = task.subject, task.person, False
    else:
        raise SeparationRefused(f"Refused: the plan is to {Plan(task.plan).label.lower()}, not a move.")
    if other.team_id == to_team.pk:
        raise SeparationRefused("Refused: that is the other person's team.")
    with transaction.atomic():
        do_transfer_person(actor=actor, person=mover, to_team=to_team, on=on or clock.today(),
                           reason=f"separation ({task.case.code})", requested=requested, line_manager=line_manager)
        record(actor, "safeguarding.move", task, reason=f"{'victim' if requested else 'subject'} moved")
    return task


def do_resolve_task(*, actor, task: SafeguardingTask, resolution: str,
                    together_by_choice: bool = False) -> SafeguardingTask:
    """Close the task. While the roster still shows them together it closes only as the victim's own choice,
    with the reasons written down — and then still counts among those working alongside by choice."""
    who = require_role(actor, TASK_HOLDERS, "resolve a safeguarding task").label
    if not resolution.strip():
        raise ValidationError("say how the task was resolved")
    still = separation.shared_factors(task.person, task.subject)
    if still and not together_by_choice:
        raise SeparationRefused("Refused: they still share " + ", ".join(separation.FACTOR_LABELS[f] for f in still)
                                + ". Carry out the plan first, or record that the victim chooses to stay.")
    with transaction.atomic():
        task.resolved_on, task.resolved_by = clock.today(), who
        task.resolution, task.together_by_choice = resolution.strip(), bool(still) and together_by_choice
        task.save(update_fields=["resolved_on", "resolved_by", "resolution", "together_by_choice"])
        record(actor, "safeguarding.task.resolve", task,
               reason="together by the victim's choice" if task.together_by_choice else "separated")
    return task
