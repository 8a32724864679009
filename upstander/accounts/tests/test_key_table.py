"""Which role holds which key: docs/key-custody.md's table and the code's (accounts.actions.ROLE_ORGANISATION)
agree, the personas and the demo accounts follow it, and an installation made before the listening circles had
their own key is brought in line on its next start."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from upstander.accounts.actions import ROLE_ORGANISATION, unwrap_member_key
from upstander.accounts.models import KeyGrant, Organisation, OrganisationKind, Role, User
from upstander.accounts.setup import ensure_installation, ensure_organisations, recovery_secret_path
from upstander.audit.models import AuditEvent
from upstander.commands.demo_accounts import ensure_demo_accounts
from upstander.lib import crypto
from upstander.testing.fixtures import login
from upstander.testing.personas import create_cast

DOC = Path(__file__).resolve().parents[3] / "docs" / "key-custody.md"
CODE = re.compile(r"`([a-z_]+)`")


def documented_keys() -> dict[str, str | None]:
    """{role: organisation kind or None} from the table under "## Who holds which key" in docs/key-custody.md."""
    section = DOC.read_text().split("## Who holds which key", 1)[1]
    table: dict[str, str | None] = {}
    for line in section.splitlines():
        if table and not line.startswith("|"):
            break  # the end of the first table after the heading
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or cells[0] in ("Role", "---"):
            continue
        role = CODE.findall(cells[0])
        key = CODE.findall(cells[1])
        assert len(role) == 1 and (len(key) == 1 or cells[1] == "none"), f"unreadable row: {line}"
        table[role[0]] = key[0] if key else None
    return table


def test_every_role_holds_exactly_the_key_the_key_custody_table_says():
    documented = documented_keys()
    assert set(documented) == set(Role.values), "every role has one row in docs/key-custody.md"
    in_code = {role: (str(ROLE_ORGANISATION[Role(role)]) if Role(role) in ROLE_ORGANISATION else None)
               for role in Role.values}
    assert in_code == documented
    assert set(filter(None, documented.values())) <= set(OrganisationKind.values)


def test_a_facilitator_holds_the_listening_circles_key_and_never_the_forces():
    assert ROLE_ORGANISATION[Role.FACILITATOR] == OrganisationKind.CIRCLES
    assert {k for r, k in ROLE_ORGANISATION.items() if r != Role.FACILITATOR}.isdisjoint({OrganisationKind.CIRCLES})


def test_the_test_personas_give_the_facilitator_the_circles_key(cast):
    facilitator = cast.users["facilitator"]
    assert facilitator.organisation.kind == "circles"
    key = unwrap_member_key(facilitator, cast.passwords["facilitator"])
    assert key == cast.org_keys["circles"] != cast.org_keys["force"]
    for username, user in cast.users.items():
        expected = ROLE_ORGANISATION.get(Role(user.role))
        held = set(KeyGrant.objects.filter(user=user, revoked_at__isnull=True).values_list("organisation__kind",
                                                                                          flat=True))
        assert held == ({str(expected)} if expected else set()), username


@pytest.fixture
def demo_installation(db, settings, tmp_path):
    """A demo data directory of its own: demo mode keeps recovery secrets and passwords beside the keys."""
    settings.DEMO_MODE = True
    settings.DATA_DIR = tmp_path
    return tmp_path


def _circles_key_of(user: User, password: str) -> bytes | None:
    key = unwrap_member_key(user, password)
    circles = Organisation.objects.get(kind="circles")
    return key if key is not None and crypto.is_key_pair(bytes(circles.public_key), key) else None


def test_the_demo_accounts_give_the_facilitator_the_circles_key(demo_installation):
    ensure_installation()
    accounts = {a["username"]: a for a in ensure_demo_accounts()}
    facilitator = User.objects.get(username="facilitator")
    assert facilitator.organisation.kind == "circles"
    assert _circles_key_of(facilitator, accounts["facilitator"]["password"]) is not None
    assert not KeyGrant.objects.filter(user=facilitator, organisation__kind="force").exists()


def _legacy_installation(monkeypatch) -> None:
    """What an installation made before the listening circles had their own key holds: no circles organisation,
    and facilitators granted the force's key. Made with the old table, through the same actions."""
    monkeypatch.setitem(ROLE_ORGANISATION, Role.FACILITATOR, OrganisationKind.FORCE)
    Organisation.objects.filter(kind="circles").delete()


def test_an_old_demo_installation_moves_its_facilitator_to_the_circles_key_on_the_next_start(demo_installation,
                                                                                               monkeypatch):
    """The attack this closes: upgrading leaves the facilitator of an existing installation holding the force's key,
    since only new accounts would follow the new table."""
    with monkeypatch.context() as old:
        ensure_installation()
        _legacy_installation(old)
        accounts = {a["username"]: a for a in ensure_demo_accounts()}
        facilitator = User.objects.get(username="facilitator")
        assert KeyGrant.objects.filter(user=facilitator, organisation__kind="force", revoked_at__isnull=True).exists()

    ensure_installation()  # what `upstander demo` does on its next start
    ensure_demo_accounts()

    facilitator.refresh_from_db()
    assert facilitator.organisation.kind == "circles"
    assert not KeyGrant.objects.filter(user=facilitator, organisation__kind="force", revoked_at__isnull=True).exists()
    assert _circles_key_of(facilitator, accounts["facilitator"]["password"]) is not None
    assert recovery_secret_path("circles").exists()


def test_an_old_installation_revokes_its_facilitators_force_key_and_ends_their_sessions(db, monkeypatch):
    """The attack: after the upgrade, a facilitator of an existing installation still unwraps the force's key at
    login (their old grant), or keeps it in a session opened before. On the next `upstander migrate` the grant is
    revoked, the session ended and the account moved to the listening circles, audited; their password then unwraps
    nothing until a facilitator holding the circles' key invites them (docs/key-custody.md, "Upgrading")."""
    with monkeypatch.context() as old:
        old.setitem(ROLE_ORGANISATION, Role.FACILITATOR, OrganisationKind.FORCE)
        cast = create_cast()
        _legacy_installation(old)
    facilitator = cast.users["facilitator"]
    assert unwrap_member_key(facilitator, cast.passwords["facilitator"]) == cast.org_keys["force"]
    login(Client(), cast, "facilitator")
    assert any(s.get_decoded().get("_auth_user_id") == str(facilitator.pk) for s in Session.objects.all())

    created = ensure_organisations()
    assert set(created) == {"circles"}
    ensure_organisations()  # idempotent: nothing more to do, nothing more audited

    facilitator.refresh_from_db()
    assert facilitator.organisation.kind == "circles"
    assert unwrap_member_key(facilitator, cast.passwords["facilitator"]) is None
    assert not any(s.get_decoded().get("_auth_user_id") == str(facilitator.pk) for s in Session.objects.all())
    event = AuditEvent.objects.get(action="custody.role_key_revoked")
    assert event.actor == "system:setup" and "psu" in event.reason
    # Everyone else keeps the key their role holds.
    assert unwrap_member_key(cast.users["handler_a"], cast.passwords["handler_a"]) == cast.org_keys["force"]
