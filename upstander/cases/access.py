"""Every lookup of a protected case or report goes through here. Deny by default: 404 when the actor may not know the
case exists, PermissionDenied when they may know it but not act on it.

Visibility is written with EXISTS subqueries rather than joins plus DISTINCT, so the queue stays fast at 100,000
cases and can be sorted by an index.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from upstander.accounts.models import OrganisationKind, Role, User
from upstander.accounts.permissions import CASE_CONTENT_ROLES, FORCE_CASE_ROLES
from upstander.cases.models import Assignment, Case
from upstander.reports.models import Report
from upstander.reports.visibility import case_released_to_force, force_reports


def _is_user(actor) -> bool:
    return isinstance(actor, User) and actor.is_authenticated


def _force_member(actor) -> bool:
    return (_is_user(actor) and actor.role in FORCE_CASE_ROLES and actor.organisation is not None
            and actor.organisation.kind == OrganisationKind.FORCE)


def released_filter() -> Q:
    """Force route, or an independent-route matter the overseer has released (the one rule: reports/visibility.py)."""
    return case_released_to_force()


def visible_cases(actor: User) -> QuerySet[Case]:
    """Cases the actor may see (DESIGN.md's persona table)."""
    cases = Case.objects.all()
    if _is_user(actor) and actor.role == Role.OVERSEER:
        return cases
    if not _force_member(actor):
        return cases.none()
    # The force never sees independent-route cases until the overseer releases them.
    force_cases = cases.filter(released_filter(), handling_org=actor.organisation)
    if actor.unit_id is not None:
        force_cases = force_cases.filter(Q(handling_unit_id=actor.unit_id) | Q(handling_unit__isnull=True))
    if actor.role == Role.SUPERVISOR:
        return force_cases
    # Handlers: cases in triage (no owner yet) or that they own or are assigned to.
    assigned = Assignment.objects.filter(case=OuterRef("pk"), user=actor, ended_at__isnull=True)
    return force_cases.filter(Q(owner__isnull=True) | Q(owner=actor) | Q(Exists(assigned)))


def can_see(actor, case: Case) -> bool:
    return visible_cases(actor).filter(pk=case.pk).exists()


def get_case_for(actor: User, code: str, *, write: bool = False) -> Case:
    try:
        case = visible_cases(actor).select_related("owner", "handling_unit", "handling_org").get(code=code)
    except Case.DoesNotExist:
        raise Http404("No such case") from None
    if write and actor.role not in CASE_CONTENT_ROLES:
        raise PermissionDenied
    return case


def inbox_reports(actor: User) -> QuerySet[Report]:
    """Reports not yet on a case, in the inbox of the actor's handling organisation: the force's professional
    standards unit for force-route and released reports, the overseer for everything (the independent route only
    reaches the overseer)."""
    reports = Report.objects.filter(case__isnull=True, purged_on__isnull=True)
    if _is_user(actor) and actor.role == Role.OVERSEER:
        return reports
    if not _force_member(actor):
        return reports.none()
    return reports.filter(force_reports(actor.organisation))


def get_report_for_triage(actor: User, public_id) -> Report:
    try:
        return inbox_reports(actor).get(public_id=public_id)
    except (Report.DoesNotExist, ValueError):
        raise Http404("No such report") from None


def audit_object_ids(sender, *, reference: str, **kwargs) -> set[str]:
    """Receiver of audit.search.reference_ids (connected in CasesConfig.ready): in a search of the audit log a case
    code stands for the case and every report in it, so "who looked at this case?" finds reads of its reports too."""
    case = Case.objects.filter(code=reference.strip().upper()).first()
    if case is None:
        return set()
    reports = Report.objects.filter(case=case).values_list("public_id", flat=True)
    return {case.code, str(case.public_id)} | {str(pid) for pid in reports}
