"""Publishing a signed report from the web: the command line's own publish.write_report (disclosure control, charts,
HTML and PDF, data files, the manifest signed with the force's key), run in the background so the page can show how
far it has got.

`do_request_report` is the action (DESIGN.md rule 1): the analyst's role is checked, the request and its audit event
are written in one transaction, and the work starts once that transaction commits. The work (`run_report`) ends in
`insight.report.publish` or `insight.report.fail`, each audited in the transaction that records it. Marking each step
as it begins (`step`, `progressed_at`) is bookkeeping of the audited request, shown to the analyst, and not audited.

Why a thread, not the request itself: a report takes 10–25 s on a large dataset (docs/benchmarks.md), close to a web
worker's time limit, and the analyst should see it move. A thread in the web process needs no queue or broker
(DESIGN.md: none until a measured need). If that process stops part-way, the record stops moving: after
STALLED_AFTER it reads as stopped, its half-made folder is never offered, and a new request is allowed. One report is
made at a time: each holds a few hundred MiB while it works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.db.models import QuerySet

from upstander.accounts.models import Role
from upstander.accounts.permissions import require_role
from upstander.audit.log import record
from upstander.insight import explain
from upstander.insight.datasets import load
from upstander.insight.errors import DatasetError
from upstander.insight.models import PublishedReport, ReportStatus
from upstander.insight.publish import MANIFEST, write_report
from upstander.insight.publish import STEPS as WRITE_STEPS
from upstander.lib import clock

logger = logging.getLogger(__name__)

# Who may publish: the force's analysts. The overseer reads and checks published reports and countersigns with its
# own key elsewhere; it does not sign as the force.
PUBLISHERS: frozenset[str] = frozenset({Role.ANALYST})
STALLED_AFTER = dt.timedelta(minutes=10)
STEPS = ("Reading the data", "Working out the figures", "Drawing the charts and writing the data files",
         "Writing the report and its PDF", "Signing it with the force's key")
_STEP_NUMBER = {name: number for number, name in enumerate(WRITE_STEPS, start=2)}
FAILED_UNEXPECTEDLY = ("Something went wrong while making the report, and nothing was published. Try again; if it "
                       "happens again, tell your administrator when it happened.")


class PublishRefused(Exception):
    """A request that cannot be taken now; the message says why in plain words."""


def published_root() -> Path:
    return Path(settings.DATA_DIR) / "published"


def folder_of(report: PublishedReport) -> Path:
    return published_root() / str(report.public_id)


def stalled(report: PublishedReport, now: dt.datetime | None = None) -> bool:
    """Waiting or working, but not moved on for STALLED_AFTER: the process making it has stopped."""
    moving = report.status in (ReportStatus.WAITING, ReportStatus.WORKING)
    return moving and report.progressed_at < (now or clock.now()) - STALLED_AFTER


def in_progress(now: dt.datetime) -> QuerySet[PublishedReport]:
    return PublishedReport.objects.filter(status__in=[ReportStatus.WAITING, ReportStatus.WORKING],
                                          progressed_at__gte=now - STALLED_AFTER)


def do_request_report(*, actor, dataset: str, date_from: dt.date | None, date_to: dt.date | None,
                      source: str) -> PublishedReport:
    """Ask for a signed report of `dataset` in the window; it is made in the background (see the module's note)."""
    require_role(actor, PUBLISHERS, "publish a report")
    now = clock.now()
    with transaction.atomic():
        busy = in_progress(now).select_related("requested_by").first()
        if busy is not None:
            raise PublishRefused(f"A report is being made already (asked for by "
                                 f"{busy.requested_by.get_full_name() or busy.requested_by.username} at "
                                 f"{busy.requested_at.astimezone(clock.zone()):%H:%M}). Wait for it to finish, then try "
                                 f"again.")
        report = PublishedReport.objects.create(dataset=dataset, date_from=date_from, date_to=date_to, source=source,
                                                requested_by=actor, requested_at=now, progressed_at=now)
        record(actor, "insight.report.request", report,
               reason=f"{explain.dataset_words(dataset)}, complaints {explain.window_words(date_from, date_to)}, "
                      f"{explain.source_words(source)}")
        transaction.on_commit(lambda: _start(report))
    return report


# --- the work -------------------------------------------------------------------------------------------------------

_RUNNING: dict[str, threading.Thread] = {}


def _start(report: PublishedReport) -> None:
    thread = threading.Thread(target=_in_thread, args=(report.pk,), name=f"publish-report-{report.pk}", daemon=True)
    _RUNNING[str(report.public_id)] = thread
    thread.start()


def _in_thread(pk: int) -> None:
    try:
        run_report(pk)
    finally:
        connections.close_all()  # this thread's own connections


def wait(public_id: str, timeout: float) -> bool:
    """Wait up to `timeout` seconds for the work on a report started by this process to end; True if it has (or
    none was started here). For tests and tools that must not read the record while it is being written."""
    thread = _RUNNING.get(str(public_id))
    if thread is not None:
        thread.join(timeout)
        if thread.is_alive():
            return False
        _RUNNING.pop(str(public_id), None)
    return True


def run_report(pk: int) -> None:
    """Make, sign and record one requested report. Every outcome is recorded and audited, none raised."""
    report = PublishedReport.objects.select_related("requested_by").get(pk=pk)
    actor = report.requested_by
    try:
        require_role(actor, PUBLISHERS, "publish a report")  # the role may have changed since the request
        _mark(report, 1)
        data = load(report.dataset, report.date_from, report.date_to, report.source)
        summary = write_report(data, folder_of(report), progress=lambda step: _mark(report, _STEP_NUMBER[step]))
    except DatasetError as exc:
        _fail(report, explain.plain_error(str(exc)))
    except PermissionDenied:
        _fail(report, "The person who asked for this report may no longer publish reports.")
    except Exception:
        logger.exception("publishing report %s failed", report.public_id)
        _fail(report, FAILED_UNEXPECTEDLY)
    else:
        _finish(report, summary)


def _mark(report: PublishedReport, step: int) -> None:
    PublishedReport.objects.filter(pk=report.pk).update(status=ReportStatus.WORKING, step=step,
                                                        progressed_at=clock.now())


def _finish(report: PublishedReport, summary: dict[str, Any]) -> None:
    body = (folder_of(report) / MANIFEST).read_bytes()
    manifest = json.loads(body)
    now = clock.now()
    report.status, report.step, report.finished_at, report.progressed_at = ReportStatus.PUBLISHED, len(STEPS), now, now
    report.files = summary["files"]
    report.manifest_sha256 = hashlib.sha256(body).hexdigest()
    report.key_sha256 = manifest["signature"]["public_key_sha256"]
    with transaction.atomic():
        report.save(update_fields=["status", "step", "finished_at", "progressed_at", "files", "manifest_sha256",
                                   "key_sha256"])
        record(report.requested_by, "insight.report.publish", report,
               reason=f"{report.files} files signed with the force's key; manifest SHA-256 {report.manifest_sha256}")


def _fail(report: PublishedReport, problem: str) -> None:
    now = clock.now()
    report.status, report.problem, report.finished_at, report.progressed_at = ReportStatus.FAILED, problem, now, now
    with transaction.atomic():
        report.save(update_fields=["status", "problem", "finished_at", "progressed_at"])
        record(report.requested_by, "insight.report.fail", report, reason=problem)
