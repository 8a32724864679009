"""Key custody: who holds an organisation's key, and how that changes (docs/key-custody.md).

- A member who holds the key invites a newcomer (`do_invite_member`); the newcomer, signed in, accepts with the
  one-time secret and a password only they know (`do_accept_invitation`). Administrators hold no key, so they
  cannot give anyone access.
- A forgotten password: an administrator resets it (`do_reset_password`, which revokes the now useless grant), then
  another member invites the person again, or they use the printed recovery secret (`do_recover_with_secret`).
- A lost authenticator: an administrator issues a new TOTP device (`do_reset_second_factor`); the key grant is
  untouched because it is wrapped under the password, not the second factor.
- Removing a member (`do_remove_member`) deactivates the account, revokes their grant, cancels invitations and ends
  their sessions (and with them the session-held copy of the key).

Each is audited (`custody.*`) in the same transaction; the overseer's custody page lists those events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts.actions import (
    ROLE_ORGANISATION,
    derive_wrapping_key,
    do_grant_key,
    end_sessions,
    unlock_with_recovery,
)
from upstander.accounts.models import KeyGrant, Organisation, Role, User
from upstander.accounts.permissions import ACCOUNT_MANAGERS, MEMBER_REMOVERS  # account managers never hold a key
from upstander.audit.log import actor_of, record
from upstander.custody.models import EnrolmentInvitation
from upstander.lib import clock, crypto

INVITATION_VALID = timedelta(hours=72)
REFUSED = "This invitation is not valid for your account, or it has expired or been used."


def has_live_grant(user: User) -> bool:
    return KeyGrant.objects.filter(user=user, revoked_at__isnull=True).exists()


def key_matches(org: Organisation, private_key: bytes) -> bool:
    """Whether `private_key` is this organisation's private key (the one probe: lib/crypto.is_key_pair)."""
    return crypto.is_key_pair(bytes(org.public_key), private_key)


def _check_new_password(user: User, current: str, new: str) -> None:
    if new == current:
        # Whoever set the current password (an administrator, after a reset) must not know the one the key is
        # wrapped under.
        raise ValidationError("Choose a new password that nobody else has seen.")
    validate_password(new, user)


@dataclass
class NewInvitation:
    invitation: EnrolmentInvitation
    secret: str  # shown once to the inviting member, never stored


def _holds_role_key(user: User, org: Organisation) -> bool:
    """Whether `org` is the organisation whose key the user's role holds (accounts.actions.ROLE_ORGANISATION): a
    facilitator belongs to the listening circles, never to the force, whatever an older account row says."""
    return ROLE_ORGANISATION.get(Role(user.role)) == org.kind


def do_invite_member(*, actor: User, org_key: bytes | None, user: User, reason: str) -> NewInvitation:
    """`org_key` is the key unlocked in the inviting member's own session (accounts.session_keys.load). The
    invitation is to the inviting member's own organisation's key, and both people's roles must hold that key: a
    facilitator invites only to the listening circles' key, and only other facilitators."""
    if actor.role in ACCOUNT_MANAGERS or actor.role == Role.ANALYST or actor.organisation_id is None:
        raise PermissionDenied("only a member who holds the organisation's key can give access to it")
    org = Organisation.objects.get(pk=actor.organisation_id)  # as on record now, not as at sign-in
    if not _holds_role_key(actor, org):
        raise PermissionDenied("your role does not hold this organisation's key")
    live = KeyGrant.objects.filter(user=actor, organisation=org, revoked_at__isnull=True).exists()
    if org_key is None or not live or not key_matches(org, org_key):
        raise PermissionDenied("your session does not hold the organisation's key: sign in again")
    if (user.pk == actor.pk or user.organisation_id != org.pk or not user.is_active
            or not _holds_role_key(user, org)):
        raise PermissionDenied("that account is not an active member of your organisation")
    if not reason.strip():
        raise ValidationError("Say why this person needs access.")
    secret = crypto.random_token(20)
    salt = crypto.new_salt()
    wrapped = crypto.wrap_key(derive_wrapping_key(secret, salt), org_key)
    now = clock.now()
    with transaction.atomic():
        EnrolmentInvitation.objects.filter(user=user, accepted_at__isnull=True, cancelled_at__isnull=True).update(
            cancelled_at=now, wrapped_key=None)
        invitation = EnrolmentInvitation.objects.create(
            user=user, organisation=org, digest=crypto.token_digest(secret), salt=salt, wrapped_key=wrapped,
            created_by=actor, created_at=now, expires_at=now + INVITATION_VALID)
        record(actor, "custody.invite", user, reason=f"{org.slug} key: {reason.strip()}")
    return NewInvitation(invitation, secret)


def do_accept_invitation(*, actor: User, secret: str, current_password: str, new_password: str) -> bytes:
    """The invited member completes enrolment. Returns the organisation key, for their session."""
    invitation = EnrolmentInvitation.objects.filter(digest=crypto.token_digest(secret.strip())).first()
    now = clock.now()
    if invitation is None or invitation.user_id != actor.pk or not invitation.is_open or invitation.expires_at <= now:
        raise PermissionDenied(REFUSED)
    if not actor.check_password(current_password):
        raise PermissionDenied("Your current password is not right.")
    _check_new_password(actor, current_password, new_password)
    try:
        org_key = crypto.unwrap_key(derive_wrapping_key(secret.strip(), bytes(invitation.salt)), bytes(invitation.wrapped_key or b""))
    except crypto.CryptoError:
        raise PermissionDenied(REFUSED) from None
    with transaction.atomic():
        # Claim the invitation first: a second acceptance racing this one finds nothing to claim.
        claimed = EnrolmentInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True,
                                                     cancelled_at__isnull=True).update(accepted_at=now, wrapped_key=None)
        if not claimed:
            raise PermissionDenied(REFUSED)
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        do_grant_key(actor=actor_of(actor), granter_key=org_key, user=actor, password=new_password,
                     granted_by=invitation.created_by)
        record(actor, "custody.enrol", actor,
               reason=f"accepted the invitation from user:{invitation.created_by.username}")
    return org_key


def do_cancel_invitation(*, actor: User, invitation: EnrolmentInvitation) -> None:
    if actor.pk != invitation.created_by_id and actor.role not in MEMBER_REMOVERS:
        raise PermissionDenied
    with transaction.atomic():
        EnrolmentInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            cancelled_at=clock.now(), wrapped_key=None)
        record(actor, "custody.invite_cancel", invitation.user)


def record_failed_recovery(*, actor: User) -> None:
    """A wrong recovery secret is worth the overseer's attention: audited in its own transaction."""
    with transaction.atomic():
        record(actor, "custody.recover_failed", actor, reason="the recovery secret given did not unlock the key")


def do_recover_with_secret(*, actor: User, recovery_secret: str, current_password: str, new_password: str,
                           reason: str) -> bytes:
    """A member whose grant is gone (forgotten password, after a reset) unlocks their organisation's key with the
    printed recovery secret and re-wraps it under a new password of their own."""
    org = actor.organisation
    if org is None or actor.role in ACCOUNT_MANAGERS:
        raise PermissionDenied("this account holds no organisation key")
    if not reason.strip():
        raise ValidationError("Say why the recovery secret is being used.")
    if not actor.check_password(current_password):
        raise PermissionDenied("Your current password is not right.")
    _check_new_password(actor, current_password, new_password)
    try:
        org_key = unlock_with_recovery(org, recovery_secret.strip())
    except PermissionDenied:
        record_failed_recovery(actor=actor)
        raise
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        do_grant_key(actor=actor_of(actor), granter_key=org_key, user=actor, password=new_password, granted_by=None)
        record(actor, "custody.recover_with_secret", actor, reason=reason.strip())
    return org_key


def _check_account_manager(actor: User, user: User) -> None:
    if actor.role not in ACCOUNT_MANAGERS:
        raise PermissionDenied("only an administrator manages accounts")
    if user.pk == actor.pk:
        raise PermissionDenied("ask another administrator")


def do_reset_password(*, actor: User, user: User, temporary_password: str, reason: str) -> None:
    """An administrator sets a temporary password. The member's key grant, wrapped under the forgotten password, is
    revoked: they get the key back only from another member or the recovery secret, choosing a new password."""
    _check_account_manager(actor, user)
    if not reason.strip():
        raise ValidationError("Say why the password is being reset.")
    validate_password(temporary_password, user)
    with transaction.atomic():
        user.set_password(temporary_password)
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["password", "failed_logins", "locked_until"])
        revoked = KeyGrant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
        end_sessions(user)
        record(actor, "custody.password_reset", user,
               reason=f"{reason.strip()} (key grant revoked: {'yes' if revoked else 'none held'})")


def do_reset_second_factor(*, actor: User, user: User, reason: str) -> str:
    """An administrator replaces a lost authenticator. Returns the new TOTP secret (hex), to be shown once."""
    _check_account_manager(actor, user)
    if not reason.strip():
        raise ValidationError("Say why the second factor is being replaced.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        end_sessions(user)
        record(actor, "custody.second_factor_reset", user, reason=reason.strip())
    return device.key


def do_remove_member(*, actor: User, user: User, reason: str) -> None:
    if actor.role not in MEMBER_REMOVERS:
        raise PermissionDenied("only an administrator or the overseer removes a member")
    if user.pk == actor.pk:
        raise PermissionDenied("you cannot remove yourself")
    if not reason.strip():
        raise ValidationError("Say why this member is being removed.")
    now = clock.now()
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        KeyGrant.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        EnrolmentInvitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True,
                                           user=user).update(cancelled_at=now, wrapped_key=None)
        EnrolmentInvitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True,
                                           created_by=user).update(cancelled_at=now, wrapped_key=None)
        end_sessions(user)
        record(actor, "custody.remove_member", user, reason=reason.strip())
