"""Key custody, break-glass opening of sealed identities, and legal holds.

Who recovered or lost access is not kept here: those events live only in the audit log (actions `custody.*`), which
is what the overseer's custody page reads, so the record of them is tamper-evident.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class EnrolmentInvitation(models.Model):
    """A member who holds the organisation key hands it to one named newcomer.

    The key is wrapped under a key derived (Argon2id) from a one-time secret that is shown once to the granting
    member and never stored; only its SHA-256 digest is kept, to find the invitation. The newcomer, signed in,
    types the secret and chooses their own password: the key is then re-wrapped under that password (a KeyGrant)
    and the wrapped copy here is erased. An administrator can create accounts but holds no key, so cannot invite.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    salt = models.BinaryField()
    wrapped_key = models.BinaryField(null=True)  # erased once accepted, cancelled or expired
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "accepted_at"])]

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and self.wrapped_key is not None


class DisclosureStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a second person's approval"
    APPROVED = "approved", "Approved: the custodian may open it"
    REFUSED = "refused", "Refused"
    OPENED = "opened", "Opened"


class DisclosureRequest(models.Model):
    """A custodian's request to open one confidential reporter's sealed identity, with the reason they gave.
    Single use: once opened, seeing the identity again takes a new request."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField()
    needs_approval = models.BooleanField()
    status = models.CharField(max_length=16, choices=DisclosureStatus.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["status", "requested_at"])]


class IdentityDisclosure(models.Model):
    """One opening of a sealed identity. The reporter's timeline shows it ("opened by an identity custodian on …,
    for …"), the overseer sees every one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey("reports.Report", on_delete=models.PROTECT, related_name="identity_disclosures")
    request = models.OneToOneField(DisclosureRequest, on_delete=models.PROTECT, related_name="disclosure")
    opened_on = models.DateField()
    reason = models.TextField()
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["opened_on", "id"]


class LegalHold(models.Model):
    """Why a case's content is kept past retention. Case.legal_hold is true while one of these is unlifted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case"], condition=models.Q(lifted_at__isnull=True),
                                               name="one_live_hold_per_case")]
