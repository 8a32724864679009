"""Pinned recipient keys: a report is sealed only to an organisation public key whose fingerprint matches its pin.

The public keys live in the database, where a database administrator can change them; the pins live in a file
outside it (lib/keys.pins_path: keys/recipient-pins.json in the embedded default, UPSTANDER_KEY_PINS_FILE in
production). Before anything is sealed to an organisation — a report's data key, a confidential identity — its key
is checked here. A key that does not match its pin is refused, with a clear error (RecipientKeyRefused), nothing is
stored, and an alert is raised: a `keys.pin_mismatch` audit event the overseer sees, and an error in the log. It is
never sealed to the swapped key.

Pins are written when an organisation is created (accounts/setup.py, at `upstander keys init` or first use), when
its key is rotated (reports/rotation.py, audited) and, in the embedded default only, on first use by an installation
made before pins existed. In production a missing pin refuses, like a wrong one: the operator deploys the pins file
(`upstander keys status` prints the fingerprints).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.accounts.models import Organisation
from upstander.audit.log import Actor, record
from upstander.lib import crypto, keys

logger = logging.getLogger("upstander.keys")
KEYS_ACTOR = Actor.system("keys")


class RecipientKeyRefused(PermissionDenied):
    """An organisation's public key in the database is not the one pinned for it (or, in production, has no pin).
    Whatever was being sealed was not sealed, and nothing of it was stored."""

    def __init__(self, organisation: Organisation, *, found: str, pinned: str | None):
        self.organisation, self.found, self.pinned = organisation, found, pinned
        why = "has no pinned key" if pinned is None else "does not match the key pinned for it"
        super().__init__(f"Refused: the encryption key on record for {organisation.name} {why}, so nothing was "
                         "sealed to it and nothing was stored. The independent overseer has been alerted.")


def fingerprint(organisation: Organisation) -> str:
    return crypto.fingerprint(bytes(organisation.public_key))


def pin_organisation(organisation: Organisation, *, actor=KEYS_ACTOR, replace: bool = False) -> bool:
    """Pin the organisation's current public key (never changing an existing pin unless `replace`); audited."""
    changed = keys.set_pin(organisation.kind, fingerprint(organisation), replace=replace)
    if changed:
        with transaction.atomic():
            record(actor, "keys.pin", organisation, reason=f"{organisation.kind}: {fingerprint(organisation)}")
    return changed


def verified_public_key(organisation: Organisation) -> bytes:
    """The organisation's public key, once its fingerprint matches the pin. Raises RecipientKeyRefused."""
    found = fingerprint(organisation)
    try:
        pinned = keys.read_pins().get(organisation.kind)
    except keys.PinsUnreadable as exc:
        logger.error("%s", exc)
        raise RecipientKeyRefused(organisation, found=found, pinned=None) from exc
    if pinned is None and not settings.PRODUCTION:
        # An embedded installation made before pins existed: trust on first use, audited.
        pin_organisation(organisation)
        return bytes(organisation.public_key)
    if pinned is None or not crypto.constant_time_equal(pinned, found):
        raise RecipientKeyRefused(organisation, found=found, pinned=pinned)
    return bytes(organisation.public_key)


def alert(refused: RecipientKeyRefused) -> None:
    """The overseer's alert: an audit event (in its own transaction: call it after the refused one rolled back)
    and an error in the log. Names the organisation and both fingerprints, nothing about the report."""
    org = refused.organisation
    reason = (f"{org.kind}: key on record {refused.found}; pinned {refused.pinned or 'none'}. "
              "Nothing was sealed to the key on record.")
    logger.error("recipient key refused: %s", reason)
    with transaction.atomic():
        record(KEYS_ACTOR, "keys.pin_mismatch", org, reason=reason)


@contextmanager
def alerting_on_refusal() -> Iterator[None]:
    """Wrap an action's transaction: `with alerting_on_refusal(), transaction.atomic(): …`. A refusal rolls the
    transaction back (nothing is stored), then raises the alert, then propagates."""
    try:
        yield
    except RecipientKeyRefused as refused:
        alert(refused)
        raise
