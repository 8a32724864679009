"""The one email a reporter can receive: a named reporter who opted in is told "there is an update" — nothing about
the report, not even which one, so a mailbox someone else reads gives nothing away.

The address is the one in the named reporter's identity, under the report's data key: the staff action that
makes the update (a reply, cases/report_actions.py) holds that key, opened with the organisation key in the staff
member's session, and sends the email after its transaction commits. Nothing the server holds by itself opens the
address, so a copy of the data directory (database and key files) does not reveal it.
"""

from __future__ import annotations

from django.core.mail import send_mail

from upstander.lib import crypto
from upstander.reports import sealing
from upstander.reports.choices import ReportingMode
from upstander.reports.models import Report

SUBJECT = "There is an update"
BODY = ("There is an update on the report you made. To read it, go to the reporting site, choose "
        "“Return to a report” and enter your receipt.\n")


def update_address(report: Report, data_key: bytes) -> str:
    """The named reporter's address, if they asked to be told of updates; "" otherwise."""
    if not report.wants_update_email or report.mode != ReportingMode.NAMED:
        return ""
    try:
        identity = sealing.decrypt_identity(data_key, report) or {}
    except crypto.CryptoError:
        return ""
    return str(identity.get("email", "")).strip()


def notify_update(report: Report, data_key: bytes) -> bool:
    address = update_address(report, data_key)
    if not address:
        return False
    send_mail(SUBJECT, BODY, None, [address], fail_silently=True)
    return True
