"""A published report's page — its progress while it is being made (the page refreshes itself, so it needs no
JavaScript), then its downloads and what was signed — and the page that says how anyone checks a report. Every
lookup goes through report_access.py."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from uuid import UUID

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.permissions import ANALYST_ROLES, staff_view
from upstander.insight import explain, report_access
from upstander.insight.models import ReportStatus
from upstander.insight.publishing import STEPS, stalled

REFRESH_SECONDS = 4
DOWNLOADS = (("report.pdf", "The report (PDF)"), ("report.html", "The report as a web page (HTML)"))


@never_cache
@staff_view(ANALYST_ROLES)
@require_GET
def report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    found = report_access.report_for(request.user, public_id)
    moving = found.status in (ReportStatus.WAITING, ReportStatus.WORKING) and not stalled(found)
    check = report_access.check(found)
    return render(request, "insight/report_page.html", {
        "report": found, "moving": moving, "stalled": stalled(found), "check": check,
        "refresh_seconds": REFRESH_SECONDS,
        "steps": [{"number": n, "words": words, "done": n < found.step, "now": n == found.step}
                  for n, words in enumerate(STEPS, start=1)],
        "step_count": len(STEPS), "step_now": max(found.step, 1), "step_words": STEPS[max(found.step, 1) - 1],
        "downloads": DOWNLOADS, "fingerprint": report_access.fingerprint(found.key_sha256),
        "chosen": {"dataset": explain.dataset_words(found.dataset),
                   "window": explain.window_words(found.date_from, found.date_to),
                   "source": explain.source_words(found.source)},
    })


@staff_view(ANALYST_ROLES)
@require_GET
def report_file(request: HttpRequest, public_id: UUID, name: str) -> FileResponse:
    path = report_access.report_file_for(request.user, public_id, name)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path.open("rb"), as_attachment=True, filename=PurePosixPath(name).name, content_type=kind)


@staff_view(ANALYST_ROLES)
@require_GET
def report_zip(request: HttpRequest, public_id: UUID) -> HttpResponse:
    body, filename = report_access.report_zip_for(request.user, public_id)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_view(ANALYST_ROLES)
@require_GET
def checking(request: HttpRequest) -> HttpResponse:
    return render(request, "insight/checking.html", {"fingerprint": report_access.force_key_fingerprint()})


@staff_view(ANALYST_ROLES)
@require_GET
def signing_key(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(report_access.signing_key_for(request.user), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="force-public-signing-key.txt"'
    return response
