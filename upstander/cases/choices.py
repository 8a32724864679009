"""Vocabularies of reports and cases. Stages, clocks and referral rules themselves are policy (policy/*.toml)."""

from __future__ import annotations

from django.db import models

# A report's vocabularies are the reports core's; re-exported for the staff-side modules that import them from here.
from upstander.reports.choices import FIRM_LINKS as FIRM_LINKS
from upstander.reports.choices import Channel as Channel
from upstander.reports.choices import LinkStatus as LinkStatus
from upstander.reports.choices import MessageDirection as MessageDirection
from upstander.reports.choices import ReporterRole as ReporterRole
from upstander.reports.choices import ReporterType as ReporterType
from upstander.reports.choices import ReportingMode as ReportingMode
from upstander.reports.choices import Route as Route


class Severity(models.TextChoices):
    NO_CASE = "no_case", "No case to answer"
    PRI = "pri", "Practice requiring improvement"
    MISCONDUCT = "misconduct", "Misconduct"
    GROSS_MISCONDUCT = "gross_misconduct", "Gross misconduct"


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", "Substantiated (case to answer proven)"
    NOT_SUBSTANTIATED = "not_substantiated", "Not substantiated"
    UNFOUNDED = "unfounded", "Unfounded"
    EXONERATED = "exonerated", "Exonerated"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_FINDING = "no_finding", "No finding"


class Outcome(models.TextChoices):
    NFA = "nfa", "No further action"
    REFLECTIVE_PRACTICE = "reflective_practice", "Reflective practice"
    MANAGEMENT_ACTION = "management_action", "Management action"
    WRITTEN_WARNING = "written_warning", "Written warning"
    FINAL_WRITTEN_WARNING = "final_written_warning", "Final written warning"
    REDUCTION_IN_RANK = "reduction_in_rank", "Reduction in rank"
    DISMISSAL = "dismissal", "Dismissal"
    WOULD_HAVE_BEEN_DISMISSED = "would_have_been_dismissed", "Would have been dismissed"


SANCTIONS = {
    Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING, Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL,
    Outcome.WOULD_HAVE_BEEN_DISMISSED,
}


class AssignmentRole(models.TextChoices):
    OWNER = "owner", "Case owner"
    ASSESSOR = "assessor", "Assessor"
    INVESTIGATOR = "investigator", "Investigator"
    DECISION_MAKER = "decision_maker", "Decision-maker"
