"""Base fixtures: the personas of DESIGN.md, made through the real actions, and logged-in clients.

A reporter has no account: reporter journeys use the plain `client`. Staff clients are logged in with password
and a real TOTP code through the login form, so every staff test exercises two-factor login.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp

from upstander.testing.personas import Cast, create_cast


def current_code(totp_key_hex: str) -> str:
    return f"{totp(bytes.fromhex(totp_key_hex)):06d}"


def unused_code(username: str) -> str:
    """A valid code the account has not used yet. TOTP refuses a replayed code, so a test that signs the same
    persona in twice within one 30-second step uses the next step's code (inside the verifier's tolerance)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now_t = generator.t()
    if device.last_t >= now_t + 1:
        time.sleep(device.step)  # both this step and the next are used up: wait for a fresh one
        now_t = generator.t()
    step = max(now_t, device.last_t + 1)
    generator.time = device.t0 + step * device.step
    return f"{generator.token():06d}"


@pytest.fixture
def cast(db) -> Cast:
    return create_cast()


@pytest.fixture
def installation(db) -> None:
    """An installation as `upstander migrate` makes it (keys, organisations, the installation row), for tests that
    run a command in-process without the cast: every command but migrate, keys init and demo refuses without one."""
    from upstander.operations.records import install

    install()


def login(client: Client, cast: Cast, username: str) -> Client:
    response = client.post("/accounts/login", {
        "username": username, "password": cast.passwords[username], "otp_token": unused_code(username),
    })
    assert response.status_code == 302, f"login failed for {username}: {response.status_code}"
    return client


@pytest.fixture
def staff_client(cast):
    """staff_client("handler_a") -> a Client logged in as that persona (password + TOTP)."""

    def make(username: str) -> Client:
        return login(Client(), cast, username)

    return make


@pytest.fixture
def handler_a(cast):
    return cast.users["handler_a"]


@pytest.fixture
def handler_b(cast):
    return cast.users["handler_b"]


@pytest.fixture
def supervisor(cast):
    return cast.users["supervisor"]


@pytest.fixture
def facilitator(cast):
    return cast.users["facilitator"]


@pytest.fixture
def custodian(cast):
    return cast.users["custodian"]


@pytest.fixture
def overseer(cast):
    return cast.users["overseer"]


@pytest.fixture
def analyst(cast):
    return cast.users["analyst"]


@pytest.fixture
def admin_user(cast):
    return cast.users["admin"]


@pytest.fixture(autouse=True)
def _fresh_health_cache():
    """Each test has a new database: a health result an earlier test left in the per-process cache (health.py) says
    nothing about it."""
    from upstander import health

    health._cache.clear()
