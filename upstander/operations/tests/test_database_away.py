"""A database that is briefly away on the reporter side (issue 16): a retry on the server where it is safe, and
otherwise a page in plain words that says nothing was lost, never a bare "Server Error (500)".

The outage is made with Django's own query hook (`connection.execute_wrapper`): every query fails the way psycopg
fails while PostgreSQL restarts, for as long as the test says."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from upstander.reports.models import Report
from upstander.testing.journeys import Answers, Journey, come_back, receipt_in


class Outage:
    """Fails every query while `failures_left` > 0 (None: until the test ends it)."""

    def __init__(self, failures: int | None) -> None:
        self.failures_left = failures
        self.failed = 0

    def __call__(self, execute, sql, params, many, context):
        if self.failures_left is None or self.failures_left > 0:
            if self.failures_left is not None:
                self.failures_left -= 1
            self.failed += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def ready_to_submit(cast, settings):
    settings.DB_RETRY_SECONDS = 2
    journey = Journey(Client(), Answers())
    assert journey.how().status_code == 302 and journey.what().status_code == 302
    assert journey.upload([]).status_code == 302 and journey.equality().status_code == 302
    journey.check_token()
    return journey


def test_a_submit_that_meets_a_database_restart_is_retried_on_the_server_and_gives_the_receipt(ready_to_submit):
    outage = Outage(failures=3)
    with connection.execute_wrapper(outage):
        response = ready_to_submit.submit()
    assert outage.failed == 3
    assert response.status_code == 200
    assert receipt_in(response)
    assert Report.objects.count() == 1


def test_when_the_database_stays_away_the_reporter_is_told_nothing_was_lost_and_pressing_again_sends_it_once(
        ready_to_submit):
    """The failure: a 1.3 s PostgreSQL restart showed 79 reporters a bare "Server Error (500)" (58 on the first form
    post, 21 on submit), and nothing told them a retry with the same page would work."""
    with connection.execute_wrapper(Outage(failures=None)):
        response = ready_to_submit.submit()
    page = response.content.decode()
    assert response.status_code == 503
    assert "Nothing you have written has been lost" in page and "never sent twice" in page
    assert "no-store" in response["Cache-Control"]
    assert Report.objects.count() == 0
    # "Send the report again" re-sends exactly what was sent: the same token, so at most one report.
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert hidden["idempotency_token"] == ready_to_submit.token
    again = ready_to_submit.client.post("/report/new/check", hidden)
    assert again.status_code == 200 and receipt_in(again)
    assert ready_to_submit.client.post("/report/new/check", hidden).content == again.content
    assert Report.objects.count() == 1


def test_the_first_form_page_gets_the_friendly_page_and_keeps_what_was_typed(cast, settings):
    settings.DB_RETRY_SECONDS = 0
    journey = Journey(Client(), Answers())
    assert journey.how().status_code == 302
    with connection.execute_wrapper(Outage(failures=None)):
        response = journey.what()
    page = response.content.decode()
    assert response.status_code == 503 and "Try again" in page
    assert Answers().narrative in page  # sent back to the reporter's own browser, to send again; never stored
    assert "Server Error" not in page


def test_a_returning_reporter_gets_a_link_to_try_again_and_a_message_is_not_sent_twice(cast, settings):
    settings.DB_RETRY_SECONDS = 0
    journey = Journey(Client(), Answers())
    receipt = journey.run()
    client = Client()
    assert come_back(client, receipt).status_code == 302
    with connection.execute_wrapper(Outage(failures=None)):
        page = client.get("/report/status")
        sent = client.post("/report/status/message", {"body": "Is there any news?"})
    assert page.status_code == 503 and 'href="/report/status"' in page.content.decode()
    # A message is not idempotent, so it is not retried or re-sent from the page: the reporter sends it again.
    assert sent.status_code == 503 and 'name="body"' not in sent.content.decode()
    assert "go back and press the button again" in sent.content.decode()
