"""Retention: the content of a closed case is destroyed once its categories' retention period has passed
(`retention_years` in policy/categories.toml), unless a legal hold stops it.

What goes: every ciphertext a reporter's words or identity live in — narrative, place, identity (named and sealed),
message bodies, statements, attached files — and the copies of the report's data key sealed to the organisations
(crypto-shredding: anything encrypted under that key that this list missed can no longer be opened by staff), the
clear link from a staff reporter to their roster entry.
What stays: the structured facts (dates, categories, states, findings, outcomes, subject links, stage events), so
the statistics are unchanged, and an audit event per purged case saying when and under which rule.

`purge_due` is idempotent: `upstander tick` calls it on every run.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from upstander.accounts.models import Role, User
from upstander.accounts.permissions import HOLD_ROLES
from upstander.audit.log import Actor, record
from upstander.cases.access import can_see
from upstander.cases.models import Case, Report
from upstander.custody.models import LegalHold
from upstander.custody.policy import retention_years, retention_years_for
from upstander.lib import clock, storage

# What a purge does to each model holding reporter content, by app label and model name: fields set to empty, or
# rows deleted. test_retention checks that every binary field of a model linked to a report or case is covered.
PURGE_PLAN: dict[str, dict] = {
    "reports.report": {"blank": ["narrative_ct", "place_ct", "identity_ct", "sealed_identity"]},
    "reports.sealedkey": {"delete": True},
    "reports.message": {"blank": ["body_ct"]},
    "cases.statement": {"blank": ["body_ct"]},
    "reports.reporterlink": {"delete": True},
    "reports.attachment": {"delete": True, "files": ["original_blob", "clean_blob"]},
    "safeguarding.retaliationclaim": {"blank": ["text_ct"]},
    # A seized chat export goes whole at the case's retention: its keys, encrypted chunks, messages, senders and
    # flag decisions with it (they cascade). The SHA-256 of what was received stays in the audit log.
    "evidence.chatexport": {"delete": True},
}
# Binary fields that are keys to something else, not content: kept (see the module docstring).
NOT_CONTENT = {"reports.report.receipt_sealed_key"}


def add_years(day: date, years: int) -> date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def case_categories(case: Case) -> set[str]:
    found = {case.main_category} if case.main_category else set()
    found.update(case.allegations.values_list("category", flat=True))
    for categories in Report.objects.filter(case=case).values_list("categories", flat=True):
        found.update(categories or [])
    return {c for c in found if c}


def purge_date(case: Case) -> date | None:
    if case.closed_on is None:
        return None
    return add_years(case.closed_on, retention_years_for(case_categories(case)))


def _optional_model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _rows(model, case: Case, report_ids: list[int]):
    """The rows of `model` that belong to this case: through a `case` or a `report` foreign key, or both."""
    names = {f.name for f in model._meta.concrete_fields}
    if model is Report:
        return Report.objects.filter(id__in=report_ids)
    where = Q(pk__in=[])
    if "case" in names:
        where |= Q(case=case)
    if "report" in names:
        where |= Q(report_id__in=report_ids)
    return model.objects.filter(where)


def _purge_case(case: Case, *, actor: Actor | User, today: date, due: date) -> None:
    report_ids = list(Report.objects.filter(case=case).values_list("id", flat=True))
    blob_names: list[str] = []
    with transaction.atomic():
        for label, rule in PURGE_PLAN.items():
            model = _optional_model(label)
            if model is None:  # an app this installation does not have
                continue
            rows = _rows(model, case, report_ids)
            for names in rows.values_list(*rule.get("files", [])) if rule.get("files") else ():
                blob_names += [n for n in names if n]
            if rule.get("delete"):
                rows.delete()
            else:
                rows.update(**{f: None if model._meta.get_field(f).null else b"" for f in rule["blank"]})
        Report.objects.filter(id__in=report_ids).update(purged_on=today)
        Case.objects.filter(pk=case.pk).update(purged_on=today)
        record(actor, "retention.purge", case,
               reason=f"closed {case.closed_on.isoformat() if case.closed_on else '?'}; retention ended {due.isoformat()}; "
                      f"{len(report_ids)} report(s), {len(blob_names) // 2} file(s) destroyed")
        # The encrypted files go only once the rows naming them are gone for good.
        transaction.on_commit(lambda: _delete_blobs(blob_names))


def _delete_blobs(names: Iterable[str]) -> None:
    for name in names:
        storage.delete(name)


@dataclass
class PurgeResult:
    purged: list[str] = field(default_factory=list)  # case codes
    held: list[str] = field(default_factory=list)  # past retention but under a legal hold

    def as_dict(self) -> dict:
        return {"purged": len(self.purged), "held": len(self.held), "purged_cases": self.purged}


def purge_due(*, actor: Actor | User, today: date | None = None) -> PurgeResult:
    """Purge every closed case past retention and not on legal hold. Idempotent: a purged case is never touched
    again. Hook for `upstander tick` (actor=Actor.system("tick"))."""
    today = today or clock.today()
    shortest = min(retention_years().values())
    # Only cases closed at least the shortest period ago can be due; each is then checked against its own period.
    latest_close = add_years(today, -shortest)
    result = PurgeResult()
    candidates = Case.objects.filter(closed_on__isnull=False, closed_on__lte=latest_close, purged_on__isnull=True)
    for case in candidates.order_by("closed_on", "id").iterator():
        due = purge_date(case)
        if due is None or due > today:
            continue
        if case.legal_hold:
            result.held.append(case.code)
            continue
        _purge_case(case, actor=actor, today=today, due=due)
        result.purged.append(case.code)
    return result


def _check_hold_actor(actor: User, case: Case) -> None:
    if actor.role not in HOLD_ROLES:
        raise PermissionDenied("only a supervisor or the overseer places or lifts a legal hold")
    if not can_see(actor, case):
        raise PermissionDenied("this case is not one of yours")


def do_set_legal_hold(*, actor: User, case: Case, reason: str) -> LegalHold:
    _check_hold_actor(actor, case)
    if not reason.strip():
        raise ValidationError("Say why the content must be kept (the claim, inquiry or order).")
    if case.purged_on is not None:
        raise ValidationError("This case's content was already destroyed under retention.")
    with transaction.atomic():
        if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
            raise ValidationError("This case is already on legal hold.")
        hold = LegalHold.objects.create(case=case, reason=reason.strip(), set_by=actor, set_at=clock.now())
        Case.objects.filter(pk=case.pk).update(legal_hold=True)
        record(actor, "retention.hold", case, reason=reason.strip())
    case.legal_hold = True
    return hold


def do_lift_legal_hold(*, actor: User, hold: LegalHold, reason: str) -> None:
    case = hold.case
    _check_hold_actor(actor, case)
    if actor.role != Role.OVERSEER and hold.set_by.role == Role.OVERSEER:
        raise PermissionDenied("only the overseer lifts a hold the overseer placed")
    if not reason.strip():
        raise ValidationError("Say why the hold can be lifted.")
    with transaction.atomic():
        lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=clock.now(), lifted_by=actor, lift_reason=reason.strip())
        if not lifted:
            raise ValidationError("This hold was already lifted.")
        Case.objects.filter(pk=case.pk).update(legal_hold=False)
        record(actor, "retention.hold_lift", case, reason=reason.strip())
    hold.refresh_from_db()
