"""The overseer's way from a case or report page to the retaliation alert the reporter's own report of retaliation
joined. Safeguarding sits above cases, so the case pages ask this tag rather than importing safeguarding; anyone but
the overseer gets nothing (an alert names the staff reporter, and that one exists is the overseer's to know)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from upstander.safeguarding.access import visible_alerts

register = template.Library()


@register.simple_tag
def retaliation_alert_url(user, reports) -> str:
    """The link to the latest alert a retaliation claim from `reports` (a report or a list of them) joined ("" for
    anyone but the overseer, or when there is none)."""
    reports = list(reports) if isinstance(reports, (list, tuple)) else [reports]
    alert = visible_alerts(user).filter(claims__report__in=reports).order_by("-opened_on", "-pk").first()
    return reverse("safeguarding:alert", args=[alert.public_id]) if alert is not None else ""
