"""Vocabularies of reports and cases. Stages, clocks and referral rules themselves are policy (policy/*.toml)."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    ONLINE = "online", "Online form"
    COLLEAGUE = "colleague", "Raised by a colleague"
    PUBLIC_COMPLAINT = "public_complaint", "Public complaint"
    LISTENING_CIRCLE = "listening_circle", "Listening circle"
    PHONE = "phone", "Telephone"
    REFERRAL = "referral", "Internal referral"


class ReportingMode(models.TextChoices):
    NAMED = "named", "Named"
    CONFIDENTIAL = "confidential", "Confidential"
    ANONYMOUS = "anonymous", "Anonymous"


class Route(models.TextChoices):
    FORCE = "force", "Professional standards"
    INDEPENDENT = "independent", "Independent route (overseer only)"


class ReporterType(models.TextChoices):
    PUBLIC = "public", "Member of the public"
    STAFF = "staff", "Police officer or staff"


class ReporterRole(models.TextChoices):
    VICTIM = "victim", "The person it happened to"
    WITNESS = "witness", "A witness"
    THIRD_PARTY = "third_party", "Someone who was told about it"


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


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "from_reporter", "From the reporter"
    TO_REPORTER = "to_reporter", "To the reporter"


class LinkStatus(models.TextChoices):
    UNRESOLVED = "unresolved", "Not yet linked"
    SUGGESTED = "suggested", "Suggested, awaiting a handler"
    LINKED = "linked", "Linked automatically"
    CONFIRMED = "confirmed", "Confirmed by a handler"
    REJECTED = "rejected", "No match in the roster"


# A mention's `person` is a firm link only in these states; a SUGGESTED mention carries its candidate there.
FIRM_LINKS = (LinkStatus.LINKED, LinkStatus.CONFIRMED)
