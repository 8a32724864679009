"""Every lookup of a protected case goes through here. Deny by default: 404 when the actor may not know the case
exists, PermissionDenied when they may know it but not act on it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from upstander.accounts.models import OrganisationKind, Role, User
from upstander.cases.choices import Route
from upstander.cases.models import Case

CONTENT_ROLES = {Role.HANDLER, Role.SUPERVISOR, Role.OVERSEER}


def visible_cases(actor: User) -> QuerySet[Case]:
    """Cases the actor may see (DESIGN.md's persona table)."""
    cases = Case.objects.all()
    if actor.role == Role.OVERSEER:
        return cases
    if actor.role not in (Role.HANDLER, Role.SUPERVISOR) or actor.organisation is None:
        return cases.none()
    if actor.organisation.kind != OrganisationKind.FORCE:
        return cases.none()
    # The force never sees independent-route cases until the overseer releases them.
    force_cases = cases.filter(handling_org=actor.organisation).filter(
        Q(route=Route.FORCE) | Q(reports__released_on__isnull=False)).distinct()
    if actor.unit_id is not None:
        force_cases = force_cases.filter(Q(handling_unit_id=actor.unit_id) | Q(handling_unit__isnull=True))
    if actor.role == Role.SUPERVISOR:
        return force_cases
    # Handlers: cases in triage (no owner yet) or that they own or are assigned to.
    return force_cases.filter(
        Q(owner__isnull=True) | Q(owner=actor) | Q(assignments__user=actor, assignments__ended_at__isnull=True)
    ).distinct()


def get_case_for(actor: User, code: str, *, write: bool = False) -> Case:
    try:
        case = visible_cases(actor).get(code=code)
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    if write and actor.role not in (Role.HANDLER, Role.SUPERVISOR, Role.OVERSEER):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return case
