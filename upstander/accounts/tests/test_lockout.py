"""Regression tests for the login lockout found in the insider review (issue 11): anyone could lock any staff
account, and a locked account answered in 0.06 s against 1.0 s for an unknown username."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from upstander.accounts.models import User
from upstander.testing.fixtures import unused_code

CALLS: list[str] = []


class CountingHasher(Argon2PasswordHasher):
    """The suite's fast Argon2id, counting every hash it computes (to check that every answer does the same work)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1

    def encode(self, password, salt):
        CALLS.append("encode")
        return super().encode(password, salt)

    def verify(self, password, encoded):
        CALLS.append("verify")
        return super().verify(password, encoded)


def _fail_five_times(username: str) -> None:
    for _ in range(5):
        Client().post("/accounts/login", {"username": username, "password": "wrong-password-123",
                                          "otp_token": "123456"})


def test_a_lockout_cannot_keep_the_member_out_when_they_have_their_authenticator(cast):
    """Attack: a colleague types a wrong password five times every fifteen minutes to keep someone out of their
    caseload. The member, with their password and a fresh code from their own authenticator, still gets in."""
    _fail_five_times("handler_a")
    assert User.objects.get(username="handler_a").locked_until is not None
    response = Client().post("/accounts/login", {"username": "handler_a", "password": cast.passwords["handler_a"],
                                                 "otp_token": unused_code("handler_a")})
    assert response.status_code == 302
    assert User.objects.get(username="handler_a").locked_until is None


def test_guesses_while_locked_without_the_second_factor_do_not_extend_the_lock(cast):
    """Attack: keep an account locked for ever by guessing during the lock. Without a valid code a guess during the
    lock is refused uncounted, so the lock cannot be pushed further out."""
    _fail_five_times("handler_a")
    locked_until = User.objects.get(username="handler_a").locked_until
    _fail_five_times("handler_a")
    after = User.objects.get(username="handler_a")
    assert after.locked_until == locked_until
    assert after.failed_logins == 0


@pytest.mark.parametrize("who", ["known", "locked", "unknown"])
def test_every_username_costs_one_password_hash_so_timing_tells_nothing(cast, settings, who):
    """Attack: tell which usernames exist, and which are locked, from how fast the login page answers. A locked
    account used to answer without hashing the password (0.06 s against 1.0 s); now every answer hashes once."""
    if who == "locked":
        _fail_five_times("handler_a")
    settings.PASSWORD_HASHERS = ["upstander.accounts.tests.test_lockout.CountingHasher"]
    username = "nobody_here" if who == "unknown" else "handler_a"
    CALLS.clear()
    response = Client().post("/accounts/login", {"username": username, "password": "wrong-password-123",
                                                 "otp_token": "123456"})
    assert response.status_code == 400
    assert len(CALLS) == 1, CALLS
