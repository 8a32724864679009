"""`/healthz` (public: ok or not ok, nothing more) and `/metrics` (the operator's token; nothing about reporters)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from upstander.testing.journeys import Answers, Journey

TOKEN = "m" * 40


@pytest.fixture
def operator(settings):
    settings.METRICS_TOKEN = TOKEN
    return Client(headers={"Authorization": f"Bearer {TOKEN}"})


def test_the_public_health_check_says_only_ok_or_not_ok_and_names_no_paths(client, db, settings, tmp_path):
    """The attack: anyone could read `/healthz` and learn the server's key-file paths and which keys were missing."""
    settings.DATA_DIR = tmp_path / "no-installation-here"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert str(tmp_path) not in response.content.decode()


def test_the_operator_gets_the_details_with_the_metrics_token(cast, operator, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    detailed = operator.get("/healthz").json()
    assert detailed["status"] == "ok" and detailed["checks"]["installation"]["ok"]
    assert client.get("/healthz", headers={"Authorization": "Bearer " + "x" * 40}).json() == {"status": "ok"}


def test_the_health_check_does_not_run_the_migration_planner_on_every_request(cast, client):
    """The attack: `/healthz` ran Django's migration planner on every request, so polling it was a cheap way to
    load the server (and the database)."""
    assert client.get("/healthz").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
    assert not [q for q in queries.captured_queries if "django_migrations" in q["sql"]]
    assert len(queries.captured_queries) <= 5  # one "SELECT 1" a request: is the database there


def test_metrics_answer_404_without_a_token_configured_and_401_without_the_right_one(cast, client, settings):
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer " + "n" * 40}).status_code == 401


def _value(text: str, name: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(name + " ") or line.startswith(name + "{")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines)


def test_metrics_show_queues_and_jobs_and_say_nothing_about_reporters(cast, operator, client):
    before = operator.get("/metrics").content.decode()
    Journey(Client(), Answers()).run()  # a reporter's whole journey, through the real pages
    after = operator.get("/metrics")
    text = after.content.decode()
    assert after.status_code == 200 and after["Content-Type"].startswith("text/plain; version=0.0.4")
    for name in ("upstander_up", "upstander_cases_open", "upstander_clock_breaches", "upstander_escalations_unseen",
                 "upstander_reports_awaiting_triage", "upstander_retaliation_alerts_open", "upstander_http_errors_total"):
        assert f"# TYPE {name} " in text, name
    # The journey is not counted (no reporter-side request counts), and today's report is not in the queue yet.
    assert _value(text, "upstander_http_requests_total") == _value(before, "upstander_http_requests_total") + 1
    assert _value(text, "upstander_reports_awaiting_triage") == 0
    assert "/report" not in text and "receipt" not in text
