"""Attacks tried against the staff side and the reporter side. Each test's docstring says what the attack was.

Break-glass attacks (a handler opening a sealed identity, an administrator giving out the key, a removed member's
old session) are in test_views.py and test_members.py beside the features they attack.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from upstander.accounts.actions import unwrap_member_key
from upstander.audit.models import AuditEvent
from upstander.cases.choices import ReportingMode, Route
from upstander.custody.tests.world import NARRATIVE, REPORTER, World, build_world, submit_report
from upstander.lib import storage
from upstander.reports import files
from upstander.testing.fixtures import current_code, login


@pytest.fixture
def world(db, tmp_path) -> World:
    return build_world(tmp_path)


def _as(world: World, persona: str) -> Client:
    return login(Client(), world.cast, persona)


def _content_urls(world: World, case=None, report=None) -> list[str]:
    case = case or world.case
    report = report or world.case_report
    urls = [f"/cases/{case.code}/", f"/cases/{case.code}/statement", f"/cases/{case.code}/people",
            f"/cases/reports/{report.public_id}/"]
    urls += [f"/cases/reports/{report.public_id}/files/{a.public_id}" for a in report.attachments.all()]
    return urls


def _refused(response) -> bool:
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"].startswith("/accounts/login"))


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_a_handler_guessing_another_units_case_url_gets_not_found(world):
    """Attack: a handler (and their supervisor) in one professional standards unit type the code and report id of a
    case handled by another unit, hoping the page only checks that they are signed in."""
    for persona in ("handler_a", "supervisor"):
        client = _as(world, persona)
        other = world.other_unit_case
        other_report = other.reports.get()
        for url in _content_urls(world, other, other_report):
            response = client.get(url)
            assert response.status_code == 404, f"{persona} {url}: {response.status_code}"
        assert client.post(f"/cases/{other.code}/do/acknowledge").status_code == 404
        assert client.post(f"/cases/reports/{other_report.public_id}/reply", {"body": "hello"}).status_code == 404
    assert _as(world, "handler_a").get(f"/cases/{world.case.code}/").status_code == 200  # their own case opens


def test_an_analyst_cannot_fetch_a_narrative(world):
    """Attack: an analyst, who may see aggregates only, requests a case, its report, its statement and its files
    directly, and searches the audit log for object ids to try."""
    client = _as(world, "analyst")
    for url in [*_content_urls(world), "/audit/", "/cases/reports/", "/cases/"]:
        response = client.get(url)
        assert _refused(response), f"{url}: {response.status_code}"
        assert NARRATIVE not in _body(response)
    assert unwrap_member_key(world.user("analyst"), world.cast.passwords["analyst"]) is None


def test_an_administrator_cannot_open_case_content(world):
    """Attack: the administrator, who manages accounts and configuration, opens case pages and reports, and looks
    for a key of their own to decrypt a database copy with."""
    client = _as(world, "admin")
    for url in [*_content_urls(world), "/cases/", "/cases/inbox/", f"/cases/inbox/{world.inbox_report.public_id}/"]:
        response = client.get(url)
        assert _refused(response), f"{url}: {response.status_code}"
        assert NARRATIVE not in _body(response)
    assert unwrap_member_key(world.user("admin"), world.cast.passwords["admin"]) is None
    assert client.post(f"/custody/identities/{world.disclosure_request.public_id}/open").status_code == 403


def test_a_handler_cannot_open_an_independent_route_report_or_case(world):
    """Attack: a force handler learns the id of a report made on the independent route (which bypasses the force)
    and opens it through the inbox, the report page and, once the overseer has opened a case on it, the case page."""
    from upstander.cases import actions

    report = world.independent_report
    client = _as(world, "handler_a")
    for url in (f"/cases/inbox/{report.public_id}/", f"/cases/reports/{report.public_id}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/cases/inbox/{report.public_id}/open").status_code == 404
    case = actions.do_open_case(actor=world.user("overseer"), report=report)
    for url in _content_urls(world, case, report):
        assert client.get(url).status_code == 404, url
    assert _as(world, "overseer").get(f"/cases/{case.code}/").status_code == 200


def test_the_case_team_never_sees_a_confidential_reporters_name(world):
    """Attack: the handler who owns the case, holding the force key, reads every page of the case hoping the
    confidential reporter's name is shown somewhere (it is sealed to the identity custodians only)."""
    client = _as(world, "handler_a")
    pages = [client.get(url) for url in _content_urls(world)]
    assert any(NARRATIVE in _body(p) for p in pages)  # they do read the account itself
    assert all(REPORTER not in _body(p) for p in pages)


XSS = ['<script>alert("xss")</script>', '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]
DANGEROUS = ["<script>alert(", "<img src=x onerror", "<svg onload"]


def _assert_escaped(response, label: str) -> None:
    body = _body(response)
    for fragment in DANGEROUS:
        assert fragment not in body, f"{label}: {fragment!r} rendered unescaped"


def test_stored_script_in_every_free_text_field_is_rendered_as_text(world):
    """Attack: a reporter (or an insider) puts script and HTML into every free-text field — narrative, place, the
    subject's name, unit and number, their own name, messages — and staff write it into reasons, hoping a page that
    shows it back runs it in a colleague's or the overseer's browser."""
    from upstander.cases import actions
    from upstander.custody.break_glass import do_request_disclosure
    from upstander.custody.retention import do_lift_legal_hold

    payload = " ".join(XSS)
    report = submit_report(world.cast, narrative=f"It happened. {payload}", place=payload, name=payload,
                           subject=payload, mode=ReportingMode.NAMED, with_receipt=True,
                           file=(f"{XSS[0]}.txt", b"a file whose name is a script"))
    handler = _as(world, "handler_a")
    case = actions.do_open_case(actor=world.user("handler_a"), report=report)
    assert handler.post(f"/cases/reports/{report.public_id}/reply", {"body": payload}).status_code == 302
    do_request_disclosure(actor=world.user("custodian"), report=world.case_report, reason=f"Court order {payload}")
    do_lift_legal_hold(actor=world.user("overseer"), hold=world.hold, reason=f"Ended {payload}")
    reporter = Client()
    assert reporter.post("/report/return", {"receipt": report.receipt}).status_code == 302
    overseer = _as(world, "overseer")
    pages = {
        "case page": handler.get(f"/cases/{case.code}/"),
        "report page": handler.get(f"/cases/reports/{report.public_id}/"),
        "reporter status": reporter.get("/report/status"),
        "overseer case page": overseer.get(f"/cases/{case.code}/"),
        "identities": overseer.get("/custody/identities/"),
        "custody oversight": overseer.get("/custody/oversight/"),
        "holds": overseer.get("/custody/holds/"),
        "audit search": overseer.get("/audit/", {"object": payload[:60]}),
        "audit log": overseer.get("/audit/"),
    }
    for label, response in pages.items():
        assert response.status_code in (200, 400), f"{label}: {response.status_code}"
        _assert_escaped(response, label)
    for label in ("report page", "reporter status", "identities", "holds", "custody oversight", "audit log"):
        assert "&lt;script&gt;" in _body(pages[label]), f"{label} did not show the text back at all"


def test_a_form_posted_without_the_csrf_token_is_refused(world):
    """Attack: a page on another site makes a signed-in supervisor's browser post to Upstander (place a legal
    hold, invite someone, act on a case, remove a member) without the CSRF token."""
    signed_in = _as(world, "overseer")
    forged = Client(enforce_csrf_checks=True)
    forged.cookies = signed_in.cookies
    attempts = {
        "/custody/holds/": {"case_code": world.case.code, "reason": "forged"},
        "/custody/invite": {"username": "handler_b", "reason": "forged"},
        f"/custody/accounts/{world.user('handler_b').public_id}/remove": {"reason": "forged"},
        f"/custody/identities/{world.disclosure_request.public_id}/decide": {"decision": "approve"},
        f"/cases/{world.case.code}/do/acknowledge": {},
        f"/cases/reports/{world.case_report.public_id}/reply": {"body": "forged"},
        "/accounts/logout": {},
    }
    before = AuditEvent.objects.count()
    for url, data in attempts.items():
        assert forged.post(url, data).status_code == 403, url
    assert AuditEvent.objects.count() == before
    assert Client(enforce_csrf_checks=True).post("/accounts/login", {
        "username": "handler_a", "password": world.cast.passwords["handler_a"], "otp_token": "123456"}).status_code == 403


SQLI = ["' OR '1'='1", "1; DROP TABLE audit_event; --", "\" OR 1=1 --", "%' UNION SELECT password FROM accounts_user --",
        "\\'; SELECT pg_sleep(5); --", "UP-' OR 1=1--"]


def test_sql_injection_strings_in_search_and_filter_parameters_change_nothing(world):
    """Attack: SQL fragments in every search box and query parameter, hoping one is pasted into a query."""
    overseer, handler = _as(world, "overseer"), _as(world, "handler_a")
    for s in SQLI:
        for client, url, params in [
            (overseer, "/audit/", {"object": s, "actor": s, "action": s}),
            (handler, "/cases/", {"state": s, "q": s, "category": s, "page": s}),
            (handler, "/cases/reports/", {"show": s}),
            (handler, f"/cases/{world.case.code}/people", {"q": s}),
            (overseer, "/oversight/", {"state": s, "page": s}),
        ]:
            response = client.get(url, params)
            assert response.status_code in (200, 400, 404), f"{url} {s!r}: {response.status_code}"
        assert overseer.get(f"/cases/{s}/").status_code == 404
        assert Client().post("/report/return", {"receipt": s}).status_code == 400
        rows = overseer.get("/audit/", {"object": s}).context["rows"]
        assert all(e.object_id == s for e in rows)  # nothing matched that was not literally asked for
    assert AuditEvent.objects.filter(action="report.submit").exists()  # the tables are all still there


def test_path_traversal_in_file_names_reaches_neither_the_disk_nor_the_download(world):
    """Attack: a reporter uploads files named ../../../etc/passwd and ..\\..\\settings.py, hoping the name is used
    as a path when the file is stored or served, and tries traversal in the store's own names."""
    for name in ("../../../etc/passwd", "..\\..\\upstander\\notes.txt", "/etc/shadow", "a/../../b.txt"):
        checked = files.check(name, b"ordinary text")
        assert "/" not in checked.name and "\\" not in checked.name and not checked.name.startswith(".."), checked.name
    for bad in ("../../etc/passwd", "..", "/etc/passwd", "0" * 31 + "/"):
        with pytest.raises(storage.StoreError):
            storage.exists(bad)
    report = submit_report(world.cast, file=("../../../etc/passwd", b"root:x:0:0"))
    from upstander.cases import actions

    actions.do_open_case(actor=world.user("handler_a"), report=report)
    response = _as(world, "handler_a").get(f"/cases/reports/{report.public_id}/files/{report.attachments.get().public_id}")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "/" not in disposition.split("filename", 1)[1]
    assert Client().get("/cases/reports/..%2F..%2Fetc%2Fpasswd/").status_code == 404


@pytest.mark.parametrize("name,data", [
    ("evidence.html", b"<!doctype html><html><body><script>fetch('/cases/').then(r=>r.text())</script></body></html>"),
    ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'),
    ("innocent.png", b"<html><script>alert(1)</script></html>"),
])
def test_an_html_or_svg_file_with_script_is_served_only_as_a_download(world, name, data):
    """Attack: a reporter attaches an HTML page or an SVG drawing with script (one disguised as a .png), hoping a
    handler opening it runs the script inside Upstander's origin and reads their cases."""
    from upstander.cases import actions

    report = submit_report(world.cast, file=(name, data))
    actions.do_open_case(actor=world.user("handler_a"), report=report)
    attachment = report.attachments.get()
    response = _as(world, "handler_a").get(f"/cases/reports/{report.public_id}/files/{attachment.public_id}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert "sandbox" in response["Content-Security-Policy"]


def _docx_shaped_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        for name, body in entries.items():
            zf.writestr(name, body)
    return out.getvalue()


def _shrink_declared_sizes(data: bytes, entry: str, declared: int) -> bytes:
    """Rewrite an entry's uncompressed size in both zip headers: a bomb that lies about what it expands to."""
    raw = bytearray(data)
    name = entry.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := raw.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", raw, at + size_at, declared)
            start = at + 4
    return bytes(raw)


def test_a_zip_bomb_is_refused_whether_it_declares_its_size_or_lies_about_it(db):
    """Attack: a reporter uploads an office document that expands from kilobytes to hundreds of megabytes when
    opened — once honestly declared, once with headers claiming a tiny size — to exhaust the server's memory."""
    bomb = _docx_shaped_zip({"word/document.xml": b"\0" * (150 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(files.FileRefused):
        files.check("report.docx", bomb)
    liar = _shrink_declared_sizes(bomb, "word/document.xml", 1000)
    with pytest.raises(files.FileRefused):
        files.check("report.docx", liar)


def test_an_oversized_upload_is_refused_and_nothing_is_kept(cast, settings):
    """Attack: a reporter (or a script) posts a file far over the size limit to fill the disk or memory."""
    settings.UPLOAD_MAX_BYTES = 4096
    client = Client()
    assert client.post("/report/new/how", {"mode": "anonymous", "reporter_type": "public"}).status_code == 302
    client.post("/report/new/what", {"narrative": "Something happened.", "categories": ["bullying"],
                                     "reporter_role": "victim", "still_works_alongside": "no"})
    stored_before = storage.inventory()
    response = client.post("/report/new/files", {"attachments": [SimpleUploadedFile("huge.txt", b"x" * 200_000)]})
    assert response.status_code == 400
    assert "larger than the size limit" in response.content.decode()
    assert storage.inventory() == stored_before
    with pytest.raises(files.FileRefused):
        files.check("huge.txt", b"x" * 5000)


def test_guessing_receipts_at_speed_is_stopped_by_the_global_budget(world, settings):
    """Attack: a script posts well-formed guessed receipts as fast as it can, to find someone's report (and make the
    server burn Argon2id). After the window's budget, every further guess is refused, a right one included."""
    from upstander.reports import receipts

    settings.INTAKE_RECEIPT_ATTEMPTS_PER_WINDOW = 5
    report = submit_report(world.cast, with_receipt=True)
    answers = [Client().post("/report/return", {"receipt": receipts.new_receipt()}).status_code for _ in range(8)]
    assert answers[:5] == [400] * 5 and answers[5:] == [429] * 3
    assert Client().post("/report/return", {"receipt": report.receipt}).status_code == 429
    assert AuditEvent.objects.filter(action="receipt.budget_spent").count() == 1


def test_a_session_id_planted_before_login_is_not_the_one_used_after(cast):
    """Attack: session fixation — an attacker plants a session cookie in a colleague's browser before they sign in,
    then uses the same session id to ride the signed-in session."""
    from upstander.testing.fixtures import unused_code

    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    client.cookies["sessionid"] = planted
    response = client.post("/accounts/login", {"username": "handler_a", "password": cast.passwords["handler_a"],
                                               "otp_token": unused_code("handler_a")})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get("/cases/").status_code == 302  # to the login page: the planted id is not signed in


def test_a_used_totp_code_cannot_be_replayed(cast):
    """Attack: someone who watched a handler type their password and code signs in with the same code again within
    its 30 seconds."""
    code = current_code(cast.totp_keys["handler_a"])
    data = {"username": "handler_a", "password": cast.passwords["handler_a"], "otp_token": code}
    assert Client().post("/accounts/login", data).status_code == 302
    replay = Client()
    assert replay.post("/accounts/login", data).status_code == 400
    assert replay.get("/cases/").status_code == 302


def test_the_independent_route_is_sealed_to_the_overseer_alone(world):
    """Attack: a force member with database access and the force key tries to decrypt an independent-route report."""
    from upstander.reports import sealing

    report = world.independent_report
    assert report.route == Route.INDEPENDENT
    with pytest.raises(sealing.KeyUnavailable):
        sealing.data_key_for_org(report, world.user("handler_a").organisation, world.cast.org_keys["force"])


@pytest.mark.parametrize("value", ["0", "undefined", "' OR 1=1 --"])
def test_a_malformed_id_in_a_query_parameter_is_not_a_server_error(world, value):
    """Found by the fuzzer (test_fuzz_forms.py): a case page's roster search given a `mention` that is not a UUID
    answered 500. Anyone probing the staff pages could raise errors at will and fill the error log."""
    client = _as(world, "handler_a")
    response = client.get(f"/cases/{world.case.code}/people", {"mention": value})
    assert response.status_code in (200, 400, 404)


def test_a_nul_byte_in_a_search_box_is_not_a_server_error(world):
    """Found by running the SQL-injection test on PostgreSQL: a NUL byte in a search box reached the database, which
    refuses it with an error the page did not catch (500). Every box is tried."""
    overseer, handler = _as(world, "overseer"), _as(world, "handler_a")
    for client, url, params in [
        (overseer, "/audit/", {"object": "\x00", "actor": "a\x00b", "action": "\x00"}),
        (handler, "/cases/", {"state": "\x00", "owner": "\x00"}),
        (overseer, "/oversight/", {"state": "\x00"}),
        (handler, f"/cases/{world.case.code}/people", {"q": "Dyer\x00"}),
    ]:
        assert client.get(url, params).status_code in (200, 400, 404), url
    assert Client().post("/report/return", {"receipt": "\x00"}).status_code == 400
