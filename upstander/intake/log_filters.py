"""No reporter path in the logs (DESIGN.md rule 6, issue 11).

Django logs refused requests itself: `django.security.csrf` ("Forbidden (CSRF cookie not set.): /report/...") and
`django.security.DisallowedHost` warnings, and `django.request` 4xx warnings and 5xx errors, each naming the path
(and a DisallowedHost the host the client sent). On a shared log, a line with a `/report/` path at a time of day
says that someone used the reporting channel then. This filter, on the project's log handler, drops every such
record for a reporter path (a DisallowedHost included, although Django logs it as an error); only a server error
(django.request, 5xx) keeps a line that says a reporter-side request failed, and its traceback, without the path,
so an operator still sees that something broke.
"""

from __future__ import annotations

import logging

REPORTER_PREFIX = "/report/"


def _path(record: logging.LogRecord) -> str:
    request = getattr(record, "request", None)
    path = getattr(request, "path", "") or ""
    if not path and record.name.startswith(("django.security", "django.request")):
        # Some of Django's records carry the path only in their arguments ("Not Found: %s", path).
        path = next((a for a in (record.args or ()) if isinstance(a, str) and a.startswith("/")), "")
    return path


class DropReporterPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not _path(record).startswith(REPORTER_PREFIX):
            return True
        if not record.name.startswith("django.request") or record.levelno < logging.ERROR:
            return False
        record.msg = "A request on the reporter side failed (status %s); its path is not logged."
        record.args = (getattr(record, "status_code", "unknown"),)
        record.request = None  # type: ignore[attr-defined]
        return True
