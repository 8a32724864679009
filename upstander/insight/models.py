"""Reports published from the web. Everything else in insight is analysis over columnar snapshots, not rows.

A PublishedReport is the record of one signed report: who asked for it and for which dataset and window, how far the
work has got while it runs (so the page can show progress), and, once done, what was signed and with which key. The
report's files are under DATA_DIR/published/<public_id>/ in publish.write_report's layout; the record never holds a
figure, so it needs no disclosure control of its own.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ReportStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    WORKING = "working", "Being made"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Not published"


class PublishedReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.CharField(max_length=64)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, default="all")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.WAITING)
    step = models.PositiveSmallIntegerField(default=0)  # how many of publishing.STEPS have begun
    progressed_at = models.DateTimeField()  # when the work last moved on: a job that stops moving has stopped
    finished_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(blank=True)  # in plain words, when it was not published
    files = models.PositiveIntegerField(default=0)
    manifest_sha256 = models.CharField(max_length=64, blank=True)
    key_sha256 = models.CharField(max_length=64, blank=True)  # SHA-256 of the public key whose private half signed

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"report of {self.dataset} requested {self.requested_at:%Y-%m-%d %H:%M}"
