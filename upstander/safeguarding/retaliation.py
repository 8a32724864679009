"""Retaliation alerts: raised by monitoring (monitoring.py) or by the reporter, seen by the overseer only.

Hooks for other parts of the system:
- `run_retaliation_monitoring(actor=…)` — idempotent; `upstander safeguarding retaliation-scan` runs it, and so can tick.
- `do_report_retaliation(actor=Actor.reporter(), report=…, text_ct=…)` — the reporter's portal; joins the person's
  open alert (or the report's, for an anonymous reporter with no roster link).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from upstander.accounts.permissions import ALERT_CLOSERS, CLAIM_RECORDERS, MONITORS, require_role
from upstander.audit.log import record
from upstander.cases.models import ReporterLink
from upstander.lib import clock
from upstander.people.models import Unit
from upstander.safeguarding.detriment import LABELS
from upstander.safeguarding.models import AlertStatus, MonitoringRun, RetaliationAlert, RetaliationClaim
from upstander.safeguarding.monitoring import Evaluation, Result, evaluate


def _fingerprint(evidence: dict[str, Any]) -> set[str]:
    return {d["ref"] for d in evidence.get("detriments", [])} | {c["case"] for c in evidence.get("counter_allegations", [])}


@dataclass
class MonitoringSummary:
    as_of: date
    monitored: int = 0
    evaluated: int = 0
    flagged: int = 0
    too_few_peers: int = 0
    alerts_opened: int = 0
    alerts_updated: int = 0
    opened: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "monitored": self.monitored, "evaluated": self.evaluated,
                "flagged": self.flagged, "too_few_peers": self.too_few_peers, "alerts_opened": self.alerts_opened,
                "alerts_updated": self.alerts_updated, "opened": self.opened}


def _figures(evaluation: Evaluation) -> dict[str, Any]:
    return {"spoke_up_on": evaluation.first_day, "observed": evaluation.observed_total,
            "expected": round(evaluation.expected_total, 3), "peers": evaluation.peers,
            "p_value": evaluation.p_value, "evidence": evaluation.evidence()}


def run_retaliation_monitoring(*, actor, as_of: date | None = None, conf: dict[str, Any] | None = None,
                               result: Result | None = None) -> MonitoringSummary:
    """Evaluate everyone who spoke up and open or update alerts. Running it again on the same data changes nothing:
    an open alert is updated only when its detriments change, and a closed alert is not reopened for the same
    evidence."""
    who = require_role(actor, MONITORS, "run retaliation monitoring").label
    as_of = as_of or clock.today()
    result = result or evaluate(as_of, conf=conf)
    summary = MonitoringSummary(as_of, evaluated=len(result.evaluations), too_few_peers=len(result.too_few_peers))
    summary.monitored = len(result.evaluations) + len(result.too_few_peers) + len(result.not_yet_exposed)
    with transaction.atomic():
        open_alerts = {a.person_id: a for a in RetaliationAlert.objects.filter(status=AlertStatus.OPEN,
                                                                                person__isnull=False)}
        for evaluation in result.evaluations:
            summary.flagged += evaluation.flagged
            alert = open_alerts.get(evaluation.person_id)
            figures = _figures(evaluation)
            if alert is not None:
                if _fingerprint(alert.evidence) != _fingerprint(figures["evidence"]) or (
                        evaluation.flagged and not alert.raised_by_monitoring):
                    for name, value in figures.items():
                        setattr(alert, name, value)
                    alert.evaluated_on = as_of
                    alert.raised_by_monitoring = alert.raised_by_monitoring or evaluation.flagged
                    alert.save(update_fields=[*figures, "evaluated_on", "raised_by_monitoring"])
                    record(actor, "safeguarding.alert.update", alert, reason=evaluation.why or "figures updated")
                    summary.alerts_updated += 1
                continue
            if not evaluation.flagged or _already_closed(evaluation, figures):
                continue
            alert = RetaliationAlert.objects.create(person_id=evaluation.person_id, opened_on=as_of, opened_by=who,
                                                    evaluated_on=as_of, raised_by_monitoring=True, **figures)
            record(actor, "safeguarding.alert.open", alert, reason=evaluation.why)
            summary.alerts_opened += 1
            summary.opened.append(str(alert.public_id))
        _save_rates(result, summary)
        if summary.alerts_opened or summary.alerts_updated:
            record(actor, "safeguarding.retaliation.scan", object_type="safeguarding.monitoring",
                   object_id=as_of.isoformat(), reason=f"{summary.evaluated} evaluated, {summary.flagged} flagged, "
                                                      f"{summary.alerts_opened} opened, {summary.alerts_updated} updated")
    return summary


def _save_rates(result: Result, summary: MonitoringSummary) -> None:
    """Keep the run's aggregate for the overseer's page; rewritten only when it changed."""
    rates = [r.as_dict() for r in detriment_rates_by_unit(result)]
    values = {"evaluated": summary.evaluated, "flagged": summary.flagged, "too_few_peers": summary.too_few_peers,
              "rates": rates}
    run = MonitoringRun.objects.filter(as_of=summary.as_of).first()
    if run is None:
        MonitoringRun.objects.create(as_of=summary.as_of, **values)
    elif any(getattr(run, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(run, k, v)
        run.save(update_fields=list(values))


def _already_closed(evaluation: Evaluation, figures: dict[str, Any]) -> bool:
    """A closed alert already covered every detriment this evaluation rests on."""
    closed = (RetaliationAlert.objects.filter(person_id=evaluation.person_id, status=AlertStatus.CLOSED)
              .order_by("-closed_on", "-pk").first())
    return closed is not None and _fingerprint(figures["evidence"]) <= _fingerprint(closed.evidence)


def do_report_retaliation(*, actor, report, text_ct: bytes | None = None, kinds: list[str] | tuple[str, ...] = ()
                          ) -> RetaliationAlert:
    """The reporter says they are suffering retaliation. Joins the open alert of the person (their roster link) or,
    for a reporter with no link, of the report; opens one otherwise. `text_ct` is the account, already encrypted
    under the report's data key by the caller. Only the day is kept."""
    who = require_role(actor, CLAIM_RECORDERS, "report retaliation").label
    unknown = sorted(set(kinds) - set(LABELS))
    if unknown:
        raise ValidationError(f"unknown kinds of detriment: {', '.join(unknown)}")
    today = clock.today()
    link = ReporterLink.objects.filter(report=report).first()
    with transaction.atomic():
        if link is not None:
            alert = RetaliationAlert.objects.select_for_update().filter(person_id=link.person_id,
                                                                        status=AlertStatus.OPEN).first()
        else:
            alert = RetaliationAlert.objects.select_for_update().filter(report=report, person__isnull=True,
                                                                        status=AlertStatus.OPEN).first()
        if alert is None:
            alert = RetaliationAlert.objects.create(person_id=link.person_id if link else None, report=report,
                                                    opened_on=today, opened_by=who, spoke_up_on=report.received_on,
                                                    reported_by_person=True)
            record(actor, "safeguarding.alert.open", alert, reason="retaliation reported by the reporter")
        elif not alert.reported_by_person:
            alert.reported_by_person = True
            alert.save(update_fields=["reported_by_person"])
        claim = RetaliationClaim.objects.create(alert=alert, report=report, text_ct=text_ct, kinds=list(kinds),
                                                received_on=today)
        record(actor, "safeguarding.alert.claim", alert, reason=f"claim {claim.public_id}")
    return alert


def do_close_alert(*, actor, alert: RetaliationAlert, note: str) -> RetaliationAlert:
    who = require_role(actor, ALERT_CLOSERS, "close a retaliation alert").label
    if not note.strip():
        raise ValidationError("say what was done about it")
    with transaction.atomic():
        if alert.status == AlertStatus.OPEN:
            alert.status, alert.closed_on, alert.closed_by = AlertStatus.CLOSED, clock.today(), who
            alert.closing_note = note.strip()
            alert.save(update_fields=["status", "closed_on", "closed_by", "closing_note"])
            record(actor, "safeguarding.alert.close", alert, reason=note.strip())
    return alert


@dataclass
class UnitRate:
    unit: str
    people: int
    detriments: int
    exposure_years: float
    peer_detriments: int
    peer_exposure_years: float

    @property
    def rate(self) -> float:
        return self.detriments / self.exposure_years if self.exposure_years else 0.0

    @property
    def peer_rate(self) -> float:
        return self.peer_detriments / self.peer_exposure_years if self.peer_exposure_years else 0.0

    @property
    def ratio(self) -> float | None:
        return self.rate / self.peer_rate if self.peer_rate else None

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "people": self.people, "detriments": self.detriments,
                "exposure_years": round(self.exposure_years, 2), "peer_detriments": self.peer_detriments,
                "peer_exposure_years": round(self.peer_exposure_years, 2), "rate": round(self.rate, 4),
                "peer_rate": round(self.peer_rate, 4), "ratio": round(self.ratio, 3) if self.ratio is not None else None}


def detriment_rates_by_unit(result: Result) -> list[UnitRate]:
    """Detriments per person-year after speaking up, against their matched peers' over the same windows, by the
    unit they were in when they spoke up; the force as a whole first."""
    names = dict(Unit.objects.values_list("pk", "name"))
    by_unit: dict[int, list[Evaluation]] = defaultdict(list)
    for e in result.evaluations:
        by_unit[e.unit_id].append(e)

    def row(label: str, group: list[Evaluation]) -> UnitRate:
        return UnitRate(label, len(group), sum(e.observed_total for e in group), sum(e.exposure_years for e in group),
                        sum(e.peer_events for e in group), sum(e.peer_exposure_years for e in group))

    rows = [row(names.get(u, str(u)), group) for u, group in by_unit.items()]
    rows.sort(key=lambda r: (-(r.ratio or 0), r.unit))
    return [row("Whole force", result.evaluations), *rows]
