"""The installation record and the scheduled jobs' last runs.

An *installation* is a database set up by `upstander migrate`, `upstander keys init` or `upstander demo`: it holds
exactly one Installation row, whose id the key files also record (installation.json beside them) and which keeps a
fingerprint of each installation key, so that every other command can refuse to run against a database that holds no
installation, and name a key that does not belong to it (docs/operations.md, "Fail closed")."""

from __future__ import annotations

import uuid

from django.db import models


class Installation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_on = models.DateField()
    demo = models.BooleanField(default=False)
    # {key name: fingerprint} (lib/crypto.key_fingerprint): which key files and secret key belong to this database.
    key_fingerprints = models.JSONField(default=dict)
    # At most one row: the unique constraint on a constant column.
    singleton = models.BooleanField(default=True, unique=True, editable=False)

    def __str__(self) -> str:
        return f"installation {self.public_id}"


class ScheduledRun(models.Model):
    """When a scheduled job (tick) last ran, for monitoring (`/metrics`). One row per job."""

    job = models.CharField(max_length=32, unique=True)
    last_run_at = models.DateTimeField()
    runs = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.job} last ran {self.last_run_at:%Y-%m-%d %H:%M}"
