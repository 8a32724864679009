"""State changes for accounts, organisations and key custody. Each one is audited in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts.models import KeyGrant, Organisation, OrganisationKind, Role, User
from upstander.audit.log import Actor, record
from upstander.lib import crypto

ORG_NAMES = {
    OrganisationKind.FORCE: ("psu", "Professional Standards"),
    OrganisationKind.OVERSEER: ("overseer", "Independent Office for Police Conduct"),
    OrganisationKind.CUSTODIANS: ("custodians", "Identity custodians"),
}

# Which organisation's key each role holds. Analysts and administrators hold none: they never read content.
ROLE_ORGANISATION = {
    Role.FACILITATOR: OrganisationKind.FORCE,
    Role.HANDLER: OrganisationKind.FORCE,
    Role.SUPERVISOR: OrganisationKind.FORCE,
    Role.OVERSEER: OrganisationKind.OVERSEER,
    Role.CUSTODIAN: OrganisationKind.CUSTODIANS,
}


def _password_kdf(password: str, salt: bytes) -> bytes:
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
    return recovery, crypto.wrap_key(_password_kdf(recovery, salt), private_key), salt


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
        return crypto.unwrap_key(_password_kdf(recovery_secret, bytes(org.recovery_salt)), bytes(org.recovery_wrapped_key))
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
        KeyGrant.objects.filter(user=user, organisation=org, revoked_at__isnull=True).update(revoked_at=timezone.now())
        grant = KeyGrant.objects.create(
            user=user, organisation=org, wrapped_key=crypto.wrap_key(_password_kdf(password, salt), granter_key),
            salt=salt, granted_by=granted_by, granted_at=timezone.now())
        record(actor, "key.grant", user, reason=f"access to {org.slug} key")
    return grant


def unwrap_member_key(user: User, password: str) -> bytes | None:
    grant = KeyGrant.objects.filter(user=user, revoked_at__isnull=True).select_related("organisation").first()
    if grant is None:
        return None
    try:
        return crypto.unwrap_key(_password_kdf(password, bytes(grant.salt)), bytes(grant.wrapped_key))
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
                User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + LOCKOUT, failed_logins=0)
                reason = (reason + "; " if reason else "") + "account locked"
        record(user, "login.success" if ok else "login.failure", user, reason=reason)
