"""Every lookup of a published report and its files goes through here (DESIGN.md rule 2). Published reports hold
aggregates under disclosure control and are for the analysts and the overseer (ANALYST_ROLES); anyone else is
refused, and a report or file that does not exist, or is not published, is not found. A file is served only if the
report's signed manifest lists it (or it is the manifest or a signature), never by a path the request makes up.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from upstander.accounts.permissions import ANALYST_ROLES
from upstander.audit.witness_formats import COUNTERSIGNATURE
from upstander.insight.models import PublishedReport, ReportStatus
from upstander.insight.publish import MANIFEST, SIGNATURE, countersignature, verify
from upstander.insight.publishing import STEPS, folder_of, stalled
from upstander.lib import clock, keys

SIGNATURE_FILES = (MANIFEST, SIGNATURE, COUNTERSIGNATURE)


def _require_reader(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "role", None) not in ANALYST_ROLES:
        raise PermissionDenied


def reports_for(actor) -> QuerySet[PublishedReport]:
    _require_reader(actor)
    return PublishedReport.objects.select_related("requested_by")


def report_for(actor, public_id: UUID) -> PublishedReport:
    try:
        return reports_for(actor).get(public_id=public_id)
    except PublishedReport.DoesNotExist:
        raise Http404("No such report") from None


def fingerprint(sha256_hex: str) -> str:
    """A key's readable fingerprint from the SHA-256 of its public half (as the overseer's witness writes it)."""
    return ":".join(sha256_hex[i:i + 4] for i in range(0, 32, 4))


def force_key_fingerprint() -> str:
    keys.ensure_key_files()
    return fingerprint(hashlib.sha256(keys.force_signing_public_key()).hexdigest())


@dataclass(frozen=True)
class Check:
    """A published report's signature, checked now with the force's public key (publish.verify), and the
    overseer's countersignature: "ok", "bad", "absent" or "not checked"."""

    intact: bool
    problems: list[str]
    countersigned: str
    same_key: bool


def check(report: PublishedReport) -> Check | None:
    if report.status != ReportStatus.PUBLISHED:
        return None
    keys.ensure_key_files()
    public = keys.force_signing_public_key()
    folder = folder_of(report)
    problems = verify(folder, public)
    return Check(intact=not problems, problems=problems,
                 countersigned=countersignature(folder, keys.overseer_public_key()),
                 same_key=hashlib.sha256(public).hexdigest() == report.key_sha256)


def state_words(report: PublishedReport) -> str:
    if report.status == ReportStatus.PUBLISHED:
        return "Published"
    if report.status == ReportStatus.FAILED:
        return "Not published"
    if stalled(report):
        return "Stopped before it finished"
    return f"Being made: step {max(report.step, 1)} of {len(STEPS)}"


def listed_reports(actor, limit: int = 20) -> list[tuple[PublishedReport, Check | None, str]]:
    """The latest reports, each with its signature checked now and its state in words."""
    return [(report, check(report), state_words(report)) for report in reports_for(actor)[:limit]]


def _published(actor, public_id: UUID) -> tuple[PublishedReport, Path]:
    report = report_for(actor, public_id)
    folder = folder_of(report)
    if report.status != ReportStatus.PUBLISHED or not (folder / MANIFEST).is_file():
        raise Http404("This report was not published")
    return report, folder


def _listed(folder: Path) -> list[str]:
    files = json.loads((folder / MANIFEST).read_bytes()).get("files", {})
    return sorted(files) + [name for name in SIGNATURE_FILES if (folder / name).is_file()]


def report_file_for(actor, public_id: UUID, name: str) -> Path:
    """One file of a published report, by its name in the signed manifest."""
    _, folder = _published(actor, public_id)
    if name not in _listed(folder):
        raise Http404("No such file in this report")
    path = folder / name
    if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(folder.resolve()):
        raise Http404("No such file in this report")
    return path


def download_name(report: PublishedReport) -> str:
    day = clock.local_date(report.finished_at or report.requested_at).isoformat()
    return f"figures-report-{day}-{report.dataset}"


def report_zip_for(actor, public_id: UUID) -> tuple[bytes, str]:
    """The whole published report (every file and its signatures) as one ZIP, and the name to save it under."""
    report, folder = _published(actor, public_id)
    name = download_name(report)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for listed in _listed(folder):
            path = folder / listed
            if path.is_file() and not path.is_symlink():
                archive.write(path, f"{name}/{listed}")
    return buffer.getvalue(), f"{name}.zip"


def signing_key_for(actor) -> bytes:
    """The force's public signing key, as the file readers check reports with."""
    _require_reader(actor)
    keys.ensure_key_files()
    return keys.force_signing_public_path().read_bytes()
