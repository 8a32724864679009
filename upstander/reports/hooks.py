"""How the reports core tells the staff side that something happened on the reporter side, without either side
importing the other (SecureDrop's source and journalist apps share a core the same way).

Signals are sent inside the sender's transaction, so whatever a receiver writes commits or rolls back with it.
The staff apps connect their receivers in their AppConfig.ready():

- `report_received(report, narrative, actor)`: a report arrived through a channel (reports/creation.py). The
  narrative is the plain text, which exists only now; receivers keep conclusions (a flag), never the text.
  cases screens it with the safety net.
- `reporter_request_made(report, request, message, actor)`: the reporter asked for something (more information,
  retaliation since the report, a review; reports/messages.py). safeguarding joins a retaliation account to the
  overseer's alert.

And one reader the staff side provides, because the reporter's timeline shows deadlines that only the case workflow
can compute: `provide_case_clocks(reader)`, then `case_clocks(report, today)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

report_received = Signal()
reporter_request_made = Signal()


class ClockState(Protocol):
    """One of a report's clocks as the reporter may see it: which, its state, and when it falls due."""

    @property
    def key(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def due_on(self) -> date | None: ...


ClockReader = Callable[..., Sequence[ClockState]]
_clock_reader: list[ClockReader] = []


def provide_case_clocks(reader: ClockReader) -> None:
    """Called once by the app that computes clocks (cases, in its AppConfig.ready())."""
    _clock_reader[:] = [reader]


def case_clocks(report, today: date) -> Sequence[ClockState]:
    """Every clock of the report's case (or, before it has one, of the report alone) as of `today`."""
    if not _clock_reader:
        raise ImproperlyConfigured("no installed app provides case clocks (upstander.cases is not installed)")
    return _clock_reader[0](report, today)
