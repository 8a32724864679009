"""Pinned recipient keys (issue 11): a public key swapped in the database is refused, never sealed to, and the
overseer is alerted; rotating a key is an audited ceremony that re-seals everything and moves the pin."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from upstander.accounts.models import KeyGrant, Organisation
from upstander.audit.log import Actor, record
from upstander.audit.models import AuditEvent
from upstander.lib import crypto, keys
from upstander.reports import pins, sealing
from upstander.reports.creation import Identity, ReportInput, create_report
from upstander.reports.models import Report, SealedKey
from upstander.reports.rotation import do_rotate_organisation_key
from upstander.testing.journeys import Answers, Journey

NAME = "Erin Evans"


def _swap(kind: str, attacker: crypto.KeyPair) -> None:
    """What the attacker does: one UPDATE of the public key row, nothing else (no file access)."""
    Organisation.objects.filter(kind=kind).update(public_key=attacker.public)


def _opens_anything(attacker: crypto.KeyPair) -> bool:
    blobs = [bytes(b) for b in SealedKey.objects.values_list("sealed", flat=True)]
    blobs += [bytes(b) for b in Report.objects.exclude(sealed_identity=None).values_list("sealed_identity", flat=True)]
    for blob in blobs:
        try:
            crypto.unseal(attacker.private, blob)
            return True
        except crypto.CryptoError:
            continue
    return False


def _submit_through_the_pages(answers: Answers):
    journey = Journey(Client(), answers)
    assert journey.how().status_code == 302
    assert journey.about_you().status_code == 302
    assert journey.what().status_code == 302
    assert journey.upload([]).status_code == 302
    assert journey.equality().status_code == 302
    journey.check_token()
    return journey.submit()


def test_a_database_administrator_who_swaps_the_custodians_and_force_keys_gets_no_confidential_report(cast):
    """The attack: with write access to the database only, replace the identity custodians' and the force's
    public_key rows with the attacker's own key, then wait for the next confidential report, hoping its sealed
    identity and data key are sealed to the attacker. It must be refused, store nothing, and alert the overseer."""
    attacker = crypto.new_keypair()
    _swap("custodians", attacker)
    _swap("force", attacker)

    response = _submit_through_the_pages(Answers(mode="confidential", reporter_type="staff", name=NAME,
                                                 staff_number="1005"))

    page = response.content.decode()
    assert response.status_code == 503 and "could not take your report safely" in page
    assert "Nothing you wrote was stored" in page and 'id="receipt"' not in page
    assert not Report.objects.exists() and not SealedKey.objects.exists()
    assert not _opens_anything(attacker)
    alerts = AuditEvent.objects.filter(action="keys.pin_mismatch")
    assert alerts.exists() and all("Nothing was sealed" in a.reason for a in alerts)


def test_a_swapped_overseer_key_refuses_an_independent_route_report(cast):
    """The same attack on the overseer's key, for a report on the independent route (sealed to the overseer alone)."""
    attacker = crypto.new_keypair()
    _swap("overseer", attacker)
    response = _submit_through_the_pages(Answers(mode="named", reporter_type="staff", independent=True, name=NAME))
    assert response.status_code == 503
    assert not Report.objects.exists() and not _opens_anything(attacker)
    assert AuditEvent.objects.filter(action="keys.pin_mismatch", object_id=str(
        Organisation.objects.get(kind="overseer").public_id)).exists()


def test_a_listening_circle_disclosure_is_refused_after_a_key_swap(cast, staff_client):
    attacker = crypto.new_keypair()
    _swap("force", attacker)
    client = staff_client("facilitator")
    response = client.post("/cases/reports/disclosures/new", {
        "session_on": "2024-05-01", "mode": "anonymous", "reporter_type": "public", "narrative": "He shouted at her.",
        "categories": ["bullying"], "reporter_role": "witness", "consent": "case_team"})
    assert response.status_code == 503 and "nothing was stored" in response.content.decode()
    assert not Report.objects.exists() and not _opens_anything(attacker)
    assert AuditEvent.objects.filter(action="keys.pin_mismatch").exists()


def test_an_embedded_installation_without_pins_trusts_its_keys_on_first_use_and_says_so(cast):
    keys.pins_path().unlink()
    with transaction.atomic():
        create_report(ReportInput(mode="confidential", reporter_type="public", narrative="It happened again.",
                                  categories=["bullying"], identity=Identity(name=NAME)), receipt=None)
    pinned = keys.read_pins()
    assert set(pinned) == {"force", "overseer", "custodians"}
    assert pinned["force"] == pins.fingerprint(Organisation.objects.get(kind="force"))
    assert AuditEvent.objects.filter(action="keys.pin").count() == 3


def test_in_production_a_key_without_a_pin_is_refused(cast, settings):
    settings.PRODUCTION = True
    keys.pins_path().unlink()
    with pytest.raises(pins.RecipientKeyRefused, match="has no pinned key"):
        sealing.seal_identity({"name": NAME})


def test_rotating_the_force_key_reseals_every_report_and_moves_the_pin(cast, django_capture_on_commit_callbacks):
    supervisor = cast.users["supervisor"]
    with transaction.atomic():
        report = create_report(ReportInput(mode="anonymous", reporter_type="public", narrative="He shouts at us.",
                                           categories=["bullying"]), receipt=None)
        record(Actor.reporter(), "report.submit", report)
    old = cast.org_keys["force"]
    with django_capture_on_commit_callbacks(execute=True):
        rotated = do_rotate_organisation_key(actor=supervisor, org_key=old, password=cast.passwords["supervisor"],
                                             reason="A former member may have kept a copy of the key.")
    force = Organisation.objects.get(kind="force")
    assert keys.read_pins()["force"] == rotated.fingerprint == pins.fingerprint(force)
    assert rotated.resealed == 1 and rotated.recovery_secret
    with pytest.raises(sealing.KeyUnavailable):
        sealing.data_key_for_org(report, force, old)  # the old key opens nothing any more
    from upstander.accounts.actions import unwrap_member_key

    new = unwrap_member_key(supervisor, cast.passwords["supervisor"])
    assert new is not None and sealing.decrypt_field(sealing.data_key_for_org(report, force, new), report,
                                                     "narrative") == "He shouts at us."
    assert not KeyGrant.objects.filter(organisation=force, revoked_at__isnull=True).exclude(user=supervisor).exists()
    event = AuditEvent.objects.get(action="keys.rotate")
    assert event.actor == "user:supervisor" and rotated.fingerprint in event.reason


def test_a_swapped_key_is_never_rotated_into_the_pins(cast):
    """The attack: swap the force's key in the database, then get a supervisor to "rotate" it, hoping the pin
    follows the swapped key."""
    _swap("force", crypto.new_keypair())
    pinned = keys.read_pins()["force"]
    with pytest.raises(pins.RecipientKeyRefused):
        do_rotate_organisation_key(actor=cast.users["supervisor"], org_key=cast.org_keys["force"],
                                   password=cast.passwords["supervisor"], reason="Routine rotation of the key.")
    assert keys.read_pins()["force"] == pinned
    assert AuditEvent.objects.filter(action="keys.pin_mismatch").exists()


def test_only_the_senior_member_of_an_organisation_may_rotate_its_key(cast):
    with pytest.raises(pins.PermissionDenied):
        do_rotate_organisation_key(actor=cast.users["handler_a"], org_key=cast.org_keys["force"],
                                   password=cast.passwords["handler_a"], reason="Routine rotation of the key.")
