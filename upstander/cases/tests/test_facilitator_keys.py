"""Least privilege for a listening-circle facilitator's key (issue 11, item 4): they hold the listening circles' key,
which opens the disclosures they recorded until a case team takes each on, and nothing that opens the force's
reports."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from upstander.accounts.actions import unwrap_member_key
from upstander.accounts.models import KeyGrant, Organisation
from upstander.audit.models import AuditEvent
from upstander.cases.report_access import open_report_for, visible_reports
from upstander.cases.report_actions import do_record_disclosure
from upstander.cases.triage import do_add_report_to_case, do_open_case
from upstander.lib import clock, crypto
from upstander.reports import sealing
from upstander.reports.creation import Identity, ReportInput, Subject
from upstander.reports.models import SealedKey
from upstander.testing.journeys import Answers, Journey, report_for

CANARY_NAME = "Ottoline Canary-Fairweather"
CANARY_EMAIL = "ottoline.canary@example.org"


def _facilitator_key(cast) -> bytes:
    """What the facilitator's login unwraps from their password (accounts/auth.py does the same)."""
    key = unwrap_member_key(cast.users["facilitator"], cast.passwords["facilitator"])
    assert key is not None
    return key


def _submit(**answers):
    journey = Journey(Client(), Answers(**answers))
    journey.run()
    return report_for(journey.receipt)


def _disclosure(cast, narrative: str = "In the circle she said the inspector grabbed her at the leaving do."):
    data = ReportInput(mode="named", reporter_type="staff", narrative=narrative, categories=["sexual_misconduct"],
                       reporter_role="victim", subjects=[Subject("Derek Dyer", "1004", "North Borough")],
                       identity=Identity(name=CANARY_NAME, staff_number="", email=CANARY_EMAIL))
    return do_record_disclosure(actor=cast.users["facilitator"], data=data, session_on=clock.today(),
                                consent="record_only")


def test_a_facilitators_key_opens_no_force_report_and_no_named_reporters_identity(cast, staff_client):
    """The attack: a listening-circle facilitator signed in, which unwrapped the force's whole organisation key into
    their session (they were a member of the force organisation), and used it to open every force report made
    through the reporter side, named reporters' names and e-mail addresses included. Now their password unwraps the
    listening circles' key, and no copy of a reporter-side report's key is sealed to it."""
    named = _submit(mode="named", name=CANARY_NAME, email=CANARY_EMAIL, wants_update_email=True)
    anonymous = _submit()
    key = _facilitator_key(cast)
    force = Organisation.objects.get(kind="force")
    circles = Organisation.objects.get(kind="circles")
    assert crypto.is_key_pair(bytes(circles.public_key), key)
    assert not crypto.is_key_pair(bytes(force.public_key), key)
    assert set(KeyGrant.objects.filter(user=cast.users["facilitator"], revoked_at__isnull=True)
               .values_list("organisation__kind", flat=True)) == {"circles"}

    for report in (named, anonymous):
        kinds = set(SealedKey.objects.filter(report=report).values_list("organisation__kind", flat=True))
        assert kinds == {"force", "overseer"}
        for sealed in SealedKey.objects.filter(report=report).values_list("sealed", flat=True):
            with pytest.raises(crypto.CryptoError):
                crypto.unseal(key, bytes(sealed))
        with pytest.raises(sealing.KeyUnavailable):
            sealing.data_key_for_org(report, force, key)
        with pytest.raises(Http404):
            open_report_for(cast.users["facilitator"], report.public_id, key)
    # The handler's force key does open it, so the report really carries the name the facilitator must not see.
    data_key = sealing.data_key_for_org(named, force, cast.org_keys["force"])
    assert sealing.decrypt_identity(data_key, named)["email"] == CANARY_EMAIL

    client = staff_client("facilitator")
    assert client.get(f"/cases/reports/{named.public_id}/").status_code == 404
    listing = client.get("/cases/reports/?show=all").content.decode()
    assert str(named.public_id) not in listing and CANARY_NAME not in listing


def test_a_facilitator_reads_their_own_disclosure_before_a_case_exists_and_not_after_a_case_team_opens_one(cast):
    """The attack this closes: a facilitator keeping a key that opens a disclosure after it was handed to a case
    team. When the case is opened, the circles' copy of the report's key is deleted in the same transaction
    (audited), so even the circles' key itself opens nothing of it any more."""
    report = _disclosure(cast)
    key = _facilitator_key(cast)
    circles = Organisation.objects.get(kind="circles")
    assert set(SealedKey.objects.filter(report=report).values_list("organisation__kind", flat=True)) == {
        "force", "overseer", "circles"}
    opened = open_report_for(cast.users["facilitator"], report.public_id, key)
    assert "grabbed her" in opened.narrative and opened.identity and opened.identity["name"] == CANARY_NAME

    do_open_case(actor=cast.users["handler_a"], report=report)

    assert not SealedKey.objects.filter(report=report, organisation=circles).exists()
    assert report not in visible_reports(cast.users["facilitator"])
    with pytest.raises(Http404):
        open_report_for(cast.users["facilitator"], report.public_id, key)
    with pytest.raises(sealing.KeyUnavailable):
        sealing.data_key_for_org(report, circles, key)
    withdrawn = AuditEvent.objects.get(action="report.circles_key_withdrawn")
    assert withdrawn.actor == "user:handler_a"
    # The case team still reads it with the force's key.
    force = Organisation.objects.get(kind="force")
    assert "grabbed her" in sealing.decrypt_field(sealing.data_key_for_org(report, force, cast.org_keys["force"]),
                                                  report, "narrative")


def test_a_disclosure_added_to_an_existing_case_loses_its_circles_copy_too(cast):
    """The same attack through the other door: a disclosure that joins a case already open, rather than opening one."""
    first = _submit()
    case = do_open_case(actor=cast.users["handler_a"], report=first)
    report = _disclosure(cast, "He did the same to me in the same station.")
    assert SealedKey.objects.filter(report=report, organisation__kind="circles").exists()

    do_add_report_to_case(actor=cast.users["handler_a"], report=report, case=case)

    assert not SealedKey.objects.filter(report=report, organisation__kind="circles").exists()
    assert AuditEvent.objects.filter(action="report.circles_key_withdrawn").count() == 1
    with pytest.raises(sealing.KeyUnavailable):
        sealing.data_key_for_org(report, Organisation.objects.get(kind="circles"), _facilitator_key(cast))


def test_a_report_from_the_reporter_side_is_never_sealed_to_the_listening_circles(cast):
    report = _submit(mode="named", name=CANARY_NAME, email=CANARY_EMAIL)
    assert not SealedKey.objects.filter(report=report, organisation__kind="circles").exists()
    assert sealing.recipient_kinds("force") == ["force", "overseer"]
    assert sealing.recipient_kinds("independent", listening_circle=True) == ["overseer", "circles"]
