"""The personas of DESIGN.md, created through the real actions (accounts.actions), for tests and the demo."""

from __future__ import annotations

from dataclasses import dataclass, field

from upstander.accounts.actions import ROLE_ORGANISATION, do_create_staff_user, do_grant_key
from upstander.accounts.models import Role, User
from upstander.audit.log import Actor
from upstander.operations.records import install

PERSONAS: list[tuple[str, str]] = [
    ("handler_a", Role.HANDLER),
    ("handler_b", Role.HANDLER),
    ("supervisor", Role.SUPERVISOR),
    ("facilitator", Role.FACILITATOR),
    ("custodian", Role.CUSTODIAN),
    ("overseer", Role.OVERSEER),
    ("analyst", Role.ANALYST),
    ("admin", Role.ADMIN),
]


@dataclass
class Cast:
    users: dict[str, User] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    totp_keys: dict[str, str] = field(default_factory=dict)
    org_keys: dict[str, bytes] = field(default_factory=dict)  # organisation kind -> private key


def create_cast(password_for=lambda name: f"{name}-correct-horse-battery", *, unit=None, persons=None,
                names: list[tuple[str, str]] | None = None) -> Cast:
    """Set up the installation and one account per persona. Keys are granted the way a real first member would:
    the set-up hands the new organisation key to the first member, who re-wraps it for the others."""
    actor = Actor.system("setup")
    cast = Cast(org_keys=install())
    persons = persons or {}
    for username, role in names or PERSONAS:
        password = password_for(username)
        user, totp_key = do_create_staff_user(
            actor=actor, username=username, password=password, role=role,
            first_name=username.replace("_", " ").title(), unit=unit if role in (Role.HANDLER, Role.SUPERVISOR) else None,
            person=persons.get(username))
        # The key the role holds, from the code's one table (docs/key-custody.md): the facilitator gets the listening
        # circles' key, never the force's.
        org_kind = ROLE_ORGANISATION.get(Role(role))
        if org_kind and org_kind in cast.org_keys:
            do_grant_key(actor=actor, granter_key=cast.org_keys[org_kind], user=user, password=password)
        cast.users[username] = user
        cast.passwords[username] = password
        cast.totp_keys[username] = totp_key
    return cast
