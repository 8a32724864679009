"""What safeguarding does when the reports core tells it something (reports/hooks.py), connected in
SafeguardingConfig.ready(): the reporter side never imports safeguarding.

- The reporter reported retaliation since their report: their account (the message's ciphertext, under the report's
  data key, which the overseer's organisation holds too) joins the overseer's retaliation alert.
"""

from __future__ import annotations

from django.dispatch import receiver

from upstander.reports import hooks
from upstander.reports.choices import RequestKind
from upstander.safeguarding.retaliation import do_report_retaliation


@receiver(hooks.reporter_request_made, dispatch_uid="safeguarding.join_retaliation_alert")
def join_retaliation_alert(sender, *, report, request, message, actor, **kwargs) -> None:
    if request.kind == RequestKind.RETALIATION:
        do_report_retaliation(actor=actor, report=report, text_ct=bytes(message.body_ct))
