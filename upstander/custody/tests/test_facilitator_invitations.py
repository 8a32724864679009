"""A facilitator gives access only to the listening circles' key, and only to other facilitators (issue 11, item 4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from upstander.accounts.actions import ROLE_ORGANISATION, do_create_staff_user, unwrap_member_key
from upstander.accounts.models import OrganisationKind, Role
from upstander.custody.members import do_accept_invitation, do_invite_member
from upstander.testing.personas import create_cast

TEMPORARY = "temporary-password-123"
NEW_PASSWORD = "a-new-password-only-i-know"


def _account(admin, username: str, role: str):
    user, _ = do_create_staff_user(actor=admin, username=username, password=TEMPORARY, role=role)
    return user


def test_a_facilitator_invites_another_facilitator_to_the_circles_key(cast, facilitator, admin_user):
    newcomer = _account(admin_user, "new_facilitator", Role.FACILITATOR)
    invitation = do_invite_member(actor=facilitator, org_key=cast.org_keys["circles"], user=newcomer,
                                  reason="runs the Tuesday circle")
    assert invitation.invitation.organisation.kind == "circles"
    key = do_accept_invitation(actor=newcomer, secret=invitation.secret, current_password=TEMPORARY,
                               new_password=NEW_PASSWORD)
    assert key == cast.org_keys["circles"] == unwrap_member_key(newcomer, NEW_PASSWORD)


def test_a_facilitator_cannot_invite_anyone_to_the_forces_key(cast, facilitator, admin_user):
    """The attack: a facilitator, holding the force's key in their session, invited a friend to it, spreading the key
    that opens every force report. A facilitator's session now holds the circles' key, and the invitation is refused
    for a force member, and with the force's key however they came by it."""
    handler = _account(admin_user, "new_handler", Role.HANDLER)
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=facilitator, org_key=cast.org_keys["circles"], user=handler, reason="needs access")
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=facilitator, org_key=cast.org_keys["force"], user=handler, reason="needs access")
    other = _account(admin_user, "new_facilitator", Role.FACILITATOR)
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=facilitator, org_key=cast.org_keys["force"], user=other, reason="needs access")


def test_a_facilitator_left_on_the_force_by_an_older_installation_cannot_invite_to_it(db, monkeypatch):
    """The attack: before the upgrade's set-up has run, a facilitator whose account still belongs to the force and
    holds its key invites a newcomer to the force's key. The invitation checks the role's key (ROLE_ORGANISATION),
    not only the account's organisation."""
    with monkeypatch.context() as old:
        old.setitem(ROLE_ORGANISATION, Role.FACILITATOR, OrganisationKind.FORCE)
        cast = create_cast()
        facilitator = cast.users["facilitator"]
        other = _account(cast.users["admin"], "old_facilitator", Role.FACILITATOR)
    assert facilitator.organisation.kind == other.organisation.kind == "force"
    with pytest.raises(PermissionDenied):
        do_invite_member(actor=facilitator, org_key=cast.org_keys["force"], user=other, reason="the old way")
    # The force's own members still invite as before.
    handler = _account(cast.users["admin"], "new_handler", Role.HANDLER)
    do_invite_member(actor=cast.users["supervisor"], org_key=cast.org_keys["force"], user=handler, reason="starter")
