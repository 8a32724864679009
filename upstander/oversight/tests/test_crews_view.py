"""The overseer's crews page: the co-accusal figures, the crews and a network picture drawn on the server, on an
imported dataset (people by their ids) and on the live system (people by roster name and number); audited each time
it names people; refused to everyone else."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client

from upstander.audit.models import AuditEvent
from upstander.insight.tests.test_patterns import store
from upstander.testing.fixtures import login
from upstander.testing.personas import create_cast

pytestmark = pytest.mark.django_db
URL = "/oversight/crews"


def small_world(name: str) -> None:
    """Two crews and an outsider: a1-a2-a3 together on four complaints, b1..b4 on three; x accused with a1 three
    times but with y six times (x and y are a pair, too few for a crew); complaints against one person each."""
    accused = {f"a{n}": ["a1", "a2", "a3"] for n in range(4)}
    accused |= {f"b{n}": ["b1", "b2", "b3", "b4"] for n in range(3)}
    accused |= {f"x{n}": ["a1", "x"] for n in range(3)}
    accused |= {f"xy{n}": ["x", "y"] for n in range(6)}
    accused |= {f"solo{n}": [f"s{n}"] for n in range(10)}
    store(name, accused, substantiated={("a0", "a1"), ("b0", "b1")})


def overseer_alone() -> Client:
    """The overseer signed in on a database with no roster of the fixtures' (the live tests make their own)."""
    return login(Client(), create_cast(names=[("overseer", "overseer")]), "overseer")


def the_picture(html: str) -> str:
    found = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert found, "no picture on the page"
    return base64.b64decode(found.group(1)).decode()


def assert_no_inline_script_or_style(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert "<style" not in html.lower()


def test_the_overseer_sees_the_crews_the_network_and_the_table_of_an_imported_dataset(staff_client):
    small_world("crews-small")
    response = staff_client("overseer").get(URL, {"dataset": "crews-small", "min_pairs": 3})
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_inline_script_or_style(html)
    svg = the_picture(html)
    assert svg.startswith("<svg") and "style" not in svg and "<script" not in svg
    assert "Crew 1: 4 people" in svg and "Crew 2: 3 people" in svg  # largest first, each in its own box
    assert "<title>y</title>" not in svg  # only the crews' own strongest links are drawn
    assert svg.count("<circle") == 8  # seven crew members and x, the strongest link of a1 outside the crews
    # The text alternative: the crews with their members, and every link drawn.
    assert "<td>b1; b2; b3; b4</td>" in html and "<td>a1; a2; a3</td>" in html
    assert "<td>a1</td><td>x</td><td>3</td><td>strongest link outside the crews shown</td>" in html
    assert "<td>a1</td><td>a2</td><td>4</td><td>within the crew</td>" in html
    # The summary: 19 accused (a1-a3, b1-b4, x, y, s0-s9); pairs a1-a2, a1-a3, a2-a3, a1-x, x-y (6 times) and
    # the six of b1-b4.
    assert re.search(r"Accused people</th><td>19</td>", html)
    assert re.search(r"Pairs co-accused at least 3 times / 5 times</th><td>11 / 1</td>", html)
    assert re.search(r"Crews</th><td>2 \(7 people\)</td>", html)


def test_the_picture_is_drawn_the_same_every_time(staff_client):
    small_world("crews-same")
    client = staff_client("overseer")
    first = the_picture(client.get(URL, {"dataset": "crews-same"}).content.decode())
    assert first == the_picture(client.get(URL, {"dataset": "crews-same"}).content.decode())


def test_every_showing_of_named_crews_is_audited_and_the_bare_form_is_not(staff_client, overseer):
    small_world("crews-audit")
    client = staff_client("overseer")
    assert client.get(URL).status_code == 200
    assert not AuditEvent.objects.filter(action="patterns.view").exists()
    client.get(URL, {"dataset": "crews-audit", "source": "public", "max_group": 6})
    client.get(URL, {"dataset": "crews-audit"})
    events = AuditEvent.objects.filter(action="patterns.view").order_by("id")
    assert [(e.actor, e.role, e.object_type, e.object_id) for e in events] == [
        (f"user:{overseer.username}", "overseer", "dataset", "crews-audit")] * 2
    assert "source public, max group 6" in events[0].reason


def test_an_empty_live_system_is_reported_on_the_page_not_raised():
    response = overseer_alone().get(URL, {"dataset": "live"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="patterns.view").exists()


def test_a_live_system_with_no_crews_says_so_without_a_picture(staff_client):
    html = staff_client("overseer").get(URL, {"dataset": "live"}).content.decode()  # the fixtures' roster, no cases
    assert "No crew:" in html and "data:image/svg" not in html


def test_an_unknown_dataset_or_a_bad_number_is_a_form_error(staff_client):
    client = staff_client("overseer")
    for params in ({"dataset": "no-such-set"}, {"dataset": "live", "max_group": "1"}, {"crews": "x"},
                   {"date_from": "2020-01-02", "date_to": "2020-01-01"}):
        response = client.get(URL, params)
        assert response.status_code == 200 and "errorlist" in response.content.decode(), params
    assert not AuditEvent.objects.filter(action="patterns.view").exists()


@pytest.mark.parametrize("persona", ["handler_a", "supervisor", "analyst", "admin"])
def test_everyone_but_the_overseer_is_refused(staff_client, persona):
    small_world("crews-refused")
    assert staff_client(persona).get(URL, {"dataset": "crews-refused"}).status_code == 403
    assert not AuditEvent.objects.filter(action="patterns.view").exists()


def test_an_anonymous_visitor_is_sent_to_log_in():
    response = Client().get(URL, {"dataset": "live"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_on_the_live_system_people_are_shown_by_roster_name_and_number():
    from upstander.people.models import Person
    from upstander.worldgen.generate import generate

    truth = generate(staff=300, years=3, seed=1, progress=False)
    response = overseer_alone().get(URL, {"dataset": "live"})
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_inline_script_or_style(html)
    svg = the_picture(html)
    assert "Crew 1:" in svg
    assert truth["crews"], "the generator plants crews"
    for crew in truth["crews"]:  # every planted crew is found and named
        for number in crew["members"]:
            person = Person.objects.get(number=number)
            assert f"{person.full_name} ({person.number})" in html
            assert f">{person.number}</text>" in svg
            assert person.public_id.hex not in html  # named, not shown by id
    assert AuditEvent.objects.filter(action="patterns.view", object_id="live").count() == 1
