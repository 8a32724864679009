"""Every change to the roster: imports and the HR feed, API tokens, HR events recorded in the system, and declared
interests. Each action checks who is acting, runs in one transaction and writes its audit event in it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from upstander.accounts.models import ApiToken, User
from upstander.accounts.permissions import (
    DECLARATION_KEEPERS,
    HR_RECORDERS,
    ROSTER_IMPORTERS,
    TOKEN_KEEPERS,
    require_role,
)
from upstander.audit.log import Actor, actor_of, record
from upstander.lib import clock, crypto
from upstander.people.choices import AssociationKind, HREventKind, HROutcome, LeavingReason
from upstander.people.hooks import announce_leavers
from upstander.people.models import DeclaredAssociation, HREvent, Person, Team, Unit, UnitHistory
from upstander.people.roster_writer import ImportResult, RosterWriter
from upstander.people.validate import RosterBatch

HR_FEED_SCOPE = "hr_feed"
# A scope is a short name an endpoint checks for; other machine clients may get their own.
SCOPE_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


# --- import and feed ---------------------------------------------------------------------------------------------


def do_import_roster(*, actor, batch: RosterBatch, source: str) -> ImportResult:
    """Write a validated batch (people.validate) as one upsert. One audit event per import, with the counts. A
    leaving date arriving through an import has the same effect as one recorded in the system (do_record_leaving):
    the apps above are told, and the leaver's open cases continue as former-officer cases."""
    require_role(actor, ROSTER_IMPORTERS, "import the roster")
    with transaction.atomic():
        result = RosterWriter(batch).run()
        record(actor, "people.import", object_type="people.roster", object_id=source[:64], reason=result.summary())
        announce_leavers(actor=actor, numbers=[n for n, row in batch.tables["people"].items()
                                               if row.values.get("left_on")])
    return result


def token_actor(token: ApiToken) -> Actor:
    """The HR feed acts as itself, named after its token, so the audit log says which feed changed what."""
    return Actor(label=f"token:{token.name}", role="system")


def do_feed_import(*, token: ApiToken, batch: RosterBatch) -> ImportResult:
    if token.revoked_at is not None or token.scope != HR_FEED_SCOPE:
        raise PermissionDenied("this token may not use the HR feed")
    actor = token_actor(token)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=clock.today())
        result = do_import_roster(actor=actor, batch=batch, source=f"feed:{token.public_id}")
    return result


def do_record_token_use(*, token: ApiToken, outcome: str) -> None:
    """A use of a known token that did not import (refused or rejected as invalid) is audited too."""
    with transaction.atomic():
        if outcome.startswith("rejected"):
            ApiToken.objects.filter(pk=token.pk).update(last_used_on=clock.today())
        record(token_actor(token), "api_token.use", token, reason=outcome)


# --- API tokens --------------------------------------------------------------------------------------------------


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def do_create_api_token(*, actor, name: str, created_by: User, scope: str = HR_FEED_SCOPE) -> NewToken:
    require_role(actor, TOKEN_KEEPERS, "create API tokens")
    if not SCOPE_RE.match(scope):
        raise ValidationError(f"a scope is a short lower-case name such as {HR_FEED_SCOPE}")
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError("a token needs a name of 1–100 characters")
    secret = f"upst_{crypto.random_token(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(name=name, scope=scope, digest=crypto.token_digest(secret),
                                        created_by=created_by, created_at=clock.now())
        record(actor, "api_token.create", token, reason=f"{name} ({scope})")
    return NewToken(token, secret)


def do_revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
    require_role(actor, TOKEN_KEEPERS, "revoke API tokens")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            record(actor, "api_token.revoke", token, reason=token.name)
    return token


# --- HR events recorded inside the system --------------------------------------------------------------------------


def do_record_hr_event(*, actor, person: Person, kind: str, occurred_on: date, reason: str, outcome: str = "",
                       to_unit: Unit | None = None, initiated_by: Person | None = None,
                       leaving_reason: str = "") -> HREvent:
    """An HR event the system itself causes or learns of (restricted duties, suspension, a separation move, a
    leaving date). Imported events come through the feed instead."""
    require_role(actor, HR_RECORDERS, "record HR events")
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
    require_role(actor, HR_RECORDERS, "move people between teams")
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


def do_record_leaving(*, actor, person: Person, on: date, reason: str) -> HREvent:
    """The person left (resigned, retired, …) on `on`. Records the HR event and the leaving date, and tells the apps
    above (people.hooks): if they are the subject of open allegations, their cases continue as former-officer
    cases."""
    require_role(actor, HR_RECORDERS, "record that someone left")
    reason = LeavingReason(reason)
    if on < person.joined_on:
        raise ValidationError("they cannot leave before they joined")
    with transaction.atomic():
        event = do_record_hr_event(actor=actor, person=person, kind=HREventKind.LEFT, occurred_on=on,
                                   leaving_reason=reason, reason=f"left: {reason}")
        person.left_on, person.leaving_reason = on, reason
        person.save(update_fields=["left_on", "leaving_reason"])
        announce_leavers(actor=actor, numbers=[person.number])
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
            declared_on=declared_on or clock.today())
        record(actor, "people.association.declare", person, reason=kind)
    return association


def do_end_association(*, actor, association: DeclaredAssociation, ended_on: date | None = None) -> DeclaredAssociation:
    _may_keep(actor, association.person)
    ended_on = ended_on or clock.today()
    if ended_on < association.declared_on:
        raise ValidationError("an association cannot end before it was declared")
    with transaction.atomic():
        if association.ended_on is None:
            association.ended_on = ended_on
            association.save(update_fields=["ended_on"])
            record(actor, "people.association.end", association.person, reason=association.kind)
    return association
