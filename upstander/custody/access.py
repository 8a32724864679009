"""Every lookup of a custody object goes through here: staff accounts, invitations, requests to open a sealed
identity, sealed reports, legal holds and the overseer's record of custody. Deny by default: 404 when the actor may
not know the object exists. The actions (members.py, break_glass.py, retention.py) still check what may be done to
it. Opening a request to disclose a sealed identity is audited.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from upstander.accounts.models import KeyGrant, Role, User
from upstander.accounts.permissions import ACCOUNT_READERS, HOLD_ROLES, OVERSEER_ONLY
from upstander.audit.log import record
from upstander.audit.models import AuditEvent
from upstander.cases.access import visible_cases
from upstander.cases.models import Case, Report
from upstander.custody.break_glass import NoSealedIdentity, requests_for
from upstander.custody.models import (
    DisclosureRequest,
    DisclosureStatus,
    EnrolmentInvitation,
    IdentityDisclosure,
    LegalHold,
)

# What the overseer's custody page watches in the audit log.
CUSTODY_ACTIONS_PREFIXES = ("custody.", "key.grant", "identity.", "retention.")


def _user(actor) -> bool:
    return isinstance(actor, User) and actor.is_authenticated


def _in(actor, roles) -> bool:
    return _user(actor) and actor.role in roles


def _uuid(public_id, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(f"No such {what}") from None


# --- accounts -----------------------------------------------------------------------------------------------------


def visible_accounts(actor) -> QuerySet[User]:
    """Every staff account, for an administrator or the overseer."""
    return User.objects.select_related("organisation") if _in(actor, ACCOUNT_READERS) else User.objects.none()


def accounts_for(actor) -> list[dict]:
    """The account list: each account and whether it holds a live key grant."""
    live = set(KeyGrant.objects.filter(revoked_at__isnull=True).values_list("user_id", flat=True))
    return [{"user": u, "holds_key": u.pk in live} for u in visible_accounts(actor).order_by("-is_active", "username")]


def get_account_for(actor, public_id) -> User:
    account = visible_accounts(actor).filter(public_id=_uuid(public_id, "account")).first()
    if account is None:
        raise Http404("No such account")
    return account


def get_colleague_for(actor, username: str) -> User | None:
    """An active member of the actor's own organisation, by username, to invite to its key (None otherwise)."""
    if not _user(actor) or actor.organisation_id is None:
        return None
    return User.objects.filter(username=username, organisation_id=actor.organisation_id, is_active=True).first()


def open_invitations_by(actor) -> QuerySet[EnrolmentInvitation]:
    """The invitations the actor made that are still waiting."""
    if not _user(actor):
        return EnrolmentInvitation.objects.none()
    return EnrolmentInvitation.objects.filter(created_by=actor, accepted_at__isnull=True,
                                              cancelled_at__isnull=True).select_related("user")


# --- sealed identities --------------------------------------------------------------------------------------------


def find_sealed_report_for(actor, reference: str) -> Report:
    """For a custodian asking to open one: a report with a sealed identity by its public id, or the confidential
    report of a case by the case's code. NoSealedIdentity (which the page says in words) otherwise."""
    if not _in(actor, {Role.CUSTODIAN}):
        raise Http404("No such report")
    reference = reference.strip()
    reports = Report.objects.filter(sealed_identity__isnull=False, purged_on__isnull=True)
    report = None
    try:
        report = reports.filter(public_id=uuid.UUID(reference)).first()
    except ValueError:  # not a UUID: try it as a case code
        case = Case.objects.filter(code=reference.upper()).first()
        report = reports.filter(case=case).order_by("received_on", "id").first() if case else None
    if report is None:
        raise NoSealedIdentity("no confidential report with a sealed identity has that reference")
    return report


def get_disclosure_request_for(actor, public_id, *, write: bool = False, own: bool = False) -> DisclosureRequest:
    """A request to open a sealed identity that the actor made or may decide (break_glass.requests_for); with `own`,
    only one the actor made. A read is audited; with `write` the action that follows writes its own event."""
    requests = requests_for(actor) if _user(actor) else DisclosureRequest.objects.none()
    if own:
        requests = requests.filter(requested_by=actor)
    request = requests.filter(public_id=_uuid(public_id, "request")).first()
    if request is None:
        raise Http404("No such request")
    if not write:
        with transaction.atomic():
            record(actor, "identity.request.view", request.report, reason=request.reason)
    return request


# --- legal holds --------------------------------------------------------------------------------------------------


def holds_for(actor) -> QuerySet[LegalHold]:
    """Legal holds on the cases the actor may see, for a supervisor or the overseer."""
    if not _in(actor, HOLD_ROLES):
        return LegalHold.objects.none()
    return (LegalHold.objects.filter(case__in=visible_cases(actor)).select_related("case", "set_by", "lifted_by")
            .order_by("-set_at"))


def get_hold_for(actor, public_id) -> LegalHold:
    hold = holds_for(actor).filter(public_id=_uuid(public_id, "hold")).first()
    if hold is None:
        raise Http404("No such hold")
    return hold


def find_case_for_hold(actor, code: str) -> Case | None:
    """A case the actor may see, by its code, to place a hold on."""
    if not _in(actor, HOLD_ROLES):
        return None
    return visible_cases(actor).filter(code=code.strip().upper()).first()


# --- the overseer's record of custody -----------------------------------------------------------------------------


def custody_record_for(actor, limit: int = 500) -> dict:
    """For the overseer: identity openings, pending requests, and the latest custody events of the audit log, each
    account named by its username."""
    if not _in(actor, OVERSEER_ONLY):
        raise Http404("No such page")
    watched = Q()
    for prefix in CUSTODY_ACTIONS_PREFIXES:
        watched |= Q(action__startswith=prefix)
    events = list(AuditEvent.objects.filter(watched).order_by("-id")[:limit])
    ids = {e.object_id for e in events if e.object_type == "accounts.user"}
    names = {str(pid): name for pid, name in User.objects.filter(public_id__in=ids).values_list("public_id", "username")}
    for e in events:
        e.whom = names.get(e.object_id, f"{e.object_type} {e.object_id}".strip())  # type: ignore[attr-defined]
    return {
        "disclosures": IdentityDisclosure.objects.select_related("report", "custodian", "approver").order_by(
            "-opened_on", "-id")[:200],
        "pending": DisclosureRequest.objects.filter(status=DisclosureStatus.PENDING).select_related(
            "requested_by").order_by("-requested_at"),
        "events": events,
    }
