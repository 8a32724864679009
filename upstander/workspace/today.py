"""What needs doing today, for each role: the things that would otherwise wait for someone to go looking (overdue
clocks, new reports, flags to resolve, escalations, alerts, approvals). Each item counts through the owning app's
access rules, so the page never counts what the member may not see, and links to the page that does the work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from upstander.accounts.models import Role
from upstander.accounts.permissions import CASE_CONTENT_ROLES
from upstander.cases.access import inbox_reports
from upstander.cases.queue import QueueFilters, filtered
from upstander.lib import clock


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    explain: str  # one plain line: why this matters
    urgent: bool = False


def _case_todos(user) -> list[Todo]:
    today = clock.today()
    mine = "me" if user.role == Role.HANDLER else ""
    overdue = filtered(user, QueueFilters(overdue=True, owner=mine), today).count()
    soon = filtered(user, QueueFilters(owner=mine), today).filter(due_on__gte=today,
                                                                   due_on__lte=today + timedelta(days=7)).count()
    flags = filtered(user, QueueFilters(flags=True, owner=mine), today).count()
    escalated = filtered(user, QueueFilters(escalated=True), today).count()
    whose = "your" if mine else "the"
    suffix = "&owner=me" if mine else ""
    return [
        Todo("Cases past a deadline", overdue, f"/cases/?overdue=on{suffix}",
             f"A legal or policy time limit on {whose} cases has passed: act today or record why not.", overdue > 0),
        Todo("Deadlines in the next 7 days", soon, f"/cases/?owner={mine}" if mine else "/cases/",
             "Cases are listed with the nearest deadline first."),
        Todo("New reports to look at", inbox_reports(user).count(), "/cases/inbox/",
             "Reports not yet on a case. Open a case, or add the report to an existing one."),
        Todo("Safety-net flags to resolve", flags, f"/cases/?flags=on{suffix}",
             "A report may describe a crime or a risk to someone: a flag blocks progress until resolved.", flags > 0),
        Todo("Escalations not yet seen", escalated, "/cases/?escalated=on",
             "A deadline was missed and the case was sent up to a supervisor or the overseer.", escalated > 0),
    ]


def _overseer_todos(user) -> list[Todo]:
    from upstander.custody.models import DisclosureRequest, DisclosureStatus
    from upstander.safeguarding.models import AlertStatus, RetaliationAlert

    alerts = RetaliationAlert.objects.filter(status=AlertStatus.OPEN).count()
    waiting = DisclosureRequest.objects.filter(status=DisclosureStatus.PENDING).count()
    return [
        Todo("Open retaliation alerts", alerts, "/safeguarding/",
             "Someone who reported may be suffering for it: more moves, discipline or refusals than their peers.",
             alerts > 0),
        Todo("Identity openings waiting for your approval", waiting, "/custody/identities/",
             "A custodian asked to open a confidential reporter's identity. Check the case and the reason.",
             waiting > 0),
    ]


def _custodian_todos(user) -> list[Todo]:
    from upstander.custody.models import DisclosureRequest, DisclosureStatus

    approved = DisclosureRequest.objects.filter(status=DisclosureStatus.APPROVED).count()
    pending = DisclosureRequest.objects.filter(status=DisclosureStatus.PENDING).count()
    return [
        Todo("Approved identity openings", approved, "/custody/identities/",
             "Approved requests you may now open, once, for the reason stated."),
        Todo("Requests waiting for a second person", pending, "/custody/identities/",
             "Opening an identity needs someone else's approval first."),
    ]


def _facilitator_todos(user) -> list[Todo]:
    from upstander.accounts.models import User

    waiting = User.objects.filter(pk=user.pk, recorded_disclosures__case__isnull=True).count()
    return [Todo("Disclosures not yet taken on by a case team", waiting, "/cases/reports/",
                 "What you recorded stays visible to you until a case team opens a case on it."),
            Todo("Record a disclosure", 0, "/cases/reports/disclosures/new",
                 "Write down what was said in a listening circle, with the person's consent.")]


def _analyst_todos(user) -> list[Todo]:
    return [Todo("Figures", 0, "/insight/",
                 "Fairness, attrition, timeliness and patterns, exact in your view and suppressed when published.")]


def _admin_todos(user) -> list[Todo]:
    from upstander.accounts.models import User

    pending = User.objects.filter(is_active=True, must_change_password=True).count()
    return [Todo("Accounts not signed in yet", pending, "/accounts/staff/",
                 "New members who have not yet chosen their password and set up their authenticator."),
            Todo("Key custody", 0, "/custody/", "Who holds each organisation's key, and invitations waiting.")]


def todos_for(user) -> list[Todo]:
    role = user.role
    items: list[Todo] = _case_todos(user) if role in CASE_CONTENT_ROLES else []
    if role == Role.OVERSEER:
        items += _overseer_todos(user)
    extra = {Role.CUSTODIAN: _custodian_todos, Role.FACILITATOR: _facilitator_todos, Role.ANALYST: _analyst_todos,
             Role.ADMIN: _admin_todos}.get(role)
    if extra:
        items += extra(user)
    return items
