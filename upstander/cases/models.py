"""Cases, allegations and their history. A case is opened from reports (upstander/reports: the reports core owns
the report and everything sealed with it).

Free text (statements) is stored only as ciphertext under a report's data key (reports/sealing.py chooses the key
and context). Structured facts — dates, categories, states — stay in the clear so clocks, rules and statistics work
without keys.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from upstander.cases.choices import AssignmentRole, Finding, Outcome, Severity
from upstander.reports.choices import Route

# Reports, their sealed keys, subjects as written, the staff-reporter link and messages are the reports core's
# (upstander/reports/models.py); re-exported here for the staff-side modules that import them from cases.
from upstander.reports.models import Message as Message
from upstander.reports.models import Report as Report
from upstander.reports.models import ReporterLink as ReporterLink
from upstander.reports.models import SealedKey as SealedKey
from upstander.reports.models import SubjectMention as SubjectMention


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Human-friendly reference used in URLs; random, never the primary key.
    code = models.CharField(max_length=16, unique=True)
    handling_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases")
    handling_unit = models.ForeignKey("people.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=16, choices=Route.choices, default=Route.FORCE)
    state = models.CharField(max_length=32, default="received")  # a stage key from policy/workflow.toml
    opened_on = models.DateField()
    came_to_attention_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="owned_cases")
    main_category = models.CharField(max_length=40, blank=True)
    legal_hold = models.BooleanField(default=False)
    purged_on = models.DateField(null=True, blank=True)
    # How the assessed case is dealt with: a route key from policy/workflow.toml ("local_handling", …).
    handling_route = models.CharField(max_length=32, blank=True)
    # Derived cache, never set by hand: the earliest unmet deadline of the case's clocks (clocks.next_due), rewritten
    # by every action that adds an event and by `upstander tick`. "Overdue" is `due_on < today`, computed in the query.
    due_on = models.DateField(null=True, blank=True)
    due_clock = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["handling_org", "state"]), models.Index(fields=["opened_on"]),
            models.Index(fields=["due_on", "opened_on"]), models.Index(fields=["handling_org", "due_on", "opened_on"]),
            models.Index(fields=["owner", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.code


class Allegation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allegations")
    subject = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="allegations")
    mention = models.ForeignKey("reports.SubjectMention", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(max_length=40)
    severity = models.CharField(max_length=24, choices=Severity.choices, blank=True)
    possible_crime = models.BooleanField(default=False)
    referral_required = models.BooleanField(default=False)
    finding = models.CharField(max_length=24, choices=Finding.choices, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    barred_list_referral = models.BooleanField(default=False)
    # Mandatory-referral criteria (keys from policy/referral.toml) the assessor recorded as met.
    referral_criteria = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "category"]), models.Index(fields=["category", "case"])]


class StageEvent(models.Model):
    """A case entered a stage (or an allegation reached a milestone). Clocks are derived from these."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_events")
    allegation = models.ForeignKey(Allegation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=32)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "at"])]


class Assignment(models.Model):
    """Who holds a role on a case, from when to when. Owner handovers are counted from these rows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=16, choices=AssignmentRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    handover_reason = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)  # an overseer's recorded override of a conflict

    class Meta:
        indexes = [models.Index(fields=["case", "role"])]


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    allegation = models.ForeignKey(Allegation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    # Text, not a short varchar: a recording decision lists one severity per allegation (PostgreSQL enforces lengths).
    value = models.TextField(blank=True)
    reasons = models.TextField(blank=True)
    decided_by = models.CharField(max_length=150)
    at = models.DateTimeField()


class Statement(models.Model):
    """The victim's account, recorded once and versioned: a new owner reads it instead of asking again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statements")
    version = models.PositiveIntegerField()
    body_ct = models.BinaryField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()
    asked_again = models.BooleanField(default=False)  # the victim was asked to give the account again
    # The report whose data key the statement is encrypted under; why a new version was made.
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="statement_version")]


class Flag(models.Model):
    """The safety net found the narrative more serious than the categories chosen. Blocks the case from moving on
    until a handler resolves it with written reasons."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    flag = models.CharField(max_length=40)  # serious_sexual_offence, serious_violence, …
    categories = models.JSONField(default=list)  # the categories chosen when it was raised
    raised_at = models.DateTimeField()
    raised_by = models.CharField(max_length=150)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["case", "resolved_at"]), models.Index(fields=["report", "flag"])]

    @property
    def label(self) -> str:
        return self.flag.replace("_", " ").capitalize()


class EscalationLevel(models.TextChoices):
    SUPERVISOR = "supervisor", "Supervisor"
    OVERSEER = "overseer", "Independent overseer"


class Escalation(models.Model):
    """A clock breach raised by `upstander tick`. One row per (case, breach, level): running tick again adds none."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    clock = models.CharField(max_length=32)
    breach_key = models.CharField(max_length=80)  # clock key and the missed due date, e.g. "acknowledge:2025-03-08"
    due_on = models.DateField()
    level = models.CharField(max_length=16, choices=EscalationLevel.choices)
    raised_on = models.DateField()
    raised_by = models.CharField(max_length=150)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "breach_key", "level"], name="one_escalation_per_breach")]
        indexes = [models.Index(fields=["level", "due_on"])]


class Referral(models.Model):
    """An allegation referred to the independent body (mandatory referral, policy/referral.toml)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    allegation = models.ForeignKey(Allegation, on_delete=models.CASCADE, related_name="referrals")
    referred_on = models.DateField()
    referred_by = models.CharField(max_length=150)
    reference = models.CharField(max_length=64, blank=True)  # the independent body's reference
    criteria = models.JSONField(default=list)


class ConflictOverride(models.Model):
    """The overseer's recorded decision to allow an assignment despite a conflict of interest, with reasons."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflict_overrides")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=AssignmentRole.choices)
    conflicts = models.JSONField(default=list)  # the reasons for refusal that were overridden
    reasons = models.TextField()
    decided_by = models.CharField(max_length=150)
    at = models.DateTimeField()
