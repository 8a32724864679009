"""Break-glass opening of a confidential reporter's sealed identity (policy/break_glass.toml).

A custodian asks, giving a reason; where policy asks for it, a second person (never the requester) approves; the
custodian then opens it with the identity custodians' key held in their own session. The identity is shown once,
in that response, and never stored in the clear. Every step is audited; each opening is an IdentityDisclosure,
which the overseer lists and the reporter sees in their timeline (intake/timeline.py reads it through the report).
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from upstander.accounts.models import OrganisationKind, Role, User
from upstander.audit.log import record
from upstander.cases.models import Report
from upstander.custody.models import DisclosureRequest, DisclosureStatus, IdentityDisclosure
from upstander.custody.policy import break_glass
from upstander.lib import clock, crypto
from upstander.reports import sealing


class NoSealedIdentity(Exception):
    """The report has no sealed identity to open (anonymous, named, or purged under retention)."""


def _require_custodian(actor: User) -> None:
    org = actor.organisation
    if actor.role != Role.CUSTODIAN or org is None or org.kind != OrganisationKind.CUSTODIANS:
        raise PermissionDenied("only an identity custodian can open a sealed identity")


def do_request_disclosure(*, actor: User, report: Report, reason: str) -> DisclosureRequest:
    _require_custodian(actor)
    rules = break_glass()
    reason = reason.strip()
    if len(reason) < rules.min_reason_length:
        raise ValidationError(f"Give a reason of at least {rules.min_reason_length} characters: the overseer and "
                              "the reporter will read it.")
    if report.sealed_identity is None or report.purged_on is not None:
        raise NoSealedIdentity("this report has no sealed identity")
    now = clock.now()
    with transaction.atomic():
        request = DisclosureRequest.objects.create(
            report=report, requested_by=actor, requested_at=now, reason=reason,
            needs_approval=rules.require_second_approval,
            status=DisclosureStatus.PENDING if rules.require_second_approval else DisclosureStatus.APPROVED,
            expires_at=now + timedelta(hours=rules.request_valid_hours))
        record(actor, "identity.request", report, reason=reason)
    return request


def can_decide(actor: User, request: DisclosureRequest) -> bool:
    return (actor.role in break_glass().approver_roles and actor.pk != request.requested_by_id
            and request.status == DisclosureStatus.PENDING and request.expires_at > clock.now())


def do_decide_disclosure(*, actor: User, request: DisclosureRequest, approve: bool, note: str = "") -> None:
    if actor.role not in break_glass().approver_roles:
        raise PermissionDenied("you cannot approve the opening of a sealed identity")
    if actor.pk == request.requested_by_id:
        raise PermissionDenied("a second person must approve: not the one who asked")
    if not approve and not note.strip():
        raise ValidationError("Say why you refuse.")
    with transaction.atomic():
        decided = DisclosureRequest.objects.filter(
            pk=request.pk, status=DisclosureStatus.PENDING, expires_at__gt=clock.now()).update(
            status=DisclosureStatus.APPROVED if approve else DisclosureStatus.REFUSED, decided_by=actor,
            decided_at=clock.now(), decision_note=note.strip())
        if not decided:
            raise PermissionDenied("this request is no longer waiting for a decision")
        record(actor, "identity.approve" if approve else "identity.refuse", request.report,
               reason=note.strip() or request.reason)
    request.refresh_from_db()


def do_open_identity(*, actor: User, request: DisclosureRequest, org_key: bytes | None) -> dict | str:
    """Open the sealed identity once. Returns it (a dict as the reporter gave it, or text) for this response only."""
    _require_custodian(actor)
    if actor.pk != request.requested_by_id:
        raise PermissionDenied("only the custodian who asked can open it")
    if org_key is None:
        raise PermissionDenied("your session does not hold the identity custodians' key: sign in again")
    report = request.report
    if report.sealed_identity is None or report.purged_on is not None:
        raise NoSealedIdentity("this report has no sealed identity")
    try:
        plaintext = sealing.open_sealed_identity(report, org_key)
    except crypto.CryptoError:
        raise PermissionDenied("the key in your session does not open this identity") from None
    now = clock.now()
    with transaction.atomic():
        opened = DisclosureRequest.objects.filter(
            pk=request.pk, status=DisclosureStatus.APPROVED, expires_at__gt=now).update(status=DisclosureStatus.OPENED)
        if not opened:
            raise PermissionDenied("this request is not approved, has lapsed, or was already used")
        request.refresh_from_db()
        IdentityDisclosure.objects.create(
            report=report, request=request, opened_on=clock.local_date(now), reason=request.reason,
            custodian=actor, approver=request.decided_by)
        record(actor, "identity.open", report, reason=request.reason)
    text = plaintext.decode("utf-8", errors="replace")
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, dict) else text


def requests_for(actor: User) -> QuerySet[DisclosureRequest]:
    """The requests a custodian made, or could decide."""
    qs = DisclosureRequest.objects.select_related("report", "requested_by", "decided_by").order_by("-requested_at")
    if actor.role == Role.OVERSEER:
        return qs
    if actor.role == Role.CUSTODIAN:
        approvers = break_glass().approver_roles
        mine = Q(requested_by=actor)
        if Role.CUSTODIAN in approvers:
            mine |= Q(status=DisclosureStatus.PENDING)
        return qs.filter(mine)
    return qs.none()
