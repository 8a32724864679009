"""Where the case workflow hands over to an app above it, without importing it (docs/architecture.md: a lower layer
never imports a higher one; safeguarding sits above cases and imports it).

`check_separation` is called whenever an allegation's subject becomes known: when an allegation is recorded with
its subject, and when a subject mention is linked to the roster (cases/linking.py), by a handler or by subject
resolution. Safeguarding connects its check to `separation_needed` at start-up (SafeguardingConfig.ready).

Fail closed: with nothing connected the call raises rather than skipping the check, so a deployment that somehow
left safeguarding out cannot record allegations with nobody checking whether the victim works beside the subject.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# Sent with keyword arguments actor, case and allegation (None: every allegation of the case).
separation_needed = Signal()


def check_separation(*, actor, case, allegation=None) -> None:
    """Ask for the separation check, inside the caller's transaction (the receiver writes its own audit events)."""
    if not separation_needed.has_listeners():
        raise ImproperlyConfigured("No separation check is connected: upstander.safeguarding must be installed.")
    separation_needed.send(sender=type(case), actor=actor, case=case, allegation=allegation)
