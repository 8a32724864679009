"""`/metrics` in the Prometheus text format, behind the operator's token (UPSTANDER_METRICS_TOKEN).

What is measured: staff-side requests and all server errors (lib/requestcount.py), the work queues, clock breaches,
and when tick, the witness and the last checkpoint ran. Nothing about reporters: no reporter-side request counts, and
the triage queue counts only reports received before today, so a scrape cannot tell when today's reports came in.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max

from upstander.audit.models import AuditCheckpoint, AuditEvent
from upstander.audit.witness import CONFIRM, MISMATCH
from upstander.cases.models import Case, Escalation
from upstander.lib import clock, requestcount
from upstander.operations.models import ScheduledRun
from upstander.reports.models import Report
from upstander.safeguarding.models import AlertStatus, RetaliationAlert


def _metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> Iterator[str]:
    yield f"# HELP {name} {help_text}"
    yield f"# TYPE {name} {kind}"
    for labels, value in samples:
        yield f"{name}{labels} {value:g}" if isinstance(value, int) else f"{name}{labels} {value:.3f}"


def _requests() -> Iterator[str]:
    counts = requestcount.totals()
    classes = sorted(k.split(":", 1)[1] for k in counts if k.startswith("requests:"))
    yield from _metric("upstander_http_requests_total", "counter",
                       "Requests answered on the staff side and elsewhere (reporter-side requests are not counted).",
                       [(f'{{status="{c}"}}', counts[f"requests:{c}"]) for c in classes])
    yield from _metric("upstander_http_errors_total", "counter", "Server errors (5xx) on any side.",
                       [("", counts["errors"])])
    yield from _metric("upstander_reporter_database_away_total", "counter",
                       "Reporter requests answered with the 'nothing was lost, try again' page (database away).",
                       [("", counts["database_away"])])
    yield from _metric("upstander_database_retries_total", "counter",
                       "Requests run again on the server because the database was briefly away.",
                       [("", counts["database_retries"])])


def _queues() -> Iterator[str]:
    today = clock.today()
    open_cases = Case.objects.filter(closed_on__isnull=True)
    yield from _metric("upstander_reports_awaiting_triage", "gauge",
                       "Reports received before today that are not yet on a case.",
                       [("", Report.objects.filter(case__isnull=True, purged_on__isnull=True,
                                                   received_on__lt=today).count())])
    yield from _metric("upstander_cases_open", "gauge", "Open cases.", [("", open_cases.count())])
    yield from _metric("upstander_clock_breaches", "gauge", "Open cases with a statutory clock past its due date.",
                       [("", open_cases.filter(due_on__lt=today).count())])
    unseen = Escalation.objects.filter(seen_at__isnull=True)
    yield from _metric("upstander_escalations_unseen", "gauge", "Escalations nobody has marked seen, by level.",
                       [(f'{{level="{level}"}}', unseen.filter(level=level).count())
                        for level in ("supervisor", "overseer")])
    yield from _metric("upstander_retaliation_alerts_open", "gauge", "Open retaliation alerts.",
                       [("", RetaliationAlert.objects.filter(status=AlertStatus.OPEN).count())])


def _jobs() -> Iterator[str]:
    runs = {r.job: r.last_run_at.timestamp() for r in ScheduledRun.objects.all()}
    # The witness runs on the overseer's machine; the force sees its confirmations (audit events on object type
    # "audit", found through the object index rather than a scan of the whole log).
    confirmed = AuditEvent.objects.filter(object_type="audit", action=CONFIRM).aggregate(at=Max("at"), id=Max("id"))
    if confirmed["at"] is not None:
        runs["witness"] = confirmed["at"].timestamp()
    yield from _metric("upstander_job_last_run_timestamp_seconds", "gauge",
                       "When tick last ran, and when the witness last confirmed the log (Unix time).",
                       [(f'{{job="{job}"}}', at) for job, at in sorted(runs.items())])
    last_cp = AuditCheckpoint.objects.aggregate(at=Max("created_at"))["at"]
    if last_cp is not None:
        yield from _metric("upstander_audit_last_checkpoint_timestamp_seconds", "gauge",
                           "When the last signed audit checkpoint was made (Unix time).", [("", last_cp.timestamp())])
    mismatch = AuditEvent.objects.filter(object_type="audit", action=MISMATCH, id__gt=confirmed["id"] or 0).exists()
    yield from _metric("upstander_witness_mismatch", "gauge",
                       "1 when the witness reported a log that no longer matches what it saw (alert a person).",
                       [("", int(mismatch))])
    yield from _metric("upstander_audit_events", "gauge", "Events in the audit log.",
                       [("", AuditEvent.objects.aggregate(n=Max("id"))["n"] or 0)])


def render() -> str:
    lines = list(_metric("upstander_up", "gauge", "1 when this process answers.", [("", 1)]))
    for part in (_requests, _queues, _jobs):
        lines += list(part())
    return "\n".join(lines) + "\n"
