"""The one email a reporter can receive: a named reporter who opted in is told "there is an update" — nothing about
the report, not even which one, so a mailbox someone else reads gives nothing away."""

from __future__ import annotations

from django.core.mail import send_mail

from upstander.intake import sealing
from upstander.intake.reports import UPDATE_EMAIL_PURPOSE
from upstander.lib import crypto
from upstander.reports.models import Report, UpdateContact

SUBJECT = "There is an update"
BODY = ("There is an update on the report you made. To read it, go to the reporting site, choose "
        "“Return to a report” and enter your receipt.\n")


def notify_update(report: Report) -> bool:
    if not report.wants_update_email:
        return False
    contact = UpdateContact.objects.filter(report=report).first()
    if contact is None:
        return False
    try:
        address = sealing.server_decrypt(UPDATE_EMAIL_PURPOSE + str(report.public_id).encode(),
                                         bytes(contact.email_ct)).decode()
    except crypto.CryptoError:
        return False
    send_mail(SUBJECT, BODY, None, [address], fail_silently=True)
    return True
