"""Throttling receipt guesses without knowing who is guessing.

We may not store or use IP addresses on reporter paths (DESIGN.md rule 6), and returning must work with JavaScript
off, so neither per-address limits nor proof of work in the browser are available. Instead there is one global
budget: at most `INTAKE_RECEIPT_ATTEMPTS_PER_WINDOW` receipt attempts that run Argon2id per fixed window of
`INTAKE_RECEIPT_WINDOW_MINUTES`, counted in the database so that every app process shares it.

Why this is enough: a receipt has 90 bits, so even unthrottled online guessing is hopeless; the budget bounds the
guessing rate and, as importantly, the Argon2id memory and CPU an attacker can make the server spend. An attempt is
charged before the key derivation runs (so concurrent guesses cannot overshoot) and refunded when it succeeds, so
only failures use the budget. Typing mistakes that cannot be a receipt (wrong word count, a word not on the list)
are refused before any of this and cost nothing.

The price: someone who spends the budget pauses returning for everybody until the window ends. Nothing is lost —
reports, messages and deadlines are unaffected — and the page says when to try again. An operator can raise the
budget; a deployment that needs more can add proof of work for JavaScript-enabled browsers on top.

What is stored: the start of the current window and a count of failed attempts (a window with none is deleted).
No address, no agent, no link to any report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from upstander.audit.log import Actor, record
from upstander.lib import clock
from upstander.reports.models import ReceiptFailureWindow

DEFAULT_WINDOW_MINUTES = 10
DEFAULT_ATTEMPTS_PER_WINDOW = 60


def window_minutes() -> int:
    return int(getattr(settings, "INTAKE_RECEIPT_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES))


def budget() -> int:
    return int(getattr(settings, "INTAKE_RECEIPT_ATTEMPTS_PER_WINDOW", DEFAULT_ATTEMPTS_PER_WINDOW))


def window_start(now: datetime | None = None) -> datetime:
    now = now or clock.now()
    minutes = window_minutes()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = int((now - midnight).total_seconds() // 60)
    return midnight + timedelta(minutes=elapsed - elapsed % minutes)


@dataclass(frozen=True)
class Charge:
    allowed: bool
    window: datetime
    retry_after: datetime


def charge(now: datetime | None = None) -> Charge:
    """Take one attempt from the current window's budget; allowed=False when it is spent."""
    start = window_start(now)
    retry_after = start + timedelta(minutes=window_minutes())
    with transaction.atomic():
        ReceiptFailureWindow.objects.filter(window_start__lt=start).delete()
        # Locked, so a refund cannot delete the window between this read and the increment below.
        row = ReceiptFailureWindow.objects.select_for_update().filter(window_start=start).first()
        if row is None:
            row, _ = ReceiptFailureWindow.objects.get_or_create(window_start=start)
        if row.attempts >= budget():
            if row.attempts == budget():
                # Audited once per spent window (as a reporter-side event: the day only), not once per guess.
                ReceiptFailureWindow.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
                record(Actor.reporter(), "receipt.budget_spent", object_type="reports.receiptfailurewindow",
                       object_id="global", reason=f"{budget()} receipt attempts in {window_minutes()} minutes")
            return Charge(False, start, retry_after)
        ReceiptFailureWindow.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    return Charge(True, start, retry_after)


def refund(charged: Charge) -> None:
    """A correct receipt does not count against the budget. A window left with no attempt is deleted, so a reporter
    who came back leaves no row saying in which ten minutes they did (DESIGN.md rule 6)."""
    with transaction.atomic():
        windows = ReceiptFailureWindow.objects.filter(window_start=charged.window)
        windows.filter(attempts__gt=0).update(attempts=F("attempts") - 1)
        windows.filter(attempts=0).delete()
