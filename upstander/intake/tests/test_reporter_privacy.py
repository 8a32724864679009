"""What a reporter leaves behind on a shared device and in the server's logs (issue 11, issue 12): no cookie that
outlives the browser, no page a cache may keep, a quick exit that forgets the draft on the server and tells the
browser to forget the rest, and no reporter path in the log."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.test import Client

from upstander.reports.models import Draft
from upstander.testing.journeys import Answers, Journey, come_back

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _set_cookies(response) -> list:
    return list(response.cookies.values())


def _every_reporter_response(client: Client, receipt: str) -> list:
    """A whole journey, every response kept: each form page, the check page, the receipt, return and status."""
    responses = []
    journey = Journey(client, Answers(mode="named", reporter_type="staff", name="Sam Public"))
    original_post, original_get = client.post, client.get

    def post(*args, **kwargs):
        responses.append(original_post(*args, **kwargs))
        return responses[-1]

    def get(*args, **kwargs):
        responses.append(original_get(*args, **kwargs))
        return responses[-1]

    client.post, client.get = post, get  # type: ignore[method-assign]
    for page in ("/report/", "/report/new/", "/report/new/how", "/report/return", "/report/new/resume"):
        client.get(page)
    journey.run()
    come_back(client, receipt)
    client.get("/report/status")
    client.post("/report/status/message", {"message-body": "Hello."})
    client.post("/report/status/retaliation", {"retaliation-body": ""})
    client.post("/report/exit")
    return responses


def test_no_reporter_cookie_outlives_the_browser_and_no_reporter_page_may_be_stored(reporter):
    """Attack: someone who later uses the same computer finds a year-long CSRF cookie (Django's default) or a
    cached page that says the reporting channel was used."""
    receipt = reporter().receipt
    responses = _every_reporter_response(Client(), receipt)
    assert len(responses) > 20
    for response in responses:
        assert "no-store" in response["Cache-Control"], (response.request["PATH_INFO"], response["Cache-Control"])
        for cookie in _set_cookies(response):
            if cookie.value:  # a deletion carries an expiry in the past, which is the point
                assert not cookie["expires"] and not cookie["max-age"], (response.request["PATH_INFO"], cookie)
    assert any(c.key == "csrftoken" and c.value for r in responses for c in _set_cookies(r))  # it was set, for session


def test_the_quick_exit_forgets_the_draft_on_the_server_and_tells_the_browser_to_forget_the_rest(reporter):
    receipt = reporter().receipt
    client = Client()
    come_back(client, receipt)
    journey = Journey(client, Answers(narrative="Half written, not to be kept."))
    journey.how()
    journey.what()
    assert Draft.objects.count() == 2  # this one, and the sent report's draft holding its receipt (another client)
    response = client.post("/report/exit")
    assert response.status_code == 303 and response["Location"] == "https://www.bbc.co.uk/weather"
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert "form-action 'self' https://www.bbc.co.uk" in response["Content-Security-Policy"]
    gone = {c.key for c in _set_cookies(response) if not c.value}
    assert gone >= {"upstander_draft", "upstander_visit", "csrftoken"}
    assert Draft.objects.count() == 1
    assert client.get("/report/status").status_code == 302
    assert client.get("/report/new/what")["Location"] == "/report/new/how"
    page = client.get("/report/new/how").content.decode()
    assert "Half written" not in page and "checked" not in page


def test_a_forged_cross_site_exit_clears_nothing(reporter):
    """Attack: another site posts to /report/exit from the reporter's browser to throw their draft away."""
    client = Client()
    journey = Journey(client, Answers())
    journey.how()
    response = client.post("/report/exit", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 303 and "Clear-Site-Data" not in response
    assert not _set_cookies(response) and Draft.objects.count() == 1


def test_leaving_the_status_page_forgets_the_visit_and_the_draft(reporter):
    client = Client()
    come_back(client, reporter().receipt)
    Journey(client, Answers()).how()
    response = client.post("/report/leave")
    assert response["Location"] == "/report/" and "Clear-Site-Data" in response
    assert client.get("/report/status").status_code == 302
    assert Draft.objects.count() == 1  # only the sent report's, held by the client that sent it


@pytest.fixture
def log_output():
    """What the project's configured log handler writes (the handler the filter is on, not pytest's own)."""
    handler = next(h for h in logging.getLogger().handlers if any(
        type(f).__name__ == "DropReporterPaths" for f in h.filters))
    stream = io.StringIO()
    old = handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    handler.setStream(old)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_refused_csrf_post_to_a_reporter_path_leaves_no_line_in_the_log(log_output):
    """Attack: an operator (or anyone with the logs) reads "Forbidden (CSRF cookie not set.): /report/return" at
    09:41 and knows someone used the reporting channel then. The staff side's warnings stay, as a control."""
    client = Client(enforce_csrf_checks=True)
    assert client.post("/report/return", {"receipt": "a b c d e f g"}).status_code == 403
    assert client.post("/report/new/how", {"mode": "anonymous"}).status_code == 403
    assert client.post("/report/status/message", {"message-body": "hello"}).status_code == 403
    assert client.post("/report/new/check", {}, headers={"Host": "evil.example"}).status_code == 400
    assert "/report/" not in log_output.getvalue() and "evil.example" not in log_output.getvalue()
    assert client.post("/accounts/login", {"username": "x"}).status_code == 403
    assert "Forbidden (CSRF cookie not set.): /accounts/login" in log_output.getvalue()


def test_a_server_error_on_a_reporter_path_is_logged_without_its_path():
    from upstander.intake.log_filters import DropReporterPaths

    class Request:
        path = "/report/status"

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                               ("/report/status",), None)
    record.request = Request()
    record.status_code = 500
    assert DropReporterPaths().filter(record)
    assert "/report/" not in record.getMessage() and "500" in record.getMessage()
    warning = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/report/x",), None)
    assert not DropReporterPaths().filter(warning)
    staff = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/cases/x",), None)
    assert DropReporterPaths().filter(staff)
