"""The witness's token reads the audit chain and nothing else, the chain it reads holds no reporter content, and
the overseer's pages say when the witness last confirmed the log."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.audit.tests.tampering import rewrite_and_recompute
from upstander.people.actions import do_create_api_token, do_revoke_api_token
from upstander.testing.journeys import Answers, Journey

pytestmark = pytest.mark.django_db(transaction=True)

CANARIES = {
    "narrative": "CANARY narrative damson-6620",
    "place": "CANARY place medlar-3318",
    "name": "Canary Reporter Thistlewood",
    "staff_number": "CANARY-99017",
    "email": "canary.bramble@example.org",
    "subject": "Canary Subject Wolfsbane",
}


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_witness_token_cannot_read_or_change_anything_else(witness_token, cast):
    """Attack: use the witness's token (kept on the overseer's machine, so more exposed than a staff password) on
    every other door: the HR feed, staff pages, the audit search."""
    client = Client()
    headers = _bearer(witness_token.secret)
    feed = client.post("/people/api/feed", data="{}", content_type="application/json", **headers)
    assert feed.status_code == 403 and "scope does not allow hr_feed" in feed.json()["error"]
    for page in ("/audit/", "/audit/witness", "/oversight/", "/cases/", "/insight/", "/custody/oversight/"):
        response = client.get(page, **headers)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login"), page
    assert client.get("/audit/api/since?after=0", **headers).status_code == 200


def test_other_tokens_and_no_token_cannot_read_the_chain(witness_token, cast):
    hr = do_create_api_token(actor=Actor.system("people"), name="nightly", created_by=cast.users["admin"])
    client = Client()
    assert client.get("/audit/api/since?after=0", **_bearer(hr.secret)).status_code == 403
    assert client.post("/audit/api/witness", data="{}", content_type="application/json",
                       **_bearer(hr.secret)).status_code == 403
    assert client.get("/audit/api/since?after=0").status_code == 401
    do_revoke_api_token(actor=Actor.system("people"), token=witness_token.token)
    assert client.get("/audit/api/since?after=0", **_bearer(witness_token.secret)).status_code == 401
    # a logged-in overseer's session is not a token either
    from upstander.testing.fixtures import login

    overseer = login(Client(), cast, "overseer")
    assert overseer.get("/audit/api/since?after=0").status_code == 401


def test_the_witness_endpoint_reveals_no_reporter_content(witness_token, cast):
    """Attack: read reporters' content through the witness's view of the audit log. It carries only the audit
    rows' own columns: no narrative, place, name, staff number, e-mail or subject, and a reporter's day only."""
    Journey(Client(), Answers(narrative=CANARIES["narrative"], place=CANARIES["place"],
                              subjects=[(CANARIES["subject"], "1004", "North Borough")])).run()
    Journey(Client(), Answers(mode="confidential", reporter_type="staff", name=CANARIES["name"],
                              staff_number=CANARIES["staff_number"], email=CANARIES["email"],
                              narrative=CANARIES["narrative"])).run()
    response = Client().get("/audit/api/since?after=0&limit=5000", **_bearer(witness_token.secret))
    assert response.status_code == 200
    body = response.content.decode()
    for what, canary in CANARIES.items():
        assert canary not in body, f"the reporter's {what} is in the witness's view"
    events = json.loads(body)["events"]
    assert set(events[0]) == {"id", "hash", "prev_hash", "action", "actor", "role", "object_type", "object_id", "at",
                              "reason"}
    submitted = [e for e in events if e["role"] == "reporter"]
    assert submitted and all(e["at"].endswith("T00:00:00.000000Z") for e in submitted)


def test_the_overseer_page_shows_when_the_witness_last_confirmed_the_log(witness, staff_client):
    overseer = staff_client("overseer")
    before = overseer.get("/oversight/").content.decode()
    assert "The overseer's witness has not yet confirmed this audit log." in before

    confirmed = witness.run()
    assert not confirmed.warnings
    for page in ("/oversight/", "/audit/witness"):
        text = overseer.get(page).content.decode()
        assert "The overseer's witness last confirmed the audit log" in text, page
        assert f"up to event {confirmed.head.id}." in text
        assert "has not yet confirmed" not in text and "could not be checked" not in text

    rewrite_and_recompute(confirmed.head.id - 1, "rewritten")
    after = overseer.get("/oversight/").content.decode()
    assert "The audit log no longer matches what the overseer's witness confirmed" in after
    assert AuditEvent.objects.filter(action="audit.witness_confirm").count() == 1


def test_the_page_says_when_the_confirmation_could_not_be_checked(witness, staff_client, monkeypatch, tmp_path):
    witness.run(report=False)
    monkeypatch.setenv("UPSTANDER_OVERSEER_PUBLIC_KEY_FILE", str(tmp_path / "not-deployed.pub"))
    result = witness.run()
    assert result.warnings and "did not record the confirmation" in result.warnings[0]
    assert "never" not in result.warnings[0]
    text = staff_client("overseer").get("/oversight/").content.decode()
    assert "has not yet confirmed" in text  # nothing unverifiable was recorded


def test_the_page_warns_when_the_last_confirmation_is_old(witness, staff_client):
    from upstander.witness.run import run_once

    run_once(witness.store, witness.client, "2020-01-06T09:30:00+00:00")
    text = staff_client("overseer").get("/oversight/").content.decode()
    assert "on 6 January 2020 at 09:30" in text
    assert "That is more than 24 hours ago:</strong> the witness may have stopped, or refused the log." in text
