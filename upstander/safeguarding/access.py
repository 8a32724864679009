"""Every lookup of a safeguarding task or a retaliation alert goes through here. Deny by default: both name staff who
spoke up, so only the overseer sees them (DESIGN.md's persona table); anyone else gets 404, not even that the task
or alert exists. Opening one is audited: the audit log answers "who looked at this alert?".
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from upstander.accounts.models import Role, User
from upstander.audit.log import record
from upstander.safeguarding.models import AlertStatus, MonitoringRun, RetaliationAlert, SafeguardingTask

TASK_RELATED = ("case", "allegation", "person__team", "person__unit", "subject__team", "subject__unit")


def _overseer(actor) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.role == Role.OVERSEER


def visible_tasks(actor) -> QuerySet[SafeguardingTask]:
    tasks = SafeguardingTask.objects.select_related(*TASK_RELATED)
    return tasks if _overseer(actor) else tasks.none()


def visible_alerts(actor) -> QuerySet[RetaliationAlert]:
    alerts = RetaliationAlert.objects.select_related("person__unit", "report")
    return alerts if _overseer(actor) else alerts.none()


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
