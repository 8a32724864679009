"""Every change to the roster: imports and the HR feed, API tokens, HR events recorded in the system, and declared
interests. Each action checks who is acting, runs in one transaction and writes its audit event in it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from upstander.accounts.models import ApiToken, Role, User
from upstander.audit.log import Actor, actor_of, record
from upstander.lib import crypto
from upstander.people.choices import AssociationKind, HREventKind, HROutcome, LeavingReason
from upstander.people.models import DeclaredAssociation, HREvent, Person, Team, Unit, UnitHistory
from upstander.people.roster_writer import ImportResult, RosterWriter
from upstander.people.validate import RosterBatch

HR_FEED_SCOPE = "hr_feed"
# A scope is a short name an endpoint checks for; other machine clients may get their own.
SCOPE_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")

# Who may change the roster by import: operators (system actors), administrators and the HR feed's token.
ROSTER_IMPORTERS = {"system", Role.ADMIN}
# Who may record an HR event from inside the system (a restriction, a separation move, a leaving date).
HR_RECORDERS = {"system", Role.SUPERVISOR, Role.OVERSEER}
# Who may keep a declaration on someone else's behalf (a person always keeps their own).
DECLARATION_KEEPERS = {"system", Role.SUPERVISOR, Role.OVERSEER, Role.ADMIN}


def _require(actor, roles: set[str], what: str) -> Actor:
    who = actor_of(actor)
    if who.role not in roles:
        raise PermissionDenied(f"{who.label} may not {what}")
    return who


# --- import and feed ---------------------------------------------------------------------------------------------


def do_import_roster(*, actor, batch: RosterBatch, source: str) -> ImportResult:
    """Write a validated batch (people.validate) as one upsert. One audit event per import, with the counts."""
    _require(actor, ROSTER_IMPORTERS, "import the roster")
    with transaction.atomic():
        result = RosterWriter(batch).run()
        record(actor, "people.import", object_type="people.roster", object_id=source[:64], reason=result.summary())
        _continue_cases_of_leavers(actor, batch)
    return result


def _continue_cases_of_leavers(actor, batch: RosterBatch) -> None:
    """A leaving date arriving through the feed has the same effect as one recorded in the system: the leaver's
    open cases continue as former-officer cases (safeguarding.subjects)."""
    from upstander.cases.models import Allegation
    from upstander.safeguarding.subjects import continue_cases_of_leavers

    leavers = [n for n, row in batch.tables["people"].items() if row.values.get("left_on")]
    if not leavers:
        return
    accused: set[int] = set()
    for start in range(0, len(leavers), 5000):  # bounded IN lists
        accused.update(Allegation.objects.filter(subject__number__in=leavers[start:start + 5000],
                                                 case__closed_on__isnull=True, outcome="")
                       .values_list("subject_id", flat=True))
    if accused:
        continue_cases_of_leavers(actor=actor, people=list(Person.objects.filter(pk__in=accused)))


def token_actor(token: ApiToken) -> Actor:
    """The HR feed acts as itself, named after its token, so the audit log says which feed changed what."""
    return Actor(label=f"token:{token.name}", role="system")


def do_feed_import(*, token: ApiToken, batch: RosterBatch) -> ImportResult:
    if token.revoked_at is not None or token.scope != HR_FEED_SCOPE:
        raise PermissionDenied("this token may not use the HR feed")
    actor = token_actor(token)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=timezone.localdate())
        result = do_import_roster(actor=actor, batch=batch, source=f"feed:{token.public_id}")
    return result


def do_record_token_use(*, token: ApiToken, outcome: str) -> None:
    """A use of a known token that did not import (refused or rejected as invalid) is audited too."""
    with transaction.atomic():
        if outcome.startswith("rejected"):
            ApiToken.objects.filter(pk=token.pk).update(last_used_on=timezone.localdate())
        record(token_actor(token), "api_token.use", token, reason=outcome)


# --- API tokens --------------------------------------------------------------------------------------------------


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def do_create_api_token(*, actor, name: str, created_by: User, scope: str = HR_FEED_SCOPE) -> NewToken:
    _require(actor, {"system", Role.ADMIN}, "create API tokens")
    if not SCOPE_RE.match(scope):
        raise ValidationError(f"a scope is a short lower-case name such as {HR_FEED_SCOPE}")
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError("a token needs a name of 1–100 characters")
    secret = f"upst_{crypto.random_token(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(name=name, scope=scope, digest=crypto.token_digest(secret),
                                        created_by=created_by, created_at=timezone.now())
        record(actor, "api_token.create", token, reason=f"{name} ({scope})")
    return NewToken(token, secret)


def do_revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
    _require(actor, {"system", Role.ADMIN}, "revoke API tokens")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor, "api_token.revoke", token, reason=token.name)
    return token


# --- HR events recorded inside the system --------------------------------------------------------------------------


def do_record_hr_event(*, actor, person: Person, kind: str, occurred_on: date, reason: str, outcome: str = "",
                       to_unit: Unit | None = None, initiated_by: Person | None = None,
                       leaving_reason: str = "") -> HREvent:
    """An HR event the system itself causes or learns of (restricted duties, suspension, a separation move, a
    leaving date). Imported events come through the feed instead."""
    _require(actor, HR_RECORDERS, "record HR events")
    kind = HREventKind(kind)
    if outcome:
        HROutcome(outcome)
    if leaving_reason:
        LeavingReason(leaving_reason)
    with transaction.atomic():
        event = HREvent.objects.create(
            person=person, kind=kind, occurred_on=occurred_on, outcome=outcome, to_unit=to_unit,
            from_unit=person.unit if kind == HREventKind.TRANSFER else None, initiated_by=initiated_by,
            leaving_reason=leaving_reason)
        record(actor, f"people.hr_event.{kind}", event, reason=reason)
    return event


def do_transfer_person(*, actor, person: Person, to_team: Team, on: date, reason: str, requested: bool,
                       initiated_by: Person | None = None, line_manager: Person | None = None) -> HREvent:
    """Move someone to another team (and its unit, shift and place of work) from `on`, recording the transfer as an
    HR event and in the unit history. The new line manager defaults to the head of the new unit."""
    _require(actor, HR_RECORDERS, "move people between teams")
    if to_team.pk == person.team_id:
        raise ValidationError("they are already in that team")
    unit = to_team.unit
    with transaction.atomic():
        event = HREvent.objects.create(
            person=person, kind=HREventKind.TRANSFER, occurred_on=on, from_unit_id=person.unit_id, to_unit=unit,
            outcome=HROutcome.REQUESTED if requested else HROutcome.NOT_REQUESTED,
            initiated_by=person if requested else initiated_by)
        UnitHistory.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on)
        UnitHistory.objects.create(person=person, unit=unit, team=to_team, started_on=on)
        person.unit, person.team, person.shift_id = unit, to_team, to_team.shift_id
        person.location_id = to_team.location_id or unit.location_id
        manager = line_manager or unit.head
        person.line_manager = manager if manager is not None and manager.pk != person.pk else None
        person.save(update_fields=["unit", "team", "shift", "location", "line_manager"])
        record(actor, "people.transfer", person, reason=f"to {to_team.code}: {reason}")
    return event


# --- declared interests ------------------------------------------------------------------------------------------


def _may_keep(actor, person: Person) -> None:
    who = actor_of(actor)
    if getattr(actor, "person_id", None) == person.pk:
        return
    if who.role not in DECLARATION_KEEPERS:
        raise PermissionDenied("only the person, a supervisor or the overseer may keep their declarations")


def do_declare_association(*, actor, person: Person, kind: str, body: str, counterpart: Person | None = None,
                           declared_on: date | None = None) -> DeclaredAssociation:
    _may_keep(actor, person)
    kind = AssociationKind(kind)
    body = body.strip()
    if not body:
        raise ValidationError("say what the association is (the lodge, business or relationship)")
    if kind == AssociationKind.RELATIONSHIP and counterpart is None:
        raise ValidationError("a relationship at work names the other person")
    if counterpart is not None and counterpart.pk == person.pk:
        raise ValidationError("a relationship names someone else")
    with transaction.atomic():
        association = DeclaredAssociation.objects.create(
            person=person, kind=kind, body=body[:200], counterpart=counterpart,
            declared_on=declared_on or timezone.localdate())
        record(actor, "people.association.declare", person, reason=kind)
    return association


def do_end_association(*, actor, association: DeclaredAssociation, ended_on: date | None = None) -> DeclaredAssociation:
    _may_keep(actor, association.person)
    ended_on = ended_on or timezone.localdate()
    if ended_on < association.declared_on:
        raise ValidationError("an association cannot end before it was declared")
    with transaction.atomic():
        if association.ended_on is None:
            association.ended_on = ended_on
            association.save(update_fields=["ended_on"])
            record(actor, "people.association.end", association.person, reason=association.kind)
    return association
