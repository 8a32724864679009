"""Staff accounts, roles, organisations and the wrapped organisation keys members hold."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """DESIGN.md's persona table. Reporters have no account."""

    FACILITATOR = "facilitator", "Listening-circle facilitator"
    HANDLER = "handler", "Case handler / investigator"
    SUPERVISOR = "supervisor", "Supervisor / appropriate authority"
    CUSTODIAN = "custodian", "Identity custodian"
    OVERSEER = "overseer", "Independent overseer"
    ANALYST = "analyst", "Analyst"
    ADMIN = "admin", "Administrator"


class OrganisationKind(models.TextChoices):
    FORCE = "force", "The force's professional standards"
    OVERSEER = "overseer", "Independent overseer"
    CUSTODIANS = "custodians", "Identity custodians"
    # Listening-circle facilitators: a key that opens only the disclosures they recorded, until a case team takes
    # each one on (docs/key-custody.md). Never the force's key.
    CIRCLES = "circles", "Listening circles"


class Organisation(models.Model):
    """A holder of a decryption key: reports are sealed to organisations, never to individuals."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices, unique=True)
    public_key = models.BinaryField()
    # The organisation's private key wrapped under the recovery secret printed at set-up.
    recovery_wrapped_key = models.BinaryField()
    recovery_salt = models.BinaryField()

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    # The handling unit whose cases a handler or supervisor works (professional standards unit).
    unit = models.ForeignKey("people.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The member of staff this account belongs to, for conflict-of-interest checks.
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Set for an account an administrator created: its temporary password and authenticator are replaced by the
    # member at first sign-in (accounts/staff.py), so the administrator never knows a working pair of factors.
    must_change_password = models.BooleanField(default=False)

    @property
    def actor_label(self) -> str:
        return f"user:{self.username}"


class KeyGrant(models.Model):
    """An organisation's private key wrapped for one member, under a key derived from their password.

    Created only by a member who already holds the key (re-wrapping it), never by an administrator.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="key_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants")
    wrapped_key = models.BinaryField()
    salt = models.BinaryField()
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_live_grant_per_member"),
        ]


class ApiToken(models.Model):
    """A scoped, revocable token for a machine client (the HR feed). Only its digest is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=32)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateField(null=True, blank=True)
