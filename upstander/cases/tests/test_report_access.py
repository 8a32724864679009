"""Who may see which report on the staff side: deny by default, the independent route hidden from the force until
released, facilitators limited to their own disclosures, every report URL refused to the wrong persona."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from upstander.accounts.models import Organisation
from upstander.audit.models import AuditEvent
from upstander.cases.report_access import get_report_for, visible_reports
from upstander.cases.triage import do_release_report
from upstander.lib import crypto
from upstander.reports import sealing
from upstander.reports.models import SealedKey
from upstander.testing.journeys import Answers, Journey, report_for

PERSONAS = ("handler_a", "handler_b", "supervisor", "facilitator", "custodian", "overseer", "analyst", "admin")


def _submit(**answers):
    journey = Journey(Client(), Answers(**answers))
    journey.run()
    return report_for(journey.receipt)


@pytest.fixture
def force_report(cast):
    return _submit()


@pytest.fixture
def independent_report(cast):
    return _submit(reporter_type="staff", independent=True)


def _urls(report) -> list[str]:
    return ["/cases/reports/", f"/cases/reports/{report.public_id}/"]


@pytest.mark.parametrize("persona,list_status,detail_status", [
    ("handler_a", 200, 200), ("supervisor", 200, 200), ("overseer", 200, 200), ("facilitator", 200, 404),
    ("custodian", 403, 403), ("analyst", 403, 403), ("admin", 403, 403),
])
def test_each_persona_gets_what_the_persona_table_allows(force_report, staff_client, persona, list_status,
                                                        detail_status):
    client = staff_client(persona)
    assert client.get("/cases/reports/").status_code == list_status
    assert client.get(f"/cases/reports/{force_report.public_id}/").status_code == detail_status
    reply = client.post(f"/cases/reports/{force_report.public_id}/reply", {"body": "hello"})
    assert reply.status_code == (302 if persona in ("handler_a", "supervisor", "overseer") else 403)


def test_a_stranger_is_sent_to_sign_in(force_report):
    for url in _urls(force_report):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_the_force_never_sees_an_independent_route_report_until_the_overseer_releases_it(
        independent_report, cast, staff_client):
    handler = cast.users["handler_a"]
    assert independent_report not in visible_reports(handler)
    assert staff_client("handler_a").get(f"/cases/reports/{independent_report.public_id}/").status_code == 404
    assert staff_client("overseer").get(f"/cases/reports/{independent_report.public_id}/").status_code == 200

    overseer_org = Organisation.objects.get(kind="overseer")
    data_key = sealing.data_key_for_org(independent_report, overseer_org, cast.org_keys["overseer"])
    do_release_report(actor=cast.users["overseer"], report=independent_report, reasons="The force may act on it.",
                      data_key=data_key)
    assert get_report_for(handler, independent_report.public_id) == independent_report


def test_an_unknown_or_malformed_report_id_is_not_found(cast, staff_client):
    client = staff_client("overseer")
    assert client.get("/cases/reports/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/cases/reports/not-a-uuid/").status_code == 404


def test_releasing_to_a_force_key_swapped_in_the_database_is_refused(independent_report, cast):
    """The attack: replace the force's public_key row with the attacker's key, then wait for the overseer to release
    an independent-route report, hoping its data key is sealed to the attacker. The release is refused (nothing of it
    is stored) and the overseer is alerted."""
    attacker = crypto.new_keypair()
    Organisation.objects.filter(kind="force").update(public_key=attacker.public)
    overseer_org = Organisation.objects.get(kind="overseer")
    data_key = sealing.data_key_for_org(independent_report, overseer_org, cast.org_keys["overseer"])
    with pytest.raises(PermissionDenied, match="nothing was stored"):
        do_release_report(actor=cast.users["overseer"], report=independent_report, reasons="The force may act on it.",
                          data_key=data_key)
    independent_report.refresh_from_db()
    assert independent_report.released_on is None
    assert not SealedKey.objects.filter(organisation__kind="force").exists()
    assert AuditEvent.objects.filter(action="keys.pin_mismatch").exists()
