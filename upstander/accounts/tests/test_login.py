from __future__ import annotations

from django.test import Client

from upstander.accounts import session_keys
from upstander.audit.models import AuditEvent
from upstander.testing.fixtures import current_code


def test_a_handler_signs_in_with_password_and_code_and_holds_the_force_key(cast):
    client = Client()
    response = client.post("/accounts/login", {
        "username": "handler_a", "password": cast.passwords["handler_a"],
        "otp_token": current_code(cast.totp_keys["handler_a"])})
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    assert session_keys.COOKIE in response.cookies
    assert AuditEvent.objects.filter(action="login.success", actor="user:handler_a").exists()


def test_it_refuses_a_login_without_the_second_factor(cast):
    response = Client().post("/accounts/login", {"username": "handler_a", "password": cast.passwords["handler_a"],
                                                  "otp_token": "000000"})
    assert response.status_code == 400
    assert "_auth_user_id" not in Client().session


def test_it_refuses_a_replayed_totp_code(cast):
    code = current_code(cast.totp_keys["handler_a"])
    data = {"username": "handler_a", "password": cast.passwords["handler_a"], "otp_token": code}
    assert Client().post("/accounts/login", data).status_code == 302
    assert Client().post("/accounts/login", data).status_code == 400


def test_it_locks_an_account_against_password_guessing(cast):
    bad = {"username": "handler_a", "password": "wrong-password-123", "otp_token": "123456"}
    for _ in range(5):
        Client().post("/accounts/login", bad)
    right_password_wrong_code = {"username": "handler_a", "password": cast.passwords["handler_a"],
                                 "otp_token": "000000"}
    assert Client().post("/accounts/login", right_password_wrong_code).status_code == 400


def test_the_session_table_never_holds_the_organisation_key_in_the_clear(cast, staff_client):
    from django.contrib.sessions.models import Session

    from upstander.accounts.actions import unwrap_member_key

    client = staff_client("handler_a")
    key = unwrap_member_key(cast.users["handler_a"], cast.passwords["handler_a"])
    assert key is not None
    for session in Session.objects.all():
        assert key not in session.session_data.encode()
        assert key.hex() not in session.session_data
    assert client.cookies[session_keys.COOKIE].value


def test_the_same_persona_can_sign_in_twice_in_one_test(staff_client):
    first = staff_client("supervisor")
    second = staff_client("supervisor")
    assert first.get("/cases/").status_code == 200
    assert second.get("/cases/").status_code == 200


def test_every_persona_lands_on_a_page_it_may_open(cast):
    """Regression: analysts, custodians, facilitators and administrators used to land on the case queue, a 403."""
    from upstander.testing.fixtures import unused_code

    for username in cast.users:
        client = Client()
        response = client.post("/accounts/login", {"username": username, "password": cast.passwords[username],
                                                   "otp_token": unused_code(username)})
        assert response.status_code == 302, username
        assert client.get(response["Location"]).status_code == 200, (username, response["Location"])
