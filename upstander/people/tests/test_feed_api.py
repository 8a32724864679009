"""The nightly HR feed: POST /people/api/feed with a scoped, revocable bearer token; every use audited."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner
from django.test import Client

from upstander.accounts.models import ApiToken
from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.people.actions import do_create_api_token, do_revoke_api_token
from upstander.people.commands import people as people_cli
from upstander.people.models import HREvent, Person
from upstander.people.tests.roster import TABLES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("upstander.people.tests.urls")]
URL = "/people/api/feed"


def post(payload, secret: str | None) -> tuple[int, dict]:
    client = Client(enforce_csrf_checks=True)  # the feed works without a CSRF token: it takes no cookies
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    response = client.post(URL, data=json.dumps(payload), content_type="application/json", **headers)
    return response.status_code, response.json()


@pytest.fixture
def feed_token(cast):
    return do_create_api_token(actor=Actor.system("people"), name="nightly", created_by=cast.users["admin"])


def test_a_good_token_imports_the_feed_and_the_use_is_audited(feed_token):
    status, body = post(TABLES, feed_token.secret)
    assert status == 200, body
    assert body["tables"]["people"]["created"] == 6 and Person.objects.count() == 6
    event = AuditEvent.objects.get(action="people.import")
    assert event.actor == "token:nightly" and event.object_id == f"feed:{feed_token.token.public_id}"
    assert ApiToken.objects.get(pk=feed_token.token.pk).last_used_on is not None
    assert ApiToken.objects.get(pk=feed_token.token.pk).digest != feed_token.secret  # only the digest is kept


def test_a_record_left_out_of_the_feed_keeps_its_stored_fields(feed_token):
    post(TABLES, feed_token.secret)
    status, body = post({"people": [{"number": "1003", "kind": "officer", "given_name": "Priya",
                                     "family_name": "Patel-Jones", "rank": "Constable", "joined_on": "2015-04-01",
                                     "unit_code": "NE-RESP", "ethnicity": "white_british", "sex": "female"}]},
                        feed_token.secret)
    assert status == 200, body
    priya = Person.objects.get(number="1003")
    assert priya.family_name == "Patel-Jones" and priya.team.code == "NE-R-A"  # team_code was not sent


def test_a_revoked_token_is_refused_and_the_attempt_audited(feed_token):
    do_revoke_api_token(actor=Actor.system("people"), token=feed_token.token)
    status, body = post(TABLES, feed_token.secret)
    assert status == 401 and "revoked" in body["error"]
    assert Person.objects.count() == 0
    assert AuditEvent.objects.filter(action="api_token.use", reason="refused: token revoked").count() == 1


def test_a_token_of_another_scope_is_refused(cast):
    other = do_create_api_token(actor=Actor.system("people"), name="exports", scope="analytics_export",
                                created_by=cast.users["admin"])
    status, body = post(TABLES, other.secret)
    assert status == 403 and Person.objects.count() == 0


def test_no_token_or_an_unknown_one_is_refused(feed_token):
    assert post(TABLES, None)[0] == 401
    assert post(TABLES, "upst_guessed")[0] == 401
    assert Person.objects.count() == 0


def test_a_bad_record_in_the_feed_changes_nothing_and_is_named(feed_token):
    tables = copy.deepcopy(TABLES)
    tables["hr_events"][2]["outcome"] = "selected"
    tables["people"][0]["hair"] = "grey"
    status, body = post(tables, feed_token.secret)
    assert status == 400 and Person.objects.count() == 0 and HREvent.objects.count() == 0
    assert body["errors"] == [
        {"source": "hr_events", "record": 3, "reason": "outcome selected does not apply to a promotion_board event "
                                                      "(use one of applied, failed, not_promoted, passed, promoted)"},
        {"source": "people", "record": 1, "reason": "unknown field hair"}]
    assert AuditEvent.objects.filter(action="api_token.use", reason__startswith="rejected").count() == 1


def test_staff_sessions_cannot_use_the_feed_without_a_token(staff_client):
    response = staff_client("admin").post(URL, data=json.dumps(TABLES), content_type="application/json")
    assert response.status_code == 401 and Person.objects.count() == 0


def test_the_token_commands_create_print_once_and_revoke(cast):
    result = CliRunner().invoke(people_cli, ["token", "create", "nightly feed", "--json"])
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    token = ApiToken.objects.get(public_id=created["id"])
    assert token.scope == "hr_feed" and created["token"].startswith("upst_") and token.created_by.username == "admin"
    result = CliRunner().invoke(people_cli, ["token", "revoke", created["id"]])
    assert result.exit_code == 0 and ApiToken.objects.get(pk=token.pk).revoked_at is not None
    result = CliRunner().invoke(people_cli, ["token", "revoke", "not-an-id"])
    assert result.exit_code == 1 and "no token with id" in result.stderr
