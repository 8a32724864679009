"""Vocabularies of a report: how it came in, how the reporter chose to be known, where it goes, its messages, files,
requests and the subjects it names. Case vocabularies (severity, outcome, …) are in cases/choices.py."""

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


class FileKind(models.TextChoices):
    IMAGE = "image", "Image"
    PDF = "pdf", "PDF document"
    OFFICE = "office", "Office document"
    TEXT = "text", "Text"
    AUDIO_VIDEO = "media", "Audio or video"
    UNSAFE = "unsafe", "Web page or drawing (download only)"
    OTHER = "other", "Other file (download only)"


class RequestKind(models.TextChoices):
    INFORMATION = "information", "More information"
    RETALIATION = "retaliation", "Retaliation since the report"
    REVIEW = "review", "Application for a review of the outcome"


class Consent(models.TextChoices):
    CASE_TEAM = "case_team", "They agree to it going to the case team"
    RECORD_ONLY = "record_only", "Record it only for now: ask them before anyone acts on it"
