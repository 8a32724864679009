"""The hash-chained audit log. Rows are only ever appended through `upstander.audit.log.record`."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    action = models.CharField(max_length=64)
    actor = models.CharField(max_length=150)  # "user:alice", "system:tick", "reporter"
    role = models.CharField(max_length=32)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # For reporter events only the day is kept (midnight UTC): no precise timing of a reporter is stored.
    at = models.DateTimeField()
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        db_table = "audit_event"
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor"])]


class AuditCheckpoint(models.Model):
    """A signed statement "the log had N rows ending in hash H". Also written to the data dir for the overseer."""

    last_event_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    signature = models.TextField()

    class Meta:
        db_table = "audit_checkpoint"
