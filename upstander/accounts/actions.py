"""State changes for accounts, organisations and key custody. Each one is audited in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts.models import KeyGrant, Organisation, OrganisationKind, Role, User
from upstander.audit.log import Actor, record
from upstander.lib import clock, crypto

ORG_NAMES = {
    OrganisationKind.FORCE: ("psu", "Professional Standards"),
    OrganisationKind.OVERSEER: ("overseer", "Independent Office for Police Conduct"),
    OrganisationKind.CUSTODIANS: ("custodians", "Identity custodians"),
    OrganisationKind.CIRCLES: ("circles", "Listening circles"),
}

# Which organisation's key each role holds: least privilege, one row per role in docs/key-custody.md (a test reads
# both). Facilitators hold the listening circles' key, which opens only the disclosures they recorded until a case
# team takes each on, never the force's. Analysts and administrators hold none: they never read content.
ROLE_ORGANISATION = {
    Role.FACILITATOR: OrganisationKind.CIRCLES,
    Role.HANDLER: OrganisationKind.FORCE,
    Role.SUPERVISOR: OrganisationKind.FORCE,
    Role.OVERSEER: OrganisationKind.OVERSEER,
    Role.CUSTODIAN: OrganisationKind.CUSTODIANS,
}


def derive_wrapping_key(password: str, salt: bytes) -> bytes:
    """The key that wraps an organisation key under a password, a recovery secret or a one-time invitation code."""
    return crypto.derive_key(password, salt, opslimit=settings.RECEIPT_ARGON2_OPSLIMIT,
                             memlimit_kib=settings.RECEIPT_ARGON2_MEMLIMIT_KIB)


@dataclass
class NewOrganisation:
    organisation: Organisation
    recovery_secret: str  # printed once at set-up, never stored
    private_key: bytes  # handed to the first member's grant, then forgotten


def recovery_wrap(private_key: bytes) -> tuple[str, bytes, bytes]:
    """A new recovery secret (printed once, never stored), the private key wrapped under it, and the salt."""
    recovery = crypto.random_token(24)
    salt = crypto.new_salt()
    return recovery, crypto.wrap_key(derive_wrapping_key(recovery, salt), private_key), salt


def do_create_organisation(*, actor: Actor, kind: str) -> NewOrganisation:
    slug, name = ORG_NAMES[OrganisationKind(kind)]
    pair = crypto.new_keypair()
    recovery, wrapped, salt = recovery_wrap(pair.private)
    with transaction.atomic():
        org = Organisation.objects.create(
            slug=slug, name=name, kind=kind, public_key=pair.public, recovery_wrapped_key=wrapped, recovery_salt=salt,
        )
        record(actor, "organisation.create", org, reason=f"key set up for {name}")
    return NewOrganisation(org, recovery, pair.private)


def unlock_with_recovery(org: Organisation, recovery_secret: str) -> bytes:
    try:
        return crypto.unwrap_key(derive_wrapping_key(recovery_secret, bytes(org.recovery_salt)), bytes(org.recovery_wrapped_key))
    except crypto.CryptoError:
        raise PermissionDenied("recovery secret does not unlock this organisation's key") from None


def do_create_staff_user(*, actor: Actor, username: str, password: str, role: str, email: str = "",
                         first_name: str = "", last_name: str = "", unit=None, person=None) -> tuple[User, str]:
    """Create an account with a TOTP device. Returns the user and the TOTP secret (hex) to enrol an authenticator.

    The account holds no organisation key yet: a member who holds it must grant it (`do_grant_key`)."""
    org = None
    org_kind = ROLE_ORGANISATION.get(Role(role))
    if org_kind:
        org = Organisation.objects.get(kind=org_kind)
    with transaction.atomic():
        user = User(username=username, email=email, role=role, organisation=org, unit=unit, person=person,
                    first_name=first_name, last_name=last_name, is_staff=False)
        user.set_password(password)
        user.save()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        record(actor, "account.create", user, reason=f"role {role}")
    return user, device.key


def do_grant_key(*, actor: Actor, granter_key: bytes, user: User, password: str, granted_by: User | None = None) -> KeyGrant:
    """Re-wrap the organisation key (held by the granter, unlocked in their session) for a new member.

    `password` is the new member's password, typed by them at enrolment. Administrators cannot call this:
    they hold no organisation key to re-wrap."""
    if granted_by is not None and granted_by.role == Role.ADMIN:
        raise PermissionDenied("administrators cannot grant access to an organisation's key")
    if user.organisation is None:
        raise PermissionDenied("this role holds no organisation key")
    org = user.organisation
    if not crypto.is_key_pair(bytes(org.public_key), granter_key):
        raise PermissionDenied("the granter's key is not this organisation's key")
    salt = crypto.new_salt()
    with transaction.atomic():
        KeyGrant.objects.filter(user=user, organisation=org, revoked_at__isnull=True).update(revoked_at=clock.now())
        grant = KeyGrant.objects.create(
            user=user, organisation=org, wrapped_key=crypto.wrap_key(derive_wrapping_key(password, salt), granter_key),
            salt=salt, granted_by=granted_by, granted_at=clock.now())
        record(actor, "key.grant", user, reason=f"access to {org.slug} key")
    return grant


def end_sessions(user: User) -> int:
    """Delete every session of `user`: the organisation key held in a session goes with it."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=clock.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def do_move_members_to_their_roles_key(*, actor: Actor) -> list[User]:
    """Bring accounts made before a change to ROLE_ORGANISATION in line with it. Made for facilitators, who held
    the force's key before listening circles had their own: each such account's grants of any other organisation's
    key are revoked, its sessions (and the key copy in them) end, and it joins its role's organisation, whose key a
    member who holds it then gives through key custody (docs/key-custody.md, "Upgrading"). Idempotent: run by
    accounts.setup.ensure_organisations on every `upstander migrate` and `upstander keys init`. Audited per account
    (`custody.role_key_revoked`, on the overseer's custody page). A role whose organisation does not exist yet is
    left alone."""
    orgs = {o.kind: o for o in Organisation.objects.all()}
    moved: list[User] = []
    for role, kind in ROLE_ORGANISATION.items():
        org = orgs.get(kind)
        if org is None:
            continue
        other_grants = KeyGrant.objects.filter(revoked_at__isnull=True).exclude(organisation=org)
        stale = User.objects.filter(role=role).filter(
            ~Q(organisation=org) | Q(organisation__isnull=True) | Q(pk__in=other_grants.values("user_id")))
        for user in stale.order_by("pk"):
            with transaction.atomic():
                grants = other_grants.filter(user=user)
                held = sorted(grants.values_list("organisation__slug", flat=True))
                grants.update(revoked_at=clock.now())
                User.objects.filter(pk=user.pk).update(organisation=org)
                end_sessions(user)
                record(actor, "custody.role_key_revoked", user,
                       reason=f"the {Role(role).label} role holds the {org.slug} key only; revoked: "
                              f"{', '.join(held) or 'none held'}")
            moved.append(user)
    return moved


def unwrap_member_key(user: User, password: str) -> bytes | None:
    grant = KeyGrant.objects.filter(user=user, revoked_at__isnull=True).select_related("organisation").first()
    if grant is None:
        return None
    try:
        return crypto.unwrap_key(derive_wrapping_key(password, bytes(grant.salt)), bytes(grant.wrapped_key))
    except crypto.CryptoError:
        return None


LOGIN_FAILURES_BEFORE_LOCKOUT = 5
LOCKOUT = timedelta(minutes=15)


def do_record_login(*, user: User, ok: bool, reason: str = "") -> None:
    """Audit a sign-in attempt on an existing account. A success clears the failure count; the fifth failure in a
    row locks the account for a while (throttling without client addresses)."""
    with transaction.atomic():
        if ok:
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        else:
            User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
            user.refresh_from_db(fields=["failed_logins"])
            if user.failed_logins >= LOGIN_FAILURES_BEFORE_LOCKOUT:
                User.objects.filter(pk=user.pk).update(locked_until=clock.now() + LOCKOUT, failed_logins=0)
                reason = (reason + "; " if reason else "") + "account locked"
        record(user, "login.success" if ok else "login.failure", user, reason=reason)
