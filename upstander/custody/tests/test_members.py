from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from upstander.accounts import session_keys
from upstander.accounts.actions import do_create_staff_user, unwrap_member_key
from upstander.accounts.models import KeyGrant, Role
from upstander.accounts.setup import recovery_secret_path
from upstander.audit.models import AuditEvent
from upstander.custody.members import (
    do_accept_invitation,
    do_invite_member,
    do_recover_with_secret,
    do_remove_member,
    do_reset_password,
    do_reset_second_factor,
)
from upstander.testing.fixtures import current_code
from upstander.testing.personas import create_cast

NEW_PASSWORD = "a-new-password-only-i-know"


def _newcomer(admin, username="newcomer", role=Role.HANDLER):
    user, totp_key = do_create_staff_user(actor=admin, username=username, password="temporary-password-123",
                                          role=role)
    return user, totp_key


def test_a_member_who_holds_the_key_enrols_a_newcomer_who_chooses_their_own_password(cast, supervisor, admin_user):
    newcomer, _ = _newcomer(admin_user)
    force_key = cast.org_keys["force"]
    invitation = do_invite_member(actor=supervisor, org_key=force_key, user=newcomer, reason="new starter in PSU")
    assert unwrap_member_key(newcomer, "temporary-password-123") is None

    key = do_accept_invitation(actor=newcomer, secret=invitation.secret, current_password="temporary-password-123",
                               new_password=NEW_PASSWORD)

    newcomer.refresh_from_db()
    assert key == force_key
    assert unwrap_member_key(newcomer, NEW_PASSWORD) == force_key
    grant = KeyGrant.objects.get(user=newcomer, revoked_at__isnull=True)
    assert grant.granted_by == supervisor
    invitation.invitation.refresh_from_db()
    assert invitation.invitation.wrapped_key is None and invitation.invitation.accepted_at is not None
    actions = list(AuditEvent.objects.filter(action__startswith="custody.").values_list("action", flat=True))
    assert actions == ["custody.invite", "custody.enrol"]


def test_an_invitation_cannot_be_used_twice_or_by_someone_else(cast, supervisor, handler_b, admin_user):
    newcomer, _ = _newcomer(admin_user)
    invitation = do_invite_member(actor=supervisor, org_key=cast.org_keys["force"], user=newcomer, reason="starter")
    with pytest.raises(PermissionDenied):
        do_accept_invitation(actor=handler_b, secret=invitation.secret,
                             current_password=cast.passwords["handler_b"], new_password=NEW_PASSWORD)
    do_accept_invitation(actor=newcomer, secret=invitation.secret, current_password="temporary-password-123",
                         new_password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        do_accept_invitation(actor=newcomer, secret=invitation.secret, current_password=NEW_PASSWORD,
                             new_password="yet-another-password-9")


def test_the_newcomer_must_not_keep_the_password_an_administrator_set(cast, supervisor, admin_user):
    newcomer, _ = _newcomer(admin_user)
    invitation = do_invite_member(actor=supervisor, org_key=cast.org_keys["force"], user=newcomer, reason="starter")
    with pytest.raises(ValidationError):
        do_accept_invitation(actor=newcomer, secret=invitation.secret, current_password="temporary-password-123",
                             new_password="temporary-password-123")


def test_an_administrator_cannot_give_anyone_the_key(cast, admin_user):
    """Attack: an administrator, who manages accounts, tries to give themselves or a crony access to the force's
    key. They hold no key to re-wrap, and even handed the key bytes they are refused."""
    newcomer, _ = _newcomer(admin_user)
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=admin_user, org_key=None, user=newcomer, reason="let me in")
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=admin_user, org_key=cast.org_keys["force"], user=newcomer, reason="let me in")
    assert not KeyGrant.objects.filter(user=admin_user).exists()


def test_a_member_of_another_organisation_cannot_invite_into_the_force(cast, overseer, admin_user):
    newcomer, _ = _newcomer(admin_user)
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=overseer, org_key=cast.org_keys["overseer"], user=newcomer, reason="starter")


@pytest.fixture
def kept_recovery_cast(db, settings):
    """A cast whose installation kept its recovery secrets beside the keys (what demo mode does), so the test can
    play the person who holds the printed copy."""
    settings.DEMO_MODE = True
    return create_cast()


def test_a_forgotten_password_is_recovered_with_the_printed_secret_and_audited(kept_recovery_cast):
    cast = kept_recovery_cast
    handler_b, admin_user = cast.users["handler_b"], cast.users["admin"]
    do_reset_password(actor=admin_user, user=handler_b, temporary_password="temporary-password-456",
                      reason="forgot it after leave")
    assert not KeyGrant.objects.filter(user=handler_b, revoked_at__isnull=True).exists()
    handler_b.refresh_from_db()
    with pytest.raises(PermissionDenied):
        do_recover_with_secret(actor=handler_b, recovery_secret="not-the-secret",
                               current_password="temporary-password-456", new_password=NEW_PASSWORD,
                               reason="forgot password")
    secret = recovery_secret_path("psu").read_text().strip()
    key = do_recover_with_secret(actor=handler_b, recovery_secret=secret, current_password="temporary-password-456",
                                 new_password=NEW_PASSWORD, reason="forgot password after leave")
    assert key == cast.org_keys["force"]
    actions = set(AuditEvent.objects.filter(action__startswith="custody.").values_list("action", flat=True))
    assert {"custody.password_reset", "custody.recover_failed", "custody.recover_with_secret"} <= actions


def test_a_lost_authenticator_is_replaced_by_an_administrator_without_touching_the_key(cast, handler_b, admin_user):
    new_totp = do_reset_second_factor(actor=admin_user, user=handler_b, reason="phone lost")
    assert new_totp != cast.totp_keys["handler_b"]
    with_new = {"username": "handler_b", "password": cast.passwords["handler_b"], "otp_token": current_code(new_totp)}
    response = Client().post("/accounts/login", with_new)
    assert response.status_code == 302
    assert session_keys.COOKIE in response.cookies  # the password still unwraps the key
    with_old = {**with_new, "otp_token": current_code(cast.totp_keys["handler_b"])}
    assert Client().post("/accounts/login", with_old).status_code == 400


def test_removing_a_member_ends_their_session_and_their_key(cast, staff_client, handler_b, overseer):
    """Attack: a removed member keeps a browser open (or a copy of its cookies) and carries on reading."""
    client = staff_client("handler_b")
    assert client.get("/cases/").status_code == 200
    do_remove_member(actor=overseer, user=handler_b, reason="left the force")
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")
    request = type("R", (), {"session": client.session, "COOKIES": {k: v.value for k, v in client.cookies.items()}})
    assert session_keys.load(request) is None
    assert not KeyGrant.objects.filter(user=handler_b, revoked_at__isnull=True).exists()
    again = {"username": "handler_b", "password": cast.passwords["handler_b"],
             "otp_token": current_code(cast.totp_keys["handler_b"])}
    assert Client().post("/accounts/login", again).status_code == 400


def test_only_an_administrator_or_the_overseer_removes_a_member(cast, supervisor, handler_b):
    with pytest.raises(PermissionDenied):
        do_remove_member(actor=supervisor, user=handler_b, reason="I do not like them")
