"""The insight dashboard: analysts and the overseer see exact aggregates with charts that need no JavaScript;
every other persona is refused."""

from __future__ import annotations

import base64

import pytest

from upstander.insight.tests.test_fairness import small_dataset

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("persona", ["handler_a", "supervisor", "facilitator", "custodian", "admin"])
def test_personas_other_than_analyst_and_overseer_are_refused(staff_client, persona: str) -> None:
    assert staff_client(persona).get("/insight/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client) -> None:
    response = client.get("/insight/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("persona", ["analyst", "overseer"])
def test_the_dashboard_shows_exact_aggregates_and_svg_charts(staff_client, persona: str) -> None:
    small_dataset("dash-small")
    response = staff_client(persona).get("/insight/", {"dataset": "dash-small", "by": "ethnicity"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 / 4" in html  # exact: Black allegations substantiated, no disclosure control in the analyst's view
    assert "<script" not in html
    start = html.index('src="data:image/svg+xml;base64,') + len('src="data:image/svg+xml;base64,')
    svg = base64.b64decode(html[start:html.index('"', start)]).decode()
    assert svg.startswith("<svg")
    for person in ("p1", "p2", "p3", "p4", "p5"):  # no single person appears
        assert f">{person}<" not in html


def test_an_unknown_dataset_is_reported_not_raised(staff_client) -> None:
    response = staff_client("analyst").get("/insight/", {"dataset": "live", "source": "all"})
    assert response.status_code == 200
    assert "no roster and no cases yet" in response.content.decode()
