"""Publishing a signed report from the figures page: the command line's own report, made in the background while the
page shows how far it has got, signed with the force's key so that it verifies with the real verification function;
asked for, published and failed reports are audited; only analysts publish; only analysts and the overseer read."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.db import transaction

from upstander.audit.models import AuditEvent
from upstander.insight import publishing
from upstander.insight.models import PublishedReport, ReportStatus
from upstander.insight.publish import verify
from upstander.insight.report_views import REFRESH_SECONDS
from upstander.insight.tests.test_fairness import small_dataset
from upstander.lib import clock, keys

pytestmark = [pytest.mark.django_db(transaction=True)]  # the report is made in its own thread, on its own connection
INTERNAL = re.compile(r"user:\w|system:\w|person:\w|cases\.case|\.toml|docs/|upstander \w+|run upstander")
WINDOW = {"dataset": "web-small", "date_from": "", "date_to": "", "source": "all"}


def publish(client, **window) -> PublishedReport:
    """Ask for a report and wait for it to be made. Nothing here reads the database while the report's thread
    writes: the test database is SQLite in memory, whose shared cache refuses a second connection's write rather
    than waiting for it (a file database waits, PostgreSQL does not lock)."""
    response = client.post("/insight/publish", {**WINDOW, **window})
    assert response.status_code == 302, response.content.decode()[:500]
    public_id = response["Location"].split("/")[-2]
    assert publishing.wait(public_id, timeout=240), "the report was not made within four minutes"
    return PublishedReport.objects.get(public_id=public_id)


@pytest.fixture
def analyst(staff_client):
    small_dataset("web-small")
    return staff_client("analyst")


def test_an_analyst_publishes_a_signed_report_that_verifies_with_the_forces_public_key(analyst) -> None:
    report = publish(analyst)
    assert report.status == ReportStatus.PUBLISHED, report.problem
    folder = publishing.folder_of(report)
    assert verify(folder, keys.force_signing_public_key()) == []
    page = analyst.get(f"/insight/reports/{report.public_id}/").content.decode()
    assert "Report published and signed" in page and '<meta http-equiv="refresh"' not in page
    assert "every file is exactly as signed" in page
    assert report.key_sha256 and report.key_sha256[:4] in page.replace(":", "")  # the key's fingerprint is shown
    assert "Anyone with the force's public key can check" in page
    assert INTERNAL.findall(page) == []
    listed = analyst.get("/insight/").content.decode()
    assert f"/insight/reports/{report.public_id}/" in listed and "Checks out" in listed


def test_asking_for_publishing_and_publishing_are_audited_as_the_analyst(analyst) -> None:
    report = publish(analyst)
    events = list(AuditEvent.objects.filter(object_id=str(report.public_id)).order_by("id")
                  .values_list("action", "actor"))
    assert events == [("insight.report.request", "user:analyst"), ("insight.report.publish", "user:analyst")]
    signed = AuditEvent.objects.get(action="insight.report.publish")
    assert report.manifest_sha256 in signed.reason


def test_a_published_report_downloads_for_the_analyst_and_the_overseer_only(analyst, staff_client) -> None:
    report = publish(analyst)
    base = f"/insight/reports/{report.public_id}"
    overseer = staff_client("overseer")
    for client in (analyst, overseer):
        pdf = client.get(f"{base}/files/report.pdf")
        assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
        assert "attachment" in pdf["Content-Disposition"]
        whole = client.get(f"{base}/download")
        names = zipfile.ZipFile(io.BytesIO(whole.content)).namelist()
        assert any(n.endswith("/manifest.json") for n in names) and any(n.endswith("/manifest.sig") for n in names)
    for persona in ("handler_a", "supervisor", "custodian", "admin"):
        client = staff_client(persona)
        for url in (f"{base}/", f"{base}/files/report.pdf", f"{base}/download", f"{base}/files/manifest.json"):
            assert client.get(url).status_code == 403, (persona, url)


def test_a_file_the_signed_manifest_does_not_list_is_not_served(analyst) -> None:
    """The attack: asking for a path outside the report (../../keys/force-signing.key) or a file slipped into the
    folder after signing, through the download URL."""
    report = publish(analyst)
    folder = publishing.folder_of(report)
    (folder / "extra.txt").write_text("added after signing")
    base = f"/insight/reports/{report.public_id}/files"
    for name in ("extra.txt", "../../keys/force-signing.key", "..%2F..%2Fkeys%2Fforce-signing.key", "charts"):
        assert analyst.get(f"{base}/{name}").status_code == 404, name


def test_a_handler_and_the_overseer_may_not_publish(analyst, staff_client) -> None:
    for persona in ("handler_a", "overseer"):
        assert staff_client(persona).post("/insight/publish", WINDOW).status_code == 403
    assert not PublishedReport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="insight.report").exists()


def test_while_a_report_is_made_its_page_shows_the_steps_and_refreshes_itself(cast, analyst) -> None:
    window = {"dataset": "web-small", "date_from": None, "date_to": None, "source": "all"}
    with transaction.atomic():  # nothing starts: the work begins only when the request's transaction commits
        report = publishing.do_request_report(actor=cast.users["analyst"], **window)
        publishing._mark(report, 2)
        page = analyst.get(f"/insight/reports/{report.public_id}/").content.decode()
        transaction.set_rollback(True)
    assert "Making your report" in page and f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">' in page
    assert '<progress max="5" value="2">' in page and "Step 2 of 5: working out the figures." in page
    assert "Working out the figures — working on it" in page and "Reading the data — done" in page


def test_a_second_report_is_refused_while_one_is_being_made(cast) -> None:
    small_dataset("web-small")
    window = {"dataset": "web-small", "date_from": None, "date_to": None, "source": "all"}
    with transaction.atomic():  # nothing starts: the work begins only when the request's transaction commits
        publishing.do_request_report(actor=cast.users["analyst"], **window)
        with pytest.raises(publishing.PublishRefused, match="A report is being made already"):
            publishing.do_request_report(actor=cast.users["analyst"], **window)
        transaction.set_rollback(True)


def test_a_dataset_that_cannot_be_read_fails_in_plain_words_and_is_audited(analyst) -> None:
    report = publish(analyst, dataset="live")  # the live system has no roster in this test
    assert report.status == ReportStatus.FAILED
    page = analyst.get(f"/insight/reports/{report.public_id}/").content.decode()
    assert "The report was not published" in page and "no roster and no cases yet" in page
    assert INTERNAL.findall(page) == []
    assert AuditEvent.objects.filter(action="insight.report.fail", object_id=str(report.public_id)).exists()
    assert not (publishing.folder_of(report) / "manifest.json").exists()


def test_a_report_whose_work_stopped_reads_as_stopped_and_does_not_block_the_next(cast, analyst, monkeypatch) -> None:
    window = {"dataset": "web-small", "date_from": None, "date_to": None, "source": "all"}
    with transaction.atomic():  # nothing starts: as if the process making it had died
        report = publishing.do_request_report(actor=cast.users["analyst"], **window)
        later = report.progressed_at + publishing.STALLED_AFTER + dt.timedelta(seconds=1)
        monkeypatch.setattr(clock, "now", lambda: later)
        page = analyst.get(f"/insight/reports/{report.public_id}/").content.decode()
        listed = analyst.get("/insight/").content.decode()
        publishing.do_request_report(actor=cast.users["analyst"], **window)  # not refused
        transaction.set_rollback(True)
    assert "It stopped before it finished" in page and "http-equiv" not in page
    assert "Stopped before it finished" in listed
    assert analyst.get(f"/insight/reports/{report.public_id}/files/report.pdf").status_code == 404


def test_the_overseer_reads_the_published_reports_but_is_not_offered_publishing(staff_client) -> None:
    small_dataset("web-small")
    html = staff_client("overseer").get("/insight/", {"dataset": "web-small"}).content.decode()
    assert "Published reports" in html and 'action="/insight/publish"' not in html
    assert "signed with the force&#x27;s key" in html or "signed with the force's key" in html
