"""Where the roster hands over to an app above it, without importing it (docs/architecture.md: people sits below
cases and never imports it).

`announce_leavers` is called whenever people are recorded as having left: by `do_record_leaving` and by a roster
import that brings leaving dates. The case workflow connects to `people_left` at start-up (CasesConfig.ready) so
that a leaver's open cases continue as former-officer cases.

Fail closed: with nothing connected the call raises rather than letting a subject's resignation quietly end the
cases against them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# Sent with keyword arguments actor and numbers (the roster numbers of the people who left).
people_left = Signal()


def announce_leavers(*, actor, numbers: Sequence[str]) -> None:
    """Tell the apps above that these people left, inside the caller's transaction."""
    if not numbers:
        return
    if not people_left.has_listeners():
        raise ImproperlyConfigured("Nothing continues the cases of leavers: upstander.cases must be installed.")
    people_left.send(sender=None, actor=actor, numbers=list(numbers))
