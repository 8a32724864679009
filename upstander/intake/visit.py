"""A returning reporter's visit: after the receipt is accepted, the report's id and data key travel in a cookie,
encrypted under a key the server holds for this purpose alone (reports/sealing.encrypt_visit), so nothing about the
visit is stored on the server (no session row, no time).
The cookie is a session cookie that also carries its own expiry (VISIT_IDLE after the last page), and is renewed
on every page; "Leave" deletes it, and closing the browser forgets it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from upstander.lib import clock, crypto
from upstander.reports import sealing
from upstander.reports.models import Report

COOKIE = "upstander_visit"
VISIT_IDLE_SECONDS = 30 * 60


@dataclass
class Visit:
    report: Report
    data_key: bytes


def set_cookie(response: HttpResponse, report: Report, data_key: bytes) -> None:
    payload = json.dumps({"r": str(report.public_id), "k": crypto.b64(data_key),
                          "e": int(clock.now().timestamp()) + VISIT_IDLE_SECONDS}).encode()
    response.set_cookie(COOKIE, crypto.b64(sealing.encrypt_visit(payload)), httponly=True,
                        samesite="Strict", secure=settings.TLS, path="/report/")


def clear_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path="/report/", samesite="Strict")


def load(request: HttpRequest) -> Visit | None:
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        payload = json.loads(sealing.decrypt_visit(crypto.unb64(raw)))
        if int(payload["e"]) < clock.now().timestamp():
            return None
        report = Report.objects.filter(public_id=UUID(payload["r"]), purged_on__isnull=True).first()
        data_key = crypto.unb64(payload["k"])
    except (crypto.CryptoError, ValueError, KeyError, TypeError):
        return None
    if report is None:
        return None
    try:
        sealing.check_data_key(report, data_key)
    except sealing.KeyUnavailable:
        return None
    return Visit(report, data_key)
