"""Demo accounts: one per staff persona, passwords generated once per data dir and kept there (demo only)."""

from __future__ import annotations

import base64
import json
import secrets

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts.actions import ROLE_ORGANISATION, do_create_staff_user, do_grant_key, unlock_with_recovery
from upstander.accounts.models import KeyGrant, Organisation, Role, User
from upstander.accounts.setup import recovery_secret_path
from upstander.audit.log import Actor
from upstander.lib.keyfiles import write_private

DEMO_ACCOUNTS = [
    ("handler", Role.HANDLER), ("handler2", Role.HANDLER), ("supervisor", Role.SUPERVISOR),
    ("facilitator", Role.FACILITATOR), ("custodian", Role.CUSTODIAN), ("overseer", Role.OVERSEER),
    ("analyst", Role.ANALYST), ("admin", Role.ADMIN),
]


def _accounts_file():
    return settings.DATA_DIR / "keys" / "demo-accounts.json"


def is_demo_account(username: str) -> bool:
    path = _accounts_file()
    return path.exists() and any(a["username"] == username for a in json.loads(path.read_text()))


def _psu_context():
    from upstander.people.models import Person, Unit

    unit = Unit.objects.filter(is_professional_standards=True).order_by("code").first()
    people = list(Person.objects.filter(unit=unit, left_on__isnull=True).order_by("number")[:20]) if unit else []
    return unit, people


def _grant_role_key(actor: Actor, user: User, password: str, org_keys: dict[str, bytes]) -> None:
    """Give a demo account the key its role holds (accounts.actions.ROLE_ORGANISATION: the facilitator the listening
    circles', never the force's), unlocked with the demo's kept recovery secret, unless it holds it already."""
    org_kind = ROLE_ORGANISATION.get(Role(user.role))
    if not org_kind:
        return
    org = Organisation.objects.get(kind=org_kind)
    if KeyGrant.objects.filter(user=user, organisation=org, revoked_at__isnull=True).exists():
        return
    if not user.check_password(password):  # changed since: a key wrapped under the kept password would not open
        return
    if org.slug not in org_keys:
        org_keys[org.slug] = unlock_with_recovery(org, recovery_secret_path(org.slug).read_text().strip())
    do_grant_key(actor=actor, granter_key=org_keys[org.slug], user=user, password=password)


def ensure_demo_accounts() -> list[dict]:
    """Create missing demo accounts (idempotent, completes an interrupted earlier run) and return them all."""
    path = _accounts_file()
    known = {a["username"]: a for a in json.loads(path.read_text())} if path.exists() else {}
    actor = Actor.system("demo")
    unit, psu_people = _psu_context()
    org_keys: dict[str, bytes] = {}
    for index, (username, role) in enumerate(DEMO_ACCOUNTS):
        if username in known and User.objects.filter(username=username).exists():
            # An account from an earlier run whose role's key it lacks (a facilitator of a demo made before the
            # listening circles had their own key lost the force's): granted again, as its first member would.
            _grant_role_key(actor, User.objects.get(username=username), known[username]["password"], org_keys)
            continue
        password = "-".join(secrets.token_hex(3) for _ in range(4))
        person = psu_people[index] if index < len(psu_people) and role in (Role.HANDLER, Role.SUPERVISOR) else None
        user, key_hex = do_create_staff_user(
            actor=actor, username=username, password=password, role=role, first_name=username.title(),
            unit=unit if role in (Role.HANDLER, Role.SUPERVISOR) else None, person=person)
        _grant_role_key(actor, user, password, org_keys)
        known[username] = {"username": username, "role": str(role), "password": password,
                           "totp_base32": base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")}
        write_private(path, json.dumps(list(known.values()), indent=1).encode())
    # Keep the printed order stable and drop entries whose account no longer exists.
    existing = set(User.objects.filter(username__in=known).values_list("username", flat=True))
    return [known[u] for u, _ in DEMO_ACCOUNTS if u in known and u in existing and
            TOTPDevice.objects.filter(user__username=u).exists()]
