"""Receipt guessing is throttled by a global budget, without any address or agent."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from upstander.audit.models import AuditEvent
from upstander.lib import clock
from upstander.reports import throttle
from upstander.reports.models import ReceiptFailureWindow
from upstander.testing.journeys import come_back


def _wrong(receipt: str) -> str:
    words = receipt.split()
    return " ".join(words[1:] + words[:1])


def test_guessing_at_speed_is_throttled_for_everyone_until_the_window_ends(reporter, settings):
    settings.INTAKE_RECEIPT_ATTEMPTS_PER_WINDOW = 3
    receipt = reporter().receipt
    for _ in range(3):
        assert come_back(Client(), _wrong(receipt)).status_code == 400
    refused = come_back(Client(), receipt)  # even the right receipt waits: the budget is global
    assert refused.status_code == 429 and "Please wait a few minutes" in refused.content.decode()
    assert AuditEvent.objects.filter(action="receipt.budget_spent").count() == 1
    come_back(Client(), receipt)
    assert AuditEvent.objects.filter(action="receipt.budget_spent").count() == 1  # once per window, not per guess

    ReceiptFailureWindow.objects.update(window_start=throttle.window_start() - timedelta(minutes=10))
    assert come_back(Client(), receipt).status_code == 302


def test_a_correct_receipt_and_a_typing_mistake_cost_nothing(reporter, settings):
    settings.INTAKE_RECEIPT_ATTEMPTS_PER_WINDOW = 2
    receipt = reporter().receipt
    for _ in range(3):
        assert come_back(Client(), receipt).status_code == 302
        assert come_back(Client(), receipt + " extra").status_code == 400  # eight words: cannot be a receipt
    assert not ReceiptFailureWindow.objects.exists()  # a window with no failed attempt is not kept


def test_a_reporter_who_comes_back_leaves_no_row_saying_when(reporter):
    """The leak: after a successful return, the throttle kept a row whose start named the ten minutes in which
    someone used a receipt — a time of day on a reporter path."""
    receipt = reporter().receipt
    assert come_back(Client(), receipt).status_code == 302
    assert not ReceiptFailureWindow.objects.exists()


def test_windows_are_fixed_and_coarse(db):
    moment = clock.now().replace(hour=10, minute=17, second=42, microsecond=5)
    assert throttle.window_start(moment) == moment.replace(minute=10, second=0, microsecond=0)
    first = throttle.charge(moment)
    assert first.allowed and first.retry_after == moment.replace(minute=20, second=0, microsecond=0)
    throttle.charge(moment + timedelta(minutes=10))
    assert list(ReceiptFailureWindow.objects.values_list("window_start", flat=True)) == [
        moment.replace(minute=20, second=0, microsecond=0)]  # older windows are not kept
