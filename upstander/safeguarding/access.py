"""Every lookup of a safeguarding task or a retaliation alert goes through here. Deny by default: both name staff who
spoke up, so only the overseer sees them (DESIGN.md's persona table); anyone else gets 404, not even that the task
or alert exists. Opening one is audited: the audit log answers "who looked at this alert?".
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from upstander.accounts.models import Role, User
from upstander.audit.log import record
from upstander.cases.models import Report, ReporterLink
from upstander.safeguarding.models import (
    AlertStatus,
    MonitoringRun,
    PartyRole,
    ProtectedParty,
    RetaliationAlert,
    SafeguardingTask,
)

TASK_RELATED = ("case", "allegation", "person__team", "person__unit", "subject__team", "subject__unit")


def _overseer(actor) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.role == Role.OVERSEER


def visible_tasks(actor) -> QuerySet[SafeguardingTask]:
    tasks = SafeguardingTask.objects.select_related(*TASK_RELATED)
    return tasks if _overseer(actor) else tasks.none()


def visible_alerts(actor) -> QuerySet[RetaliationAlert]:
    alerts = RetaliationAlert.objects.select_related("person__unit", "report")
    return alerts if _overseer(actor) else alerts.none()


@dataclass(frozen=True)
class AlertFilters:
    """What the overseer narrowed the alert list to: a status ("" for both), a unit's code (the unit of the person
    who spoke up), and the days the alerts were opened between."""

    status: str = AlertStatus.OPEN
    unit: str = ""
    opened_from: date | None = None
    opened_to: date | None = None


def alerts_for(actor, filters: AlertFilters) -> QuerySet[RetaliationAlert]:
    """Retaliation alerts as the overseer filtered them, oldest first (the longest waiting on top)."""
    alerts = visible_alerts(actor)
    if filters.status:
        alerts = alerts.filter(status=filters.status)
    if filters.unit:
        alerts = alerts.filter(person__unit__code=filters.unit)
    if filters.opened_from:
        alerts = alerts.filter(opened_on__gte=filters.opened_from)
    if filters.opened_to:
        alerts = alerts.filter(opened_on__lte=filters.opened_to)
    return alerts.select_related("report__case").order_by("opened_on", "pk")


def alert_cases_for(actor, alerts: list[RetaliationAlert]) -> dict[int, list[str]]:
    """For each alert (by pk), the codes of the cases its person spoke up in (as reporter or supporting witness) or
    its report is on. The overseer's only, like the alerts: it links a staff reporter to their cases."""
    found: dict[int, set[str]] = defaultdict(set)
    if not _overseer(actor) or not alerts:
        return {}
    by_person: dict[int, list[int]] = defaultdict(list)
    by_report: dict[int, list[int]] = defaultdict(list)
    for alert in alerts:
        if alert.person_id is not None:
            by_person[alert.person_id].append(alert.pk)
        if alert.report_id is not None:
            by_report[alert.report_id].append(alert.pk)
    spoke_up = [*ReporterLink.objects.filter(person_id__in=by_person, report__case__isnull=False).values_list(
        "person_id", "report__case__code"), *ProtectedParty.objects.filter(
        person_id__in=by_person, role=PartyRole.SUPPORTING_WITNESS).values_list("person_id", "case__code")]
    for person_id, code in spoke_up:
        for pk in by_person[person_id]:
            found[pk].add(code)
    for report_id, code in Report.objects.filter(pk__in=by_report, case__isnull=False).values_list("pk", "case__code"):
        for pk in by_report[report_id]:
            found[pk].add(code)
    return {pk: sorted(codes) for pk, codes in found.items()}


def open_tasks_for(actor) -> QuerySet[SafeguardingTask]:
    return visible_tasks(actor).filter(resolved_on__isnull=True)


def open_alerts_for(actor) -> QuerySet[RetaliationAlert]:
    return visible_alerts(actor).filter(status=AlertStatus.OPEN).order_by("opened_on", "pk")


def latest_monitoring_run_for(actor) -> MonitoringRun | None:
    """The latest retaliation-monitoring run's figures by unit (the overseer's only)."""
    return MonitoringRun.objects.order_by("-as_of").first() if _overseer(actor) else None


def _get(queryset: QuerySet, public_id, what: str):
    try:
        return queryset.get(public_id=uuid.UUID(str(public_id)))
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404(f"No such {what}") from None


def get_task_for(actor, public_id, *, write: bool = False) -> SafeguardingTask:
    """The task, for the overseer. A read is audited; with `write` the action that follows writes its own event."""
    task = _get(visible_tasks(actor), public_id, "safeguarding task")
    if not write:
        with transaction.atomic():
            record(actor, "safeguarding.task.view", task, reason=task.case.code)
    return task


def get_alert_for(actor, public_id, *, write: bool = False) -> RetaliationAlert:
    """The alert, for the overseer. A read is audited; with `write` the action that follows writes its own event."""
    alert = _get(visible_alerts(actor), public_id, "retaliation alert")
    if not write:
        with transaction.atomic():
            record(actor, "safeguarding.alert.view", alert)
    return alert
