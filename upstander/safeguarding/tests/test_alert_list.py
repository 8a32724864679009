"""The overseer's retaliation alerts at /safeguarding/ (issue 12): paged, filterable with a plain form, each linked to
its cases, and every reporter described as they reported (a confidential staff reporter is never "anonymous")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from upstander.audit.log import Actor, record
from upstander.cases.choices import ReporterType, ReportingMode
from upstander.lib import clock
from upstander.people.models import Person
from upstander.people.tests.roster import load_roster
from upstander.reports.creation import Identity, ReportInput, Subject, create_report
from upstander.safeguarding.retaliation import do_close_alert, do_report_retaliation
from upstander.safeguarding.tests.helpers import allegation_from, staff_report

pytestmark = pytest.mark.django_db
LABELS = re.compile(r"user:\w|system:\w|person:\w|cases\.case|\.toml|docs/|upstander \w+ --")


def _retaliation(report):
    return do_report_retaliation(actor=Actor.reporter(), report=report, kinds=["involuntary_transfer"])


def _unmatched_confidential_staff_report(subject: Person):
    """A member of staff reports in confidence under a staff number the roster does not know: no roster link."""
    data = ReportInput(mode=ReportingMode.CONFIDENTIAL, reporter_type=ReporterType.STAFF,
                       narrative="My sergeant moved me off the team after I reported him.", categories=["bullying"],
                       reporter_role="victim", identity=Identity(name="Jo Unknown", staff_number="99999"),
                       subjects=[Subject(name=subject.full_name, number=subject.number)])
    with transaction.atomic():
        report = create_report(data, receipt=None)
        record(Actor.reporter(), "report.submit", report, reason="test")
    return report


@pytest.fixture
def alerts(cast, monkeypatch):
    """27 anonymous reporters' alerts (today), a linked staff reporter's alert on a case, one from a colleague in
    professional standards opened in January 2024, and a closed one."""
    load_roster()
    people = {p.number: p for p in Person.objects.all()}
    subject = people["1004"]
    anonymous = [_retaliation(staff_report(None, subject, ("bullying",))) for _ in range(27)]
    linked_report = staff_report(people["1003"], subject, mode=ReportingMode.CONFIDENTIAL)
    allegation = allegation_from(linked_report, cast.users["handler_a"])
    on_case = _retaliation(linked_report)
    with monkeypatch.context() as m:
        m.setattr(clock, "now", lambda: datetime(2024, 1, 15, 12, tzinfo=UTC))
        january = _retaliation(staff_report(people["2001"], subject))
    closed = anonymous.pop()
    do_close_alert(actor=cast.users["overseer"], alert=closed, note="Spoke to the unit commander.")
    return {"anonymous": anonymous, "on_case": on_case, "case": allegation.case, "january": january,
            "closed": closed}


def _ids_listed(html: str) -> set[str]:
    return set(re.findall(r'href="/safeguarding/alerts/([0-9a-f-]{36})"', html))


def test_the_alert_list_is_paged_twenty_five_at_a_time_and_keeps_its_filters_across_pages(staff_client, alerts):
    overseer = staff_client("overseer")
    first = overseer.get("/safeguarding/")
    assert first.status_code == 200
    page = first.context["alert_page"]
    assert page.paginator.count == 28 and page.paginator.num_pages == 2 and len(_ids_listed(first.content.decode())) == 25
    html = first.content.decode()
    assert 'href="?page=2"' in html
    second = overseer.get("/safeguarding/", {"page": 2})
    assert len(_ids_listed(second.content.decode())) == 3
    assert not _ids_listed(html) & _ids_listed(second.content.decode())
    filtered = overseer.get("/safeguarding/", {"status": "", "opened_from": clock.today().isoformat()}).content.decode()
    assert "status=&amp;opened_from=" in filtered and "page=2" in filtered  # the next page keeps the filters


def test_the_alert_list_filters_by_status_unit_and_the_days_alerts_were_opened(staff_client, alerts):
    overseer = staff_client("overseer")

    def listed(**params) -> set[str]:
        response = overseer.get("/safeguarding/", {"page": 1, **params})
        assert response.status_code == 200, response.context["alert_form"].errors
        return {str(a["alert"].public_id) for a in response.context["alert_rows"]} | (
            set() if response.context["alert_page"].paginator.num_pages == 1 else {"more"})

    assert listed(status="closed") == {str(alerts["closed"].public_id)}
    assert str(alerts["closed"].public_id) not in listed()
    assert listed(unit="PSD") == {str(alerts["january"].public_id)}
    assert listed(opened_to="2024-01-31") == {str(alerts["january"].public_id)}
    assert str(alerts["january"].public_id) not in listed(opened_from="2024-02-01")
    assert listed(status="closed", opened_to="2024-01-31") == set()
    refused = overseer.get("/safeguarding/", {"opened_from": "2024-02-01", "opened_to": "2024-01-01"})
    assert refused.status_code == 400 and "The end date is before the start date." in refused.content.decode()


def test_each_alert_links_to_the_cases_its_reporter_spoke_up_in(staff_client, alerts):
    overseer = staff_client("overseer")
    code = alerts["case"].code
    html = overseer.get("/safeguarding/", {"unit": "NE-RESP"}).content.decode()
    assert f'href="/cases/{code}/"' in html
    detail = overseer.get(f"/safeguarding/alerts/{alerts['on_case'].public_id}").content.decode()
    assert f'href="/cases/{code}/"' in detail
    assert overseer.get(f"/cases/{code}/").status_code == 200  # the link opens for the overseer


def test_a_confidential_staff_reporter_is_never_called_anonymous(cast, staff_client, alerts):
    unmatched = _retaliation(_unmatched_confidential_staff_report(Person.objects.get(number="1004")))
    overseer = staff_client("overseer")
    response = overseer.get("/safeguarding/", {"page": 2})
    row = next(r for r in response.context["alert_rows"] if r["alert"].pk == unmatched.pk)
    assert row["who"]["name"] == "Confidential staff reporter"
    linked = next(r for r in overseer.get("/safeguarding/", {"unit": "NE-RESP"}).context["alert_rows"]
                  if r["alert"].pk == alerts["on_case"].pk)
    assert linked["who"]["name"] == "Constable Priya Patel"  # the overseer may see who a staff reporter is
    assert "in confidence" in linked["who"]["how"]
    detail = overseer.get(f"/safeguarding/alerts/{unmatched.public_id}").content.decode()
    assert "Confidential staff reporter" in detail and "Anonymous" not in detail


def test_the_alert_pages_speak_plain_words(staff_client, alerts):
    overseer = staff_client("overseer")
    for url in ("/safeguarding/", "/safeguarding/?status=closed", f"/safeguarding/alerts/{alerts['closed'].public_id}",
                f"/safeguarding/alerts/{alerts['on_case'].public_id}", "/safeguarding/rates"):
        html = overseer.get(url).content.decode()
        assert not LABELS.search(html), (url, LABELS.search(html))
    closed = overseer.get(f"/safeguarding/alerts/{alerts['closed'].public_id}").content.decode()
    assert "Overseer (independent overseer)" in closed  # who closed it, by name and role


@pytest.mark.parametrize("username", ["handler_a", "supervisor", "custodian", "analyst", "admin", "facilitator"])
def test_nobody_but_the_overseer_sees_the_alert_list(staff_client, alerts, username):
    assert staff_client(username).get("/safeguarding/", {"status": ""}).status_code == 403


def test_the_filter_form_has_a_label_for_every_field(staff_client, alerts):
    html = staff_client("overseer").get("/safeguarding/").content.decode()
    for name in ("status", "unit", "opened_from", "opened_to"):
        assert f'<label for="id_{name}">' in html and f'id="id_{name}"' in html
    assert date(2024, 1, 15).strftime("%-d %b %Y") in staff_client("overseer").get(
        "/safeguarding/", {"unit": "PSD"}).content.decode()
