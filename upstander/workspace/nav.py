"""The staff navigation: for each role, only the pages it may open (the URL-by-persona table in
custody/tests/test_every_url_every_persona.py is the authority; a test checks every link below against it)."""

from __future__ import annotations

from dataclasses import dataclass

from upstander.accounts.models import Role

H, S, OV, F, C, A, AD = (Role.HANDLER, Role.SUPERVISOR, Role.OVERSEER, Role.FACILITATOR, Role.CUSTODIAN,
                         Role.ANALYST, Role.ADMIN)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    roles: frozenset[str]


NAV: tuple[NavItem, ...] = (
    NavItem("Today", "/today/", frozenset({H, S, OV, F, C, A, AD})),
    NavItem("Cases", "/cases/", frozenset({H, S, OV})),
    NavItem("New reports", "/cases/inbox/", frozenset({H, S, OV})),
    NavItem("Disclosures", "/cases/reports/", frozenset({F})),
    NavItem("Overdue and escalated", "/oversight/", frozenset({OV})),
    NavItem("Protection", "/safeguarding/", frozenset({OV})),
    NavItem("Crews", "/oversight/crews", frozenset({OV})),
    NavItem("Identity requests", "/custody/identities/", frozenset({C, OV})),
    NavItem("Legal holds", "/custody/holds/", frozenset({S, OV})),
    NavItem("Figures", "/insight/", frozenset({A, OV})),
    NavItem("Audit log", "/audit/", frozenset({OV})),
    NavItem("Staff accounts", "/accounts/staff/", frozenset({AD})),
    NavItem("Key custody", "/custody/", frozenset({H, S, OV, F, C, A, AD})),
)


def nav_for(user) -> list[NavItem]:
    role = getattr(user, "role", None)
    return [item for item in NAV if role in item.roles]


def current(items: list[NavItem], path: str) -> str:
    """The item the page belongs to: the longest link the path starts with."""
    matching = [i.url for i in items if path.startswith(i.url)]
    return max(matching, key=len) if matching else ""
