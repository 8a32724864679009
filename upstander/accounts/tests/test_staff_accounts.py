"""Staff accounts outside demo mode (issue 11): an administrator creates, re-roles and disables accounts; each new
member sets their own password and enrols their own authenticator at first sign-in."""

from __future__ import annotations

import re

from click.testing import CliRunner
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts.models import KeyGrant, User
from upstander.audit.models import AuditEvent


def _create_through_the_page(admin) -> tuple[str, str]:
    response = admin.post("/accounts/staff/", {"username": "new_analyst", "first_name": "Priya", "last_name": "Shah",
                                               "email": "", "role": "analyst"})
    assert response.status_code == 200
    page = response.content.decode()
    temporary = re.search(r"Temporary password</dt><dd><code>([^<]+)</code>", page).group(1)
    return "new_analyst", temporary


def _code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_an_administrator_creates_an_account_and_the_member_enrols_at_first_sign_in(cast, staff_client):
    admin = staff_client("admin")
    username, temporary = _create_through_the_page(admin)
    assert AuditEvent.objects.filter(action="account.create", actor="user:admin").exists()
    assert not TOTPDevice.objects.filter(user__username=username).exists()  # the admin never saw a secret

    member = Client()
    response = member.post("/accounts/login", {"username": username, "password": temporary, "otp_token": ""})
    assert response.status_code == 302 and response["Location"] == "/accounts/enrol"
    page = member.get("/accounts/enrol").content.decode()
    assert "<svg" in page and "enter a key" in page
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = member.post("/accounts/enrol", {"new_password": "a-long-own-passphrase-42",
                                               "again": "a-long-own-passphrase-42", "otp_token": _code_for(device)})
    assert response.status_code == 302
    assert member.get(response["Location"]).status_code == 200
    assert AuditEvent.objects.filter(action="account.enrol", actor=f"user:{username}").exists()
    # The temporary password the administrator saw no longer works.
    assert not User.objects.get(username=username).check_password(temporary)


def test_enrolment_refuses_a_wrong_code_and_keeps_what_was_typed_safe(cast, staff_client):
    username, temporary = _create_through_the_page(staff_client("admin"))
    member = Client()
    member.post("/accounts/login", {"username": username, "password": temporary, "otp_token": ""})
    response = member.post("/accounts/enrol", {"new_password": "a-long-own-passphrase-42",
                                               "again": "a-long-own-passphrase-42", "otp_token": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert User.objects.get(username=username).must_change_password


def test_the_enrolment_page_is_nothing_without_a_proved_temporary_password(db):
    assert Client().get("/accounts/enrol")["Location"] == "/accounts/login"


def test_changing_a_role_to_another_organisation_takes_the_old_key_away(cast, staff_client):
    admin = staff_client("admin")
    handler = cast.users["handler_a"]
    assert KeyGrant.objects.filter(user=handler, revoked_at__isnull=True).exists()
    response = admin.post(f"/accounts/staff/{handler.public_id}/role", {"role": "analyst", "reason": "moved team"})
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.role == "analyst" and handler.organisation is None
    assert not KeyGrant.objects.filter(user=handler, revoked_at__isnull=True).exists()
    assert "is now analyst" in admin.get("/accounts/staff/").content.decode()


def test_a_disabled_account_cannot_sign_in(cast, staff_client):
    admin = staff_client("admin")
    target = cast.users["supervisor"]
    admin.post(f"/accounts/staff/{target.public_id}/disable", {"reason": "left the force"})
    assert AuditEvent.objects.filter(action="account.disable", reason="left the force").exists()
    from upstander.testing.fixtures import unused_code

    response = Client().post("/accounts/login", {"username": "supervisor", "password": cast.passwords["supervisor"],
                                                 "otp_token": unused_code("supervisor")})
    assert response.status_code == 400


def test_an_administrator_cannot_disable_or_re_role_themselves(cast, staff_client):
    admin = staff_client("admin")
    me = cast.users["admin"]
    assert "This is you" in admin.get("/accounts/staff/").content.decode()
    admin.post(f"/accounts/staff/{me.public_id}/disable", {"reason": "oops"})
    admin.post(f"/accounts/staff/{me.public_id}/role", {"role": "overseer", "reason": "promote myself"})
    me.refresh_from_db()
    assert me.is_active and me.role == "admin"


def test_only_an_administrator_reaches_the_staff_accounts_page(cast, staff_client):
    for username in ("handler_a", "supervisor", "overseer", "analyst", "custodian"):
        assert staff_client(username).get("/accounts/staff/").status_code == 403, username


def test_the_operator_creates_and_disables_accounts_from_the_command_line(cast):
    from upstander.accounts.commands import accounts

    runner = CliRunner()
    created = runner.invoke(accounts, ["create", "ops_analyst", "--role", "analyst", "--json"])
    assert created.exit_code == 0, created.output
    assert User.objects.get(username="ops_analyst").must_change_password
    assert AuditEvent.objects.filter(action="account.create", actor="system:accounts").exists()
    disabled = runner.invoke(accounts, ["disable", "ops_analyst", "--reason", "test over"])
    assert disabled.exit_code == 0, disabled.output
    assert not User.objects.get(username="ops_analyst").is_active
    missing = runner.invoke(accounts, ["disable", "nobody", "--reason", "x"])
    assert missing.exit_code == 1
