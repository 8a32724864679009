"""Security headers on every response, the reporter side included; request counts for /metrics; and a friendly
failure for reporters when the database is briefly away."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from upstander.lib import requestcount

# No inline script anywhere, no third-party origins: everything is served from 'self'.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RequestMetricsMiddleware:
    """Counts finished requests for /metrics (lib/requestcount.py: nothing is counted per reporter-side request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        requestcount.count(reporter_side=request.path.startswith(REPORTER_PREFIX), status=response.status_code)
        return response


# --- a database that is briefly away, on the reporter side ---------------------------------------------------------

REPORTER_PREFIX = "/report/"
# POSTs that are safe to run again: the question pages only overwrite the draft with what was sent; the submit
# (/report/new/check) is idempotent (the draft's token makes a repeat return the receipt already issued); coming back
# with a receipt or a draft's code only reads. Uploads (their bytes are consumed) and messages (not idempotent) are
# not retried; their reporters get the page that asks them to try again. (A pattern, not the reporter side's list
# of pages: this module is below the reporter side and does not import it.)
RETRY_SAFE_POST = re.compile(r"^/report/(new/(?!files$)[a-z-]+|return)$")
DATABASE_AWAY = (OperationalError, InterfaceError)


def _retry_safe(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") or (request.method == "POST" and bool(RETRY_SAFE_POST.match(request.path)))


def _fresh_connection() -> None:
    """Drop a connection the outage broke, so the next query connects again (not inside an outer transaction)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


def _retry_view(request: HttpRequest) -> HttpResponse | None:
    """Run the view again until it succeeds or DB_RETRY_SECONDS have passed; None when the database stayed away."""
    match = request.resolver_match
    if match is None:
        return None
    deadline = time.monotonic() + settings.DB_RETRY_SECONDS
    delay = 0.25
    while time.monotonic() + delay <= deadline:
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
        _fresh_connection()
        requestcount.note("database_retries")
        try:
            return match.func(request, *match.args, **match.kwargs)
        except DATABASE_AWAY:
            continue
    return None


def database_away_page(request: HttpRequest) -> HttpResponse:
    """A plain-words 503 that says nothing was lost and offers to send the same thing again. Rendered without
    touching the database (no context processors) and never stored by the browser."""
    resend = None
    if request.method == "POST" and RETRY_SAFE_POST.match(request.path):
        resend = [(name, value) for name, values in request.POST.lists() for value in values]
    html = render_to_string("operations/database_away.html", {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL, "DEMO_MODE": settings.DEMO_MODE, "action": request.path,
        "resend": resend, "again_url": request.get_full_path() if request.method == "GET" else "",
        "submitting": request.path == "/report/new/check", "upload": request.path == "/report/new/files"})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True, private=True)
    return response


class ReporterDatabaseAwayMiddleware:
    """A reporter never sees a bare "Server Error (500)" because the database restarted: the request is retried on
    the server where that is safe, and otherwise gets a page saying nothing was lost and to press the button again.
    Staff paths are left to the usual error handling."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(REPORTER_PREFIX) or not isinstance(exception, DATABASE_AWAY):
            return None
        if _retry_safe(request):
            response = _retry_view(request)
            if response is not None:
                return response
        _fresh_connection()
        return database_away_page(request)
