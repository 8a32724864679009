"""Protection of the people who spoke up: separation tasks, supporting witnesses and victims, retaliation alerts.

Everything here names a member of staff who reported, supported a report or was harmed, so it is shown to the
independent overseer only (DESIGN.md), never to the force's management line.
"""

from __future__ import annotations

import uuid

from django.db import models


class PartyRole(models.TextChoices):
    VICTIM = "victim", "Victim (when someone else reported)"
    SUPPORTING_WITNESS = "supporting_witness", "Witness who supported the report"


class ProtectedParty(models.Model):
    """A member of staff on a case who needs protection besides the reporter (whose link is cases.ReporterLink):
    the victim, when someone else reported, and colleagues who supported the report as witnesses."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=24, choices=PartyRole.choices)
    since = models.DateField()  # when they came forward: retaliation is watched from this day
    recorded_by = models.CharField(max_length=150)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="one_party_role_per_case")]


class Risk(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Plan(models.TextChoices):
    MOVE_SUBJECT = "move_subject", "Move the subject to another team"
    RESTRICT_SUBJECT = "restrict_subject", "Restrict the subject's duties and contact"
    SUSPEND_SUBJECT = "suspend_subject", "Suspend the subject"
    MOVE_VICTIM = "move_victim", "Move the victim (only with their recorded consent)"


class SafeguardingTask(models.Model):
    """A victim or reporter who shares a team, shift, line manager or location with the subject of a separation
    allegation. Its deadline is derived from `opened_on`, the risk and policy/safeguarding.toml, never stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    allegation = models.ForeignKey("cases.Allegation", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")  # the one protected
    person_role = models.CharField(max_length=16)  # "reporter" or "victim"
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    shared = models.JSONField(default=list)  # what they shared when the check ran: team, shift, line_manager, …
    risk = models.CharField(max_length=8, choices=Risk.choices)
    assessment = models.JSONField(default=dict)  # the risk assessment: factors, category, reasons
    plan = models.CharField(max_length=24, choices=Plan.choices)
    plan_reasons = models.TextField(blank=True)
    opened_on = models.DateField()
    opened_by = models.CharField(max_length=150)
    victim_consents_to_move = models.BooleanField(null=True)  # None: not asked or not recorded
    consent_recorded_on = models.DateField(null=True, blank=True)
    consent_recorded_by = models.CharField(max_length=150, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    resolution = models.TextField(blank=True)
    together_by_choice = models.BooleanField(default=False)  # resolved with them still together, at the victim's wish

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "subject"], name="one_task_per_pair")]
        indexes = [models.Index(fields=["resolved_on", "opened_on"])]


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RetaliationAlert(models.Model):
    """Detriment after speaking up, raised to the overseer by monitoring (an excess over matched peers, or a
    counter-allegation by the subject of their report) or by the reporter's own report of retaliation.
    One open alert per person: new evidence and new reports join it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # An anonymous reporter without a roster link can still report retaliation: the alert then hangs on the report.
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    opened_on = models.DateField()
    opened_by = models.CharField(max_length=150)
    spoke_up_on = models.DateField(null=True, blank=True)  # their first report or supporting statement
    # The latest monitoring figures (empty while the alert rests only on the reporter's own account).
    evaluated_on = models.DateField(null=True, blank=True)
    observed = models.PositiveIntegerField(null=True, blank=True)
    expected = models.FloatField(null=True, blank=True)
    peers = models.PositiveIntegerField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=dict)
    raised_by_monitoring = models.BooleanField(default=False)
    reported_by_person = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="open", person__isnull=False),
                                    name="one_open_alert_per_person"),
        ]
        indexes = [models.Index(fields=["status", "opened_on"])]


class RetaliationClaim(models.Model):
    """A reporter's own account of retaliation, from the portal. The text is ciphertext under the report's data
    key (the intake side encrypts it); only the day it arrived is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alert = models.ForeignKey(RetaliationAlert, on_delete=models.CASCADE, related_name="claims")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    text_ct = models.BinaryField(null=True)
    kinds = models.JSONField(default=list)  # what the reporter says happened, as detriment kinds, if they chose any
    received_on = models.DateField()


class MonitoringRun(models.Model):
    """The aggregate of one monitoring run (detriment rates of those who spoke up against their peers, by unit), so
    the overseer's page reads it instead of recomputing the whole force. One row per as-of day."""

    as_of = models.DateField(unique=True)
    evaluated = models.PositiveIntegerField()
    flagged = models.PositiveIntegerField()
    too_few_peers = models.PositiveIntegerField()
    rates = models.JSONField(default=list)  # UnitRate rows, the whole force first
