"""The life of a staff account outside demo mode: an administrator creates it, changes its role or disables it; the
new member sets their own password and enrols their own authenticator at first sign-in. Each step is an action,
audited in the same transaction.

An administrator never learns a working pair of factors: the temporary password they hand over must be replaced at
first sign-in, and the authenticator secret is made then, shown only to the new member.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts.actions import ROLE_ORGANISATION
from upstander.accounts.models import KeyGrant, Organisation, Role, User
from upstander.accounts.permissions import ACCOUNT_ADMINS, require_role
from upstander.audit.log import record
from upstander.lib import clock, crypto

AUTHENTICATOR_NAME = "authenticator"


@dataclass
class NewAccount:
    user: User
    temporary_password: str  # shown once to the administrator, never stored in the clear




def _organisation_for(role: str) -> Organisation | None:
    kind = ROLE_ORGANISATION.get(Role(role))
    return Organisation.objects.get(kind=kind) if kind else None


def do_create_account(*, actor, username: str, role: str, first_name: str = "", last_name: str = "",
                      email: str = "", unit=None, person=None) -> NewAccount:
    """An account with a temporary password and no authenticator yet: both are replaced by the member at first
    sign-in. It holds no organisation key until a member who holds it grants it (docs/key-custody.md)."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if User.objects.filter(username=username).exists():
        raise ValidationError("That username is taken.")
    temporary = crypto.random_token(12)
    with transaction.atomic():
        require_role(actor, ACCOUNT_ADMINS, "create staff accounts")
        user = User(username=username, role=role, organisation=_organisation_for(role), unit=unit, person=person,
                    first_name=first_name, last_name=last_name, email=email, is_staff=False,
                    must_change_password=True)
        user.set_password(temporary)
        user.save()
        record(actor, "account.create", user, reason=f"role {Role(role).label}")
    return NewAccount(user, temporary)


def do_change_role(*, actor, user: User, role: str, reason: str) -> User:
    """A new role may belong to another organisation: the old organisation's key is taken away at once, and the new
    one is granted through key custody by a member who holds it."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if not reason.strip():
        raise ValidationError("Say why the role changes.")
    if getattr(actor, "pk", None) == user.pk:
        raise PermissionDenied("You cannot change your own role: ask another administrator.")
    with transaction.atomic():
        require_role(actor, ACCOUNT_ADMINS, "change roles")
        old = user.role
        new_org = _organisation_for(role)
        if new_org != user.organisation:
            KeyGrant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
        user.role = role
        user.organisation = new_org
        user.save(update_fields=["role", "organisation"])
        record(actor, "account.role", user, reason=f"{Role(old).label} → {Role(role).label}: {reason.strip()}")
    return user


def do_disable_account(*, actor, user: User, reason: str) -> User:
    """Signing in stops and every key the account held is revoked; the account and its history stay."""
    if not reason.strip():
        raise ValidationError("Say why the account is disabled.")
    if getattr(actor, "pk", None) == user.pk:
        raise PermissionDenied("You cannot disable your own account: ask another administrator.")
    with transaction.atomic():
        require_role(actor, ACCOUNT_ADMINS, "disable accounts")
        user.is_active = False
        user.save(update_fields=["is_active"])
        KeyGrant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
        record(actor, "account.disable", user, reason=reason.strip())
    return user


def needs_enrolment(user: User) -> bool:
    return user.must_change_password or not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def do_start_enrolment(*, user: User) -> TOTPDevice:
    """A fresh, unconfirmed authenticator secret for a member at first sign-in (replacing any earlier unconfirmed
    one), shown only on their enrolment page."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        record(user, "account.enrol_start", user)
    return device


def do_finish_enrolment(*, user: User, device: TOTPDevice, token: str, new_password: str) -> TOTPDevice:
    """Confirm the authenticator with a code from it and set the member's own password, together."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("This enrolment is not yours or is already finished.")
    if user.check_password(new_password):
        raise ValidationError("Choose a password different from the temporary one you were given.")
    validate_password(new_password, user)
    if not device.verify_token(token):
        raise ValidationError("That code is not right. Check the time on your phone and try the newest code.")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(user, "account.enrol", user, reason="own password set and authenticator enrolled")
    return device
