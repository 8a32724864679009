"""What the case workflow does when the reports core tells it something (reports/hooks.py), connected in
CasesConfig.ready(): the reporter side never imports the case workflow.

- A report arrived: the safety net screens its narrative while the plain text exists (triage.do_screen_narrative).
- The reporter's timeline asks for the deadlines the case workflow computes: the report's case's clocks, or, before
  it is a case, the clocks that run from the report's arrival alone.
"""

from __future__ import annotations

from datetime import date

from django.dispatch import receiver

from upstander.cases import clocks
from upstander.cases.triage import do_screen_narrative
from upstander.reports import hooks
from upstander.reports.models import Report


@receiver(hooks.report_received, dispatch_uid="cases.screen_new_report")
def screen_new_report(sender, *, report: Report, narrative: str, actor, **kwargs) -> None:
    do_screen_narrative(actor=actor, report=report, narrative=narrative)


def report_clocks(report: Report, today: date) -> list[clocks.Clock]:
    if report.case_id is not None:
        return clocks.clocks_for(report.case, on=today)
    return clocks.compute(clocks.Facts(received_on=report.received_on, came_to_attention_on=report.received_on), today)


hooks.provide_case_clocks(report_clocks)
