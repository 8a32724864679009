"""Rotating an organisation's key: a deliberate, audited ceremony (issue 11), for when a member may have copied the
key or a recovery secret may have leaked.

A member who holds the organisation's key in their session, and whose role may do it, asks with a reason and their
password. In one transaction: a new key pair is made; every report data key sealed to the organisation (and, for the
identity custodians, every sealed identity) is re-sealed to the new public key; the new public key and a new
recovery secret (returned once, never stored) replace the old ones; every member's grant of the old key is revoked
and the member rotating it gets the new one (the others are granted it again through key custody). The pin is
replaced once the transaction has committed, and the audit event names the new fingerprint, so an operator who
deploys the pins file by hand can check it.

The old key must be the pinned one: a key swapped in the database is refused, never rotated into the pins.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.accounts.actions import do_grant_key, recovery_wrap
from upstander.accounts.models import KeyGrant, Organisation, OrganisationKind, Role, User
from upstander.audit.log import actor_of, record
from upstander.lib import clock, crypto, keys
from upstander.reports import pins, sealing
from upstander.reports.models import Report, SealedKey

# Who may rotate their organisation's key: the senior member of each key-holding organisation.
ROTATORS = {OrganisationKind.FORCE: Role.SUPERVISOR, OrganisationKind.OVERSEER: Role.OVERSEER,
            OrganisationKind.CUSTODIANS: Role.CUSTODIAN}


@dataclass
class RotatedKey:
    organisation: Organisation
    fingerprint: str
    recovery_secret: str  # shown once to the member who rotated the key: print it and keep it safe
    resealed: int


def _require_rotator(actor: User, org_key: bytes | None, reason: str) -> Organisation:
    # The organisation as it is on record now, not as it was when the actor signed in.
    org_id = actor.organisation_id if isinstance(actor, User) else None
    org = Organisation.objects.filter(pk=org_id).first() if org_id is not None else None
    if org is None or ROTATORS.get(OrganisationKind(org.kind)) != actor.role:
        raise PermissionDenied("you may not rotate an organisation's key")
    if len((reason or "").strip()) < 10:
        raise PermissionDenied("say why the key is being rotated")
    pins.verified_public_key(org)  # the key on record must be the pinned one
    if org_key is None or not crypto.is_key_pair(bytes(org.public_key), org_key):
        raise PermissionDenied("your session does not hold your organisation's key: sign in again")
    return org


def _reseal_all(org: Organisation, old_key: bytes, new_public: bytes) -> int:
    sealed = list(SealedKey.objects.select_for_update().filter(organisation=org))
    for row in sealed:
        row.sealed = sealing.reseal(bytes(row.sealed), old_key, new_public)
    SealedKey.objects.bulk_update(sealed, ["sealed"], batch_size=500)
    if org.kind != OrganisationKind.CUSTODIANS:
        return len(sealed)
    identities = list(Report.objects.select_for_update().filter(sealed_identity__isnull=False))
    for report in identities:
        report.sealed_identity = sealing.reseal(bytes(report.sealed_identity or b""), old_key, new_public)
    Report.objects.bulk_update(identities, ["sealed_identity"], batch_size=500)
    return len(sealed) + len(identities)


def do_rotate_organisation_key(*, actor: User, org_key: bytes | None, password: str, reason: str) -> RotatedKey:
    with pins.alerting_on_refusal():
        org = _require_rotator(actor, org_key, reason)
    assert org_key is not None
    pair = crypto.new_keypair()
    new_fingerprint = crypto.fingerprint(pair.public)
    with transaction.atomic():
        resealed = _reseal_all(org, org_key, pair.public)
        recovery, wrapped, salt = recovery_wrap(pair.private)
        Organisation.objects.filter(pk=org.pk).update(public_key=pair.public, recovery_wrapped_key=wrapped,
                                                      recovery_salt=salt)
        KeyGrant.objects.filter(organisation=org, revoked_at__isnull=True).update(revoked_at=clock.now())
        org.refresh_from_db()
        actor.organisation = org
        do_grant_key(actor=actor_of(actor), granter_key=pair.private, user=actor, password=password, granted_by=actor)
        record(actor, "keys.rotate", org, reason=f"{reason.strip()}; new key {new_fingerprint}; {resealed} sealed "
                                                 "item(s) re-sealed; other members must be granted the new key")
        transaction.on_commit(lambda: keys.set_pin(org.kind, new_fingerprint, replace=True))
    return RotatedKey(org, new_fingerprint, recovery, resealed)
