"""What the staff report page needs from the case side in plain words: the days a reporter told us they have suffered
retaliation since reporting (a reporter's request of that kind), so the page marks it as such, not as any message."""

from __future__ import annotations

from datetime import date

from django import template

from upstander.cases.case_page import RETALIATION

register = template.Library()


@register.simple_tag
def retaliation_days(report) -> list[date]:
    """The days, oldest first, the reporter of `report` said they have suffered retaliation since reporting."""
    return sorted(set(report.reporter_requests.filter(kind=RETALIATION).values_list("made_on", flat=True)))
