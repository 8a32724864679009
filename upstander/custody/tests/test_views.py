from __future__ import annotations

from django.test import Client
from django.utils.html import escape

from upstander.accounts import session_keys
from upstander.accounts.actions import do_create_staff_user, unwrap_member_key
from upstander.accounts.models import Role
from upstander.audit.models import AuditEvent
from upstander.custody.models import IdentityDisclosure
from upstander.custody.tests.conftest import REPORTER_NAME
from upstander.testing.fixtures import unused_code

REASON = "A court order requires the reporter's identity for the criminal trial of the subject."


def _cookie_request(client: Client):
    return type("R", (), {"session": client.session, "COOKIES": {k: v.value for k, v in client.cookies.items()}})


def test_a_newcomer_is_enrolled_through_the_pages_and_holds_the_key_in_their_session(cast, staff_client, admin_user):
    newcomer, _ = do_create_staff_user(actor=admin_user, username="newcomer", password="temporary-password-123",
                                       role=Role.HANDLER)
    supervisor = staff_client("supervisor")
    response = supervisor.post("/custody/invite", {"username": "newcomer", "reason": "New starter in the PSU"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    client = Client()
    assert client.post("/accounts/login", {"username": "newcomer", "password": "temporary-password-123",
                                           "otp_token": unused_code("newcomer")}).status_code == 302
    assert session_keys.load(_cookie_request(client)) is None
    response = client.post("/custody/enrol", {"secret": secret, "current_password": "temporary-password-123",
                                              "new_password": "only-the-newcomer-knows",
                                              "new_password_again": "only-the-newcomer-knows"})
    assert response.status_code == 302
    assert session_keys.load(_cookie_request(client)) == cast.org_keys["force"]
    assert client.get("/custody/").status_code == 200  # still signed in after the password change
    newcomer.refresh_from_db()
    assert unwrap_member_key(newcomer, "only-the-newcomer-knows") == cast.org_keys["force"]


def test_an_administrator_is_refused_the_invitation_page(cast, staff_client, admin_user):
    """Attack: the administrator, who can create accounts, tries to hand out the force's key through the pages."""
    do_create_staff_user(actor=admin_user, username="crony", password="temporary-password-123", role=Role.HANDLER)
    admin = staff_client("admin")
    assert admin.get("/custody/invite").status_code == 403
    assert admin.post("/custody/invite", {"username": "crony", "reason": "trust me"}).status_code == 403
    assert not AuditEvent.objects.filter(action="custody.invite").exists()


def test_a_custodian_asks_the_overseer_approves_and_the_custodian_opens_the_identity(cast, staff_client, submit):
    report = submit()
    custodian, overseer = staff_client("custodian"), staff_client("overseer")
    assert custodian.post("/custody/identities/", {"reference": str(report.public_id), "reason": REASON}).status_code == 302
    request_id = custodian.get("/custody/identities/").context["rows"][0]["request"].public_id
    assert custodian.post(f"/custody/identities/{request_id}/open").status_code == 403  # not approved yet

    assert overseer.post(f"/custody/identities/{request_id}/decide", {"decision": "approve"}).status_code == 302
    response = custodian.post(f"/custody/identities/{request_id}/open")
    assert response.status_code == 200
    assert REPORTER_NAME in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    page = overseer.get("/custody/oversight/")
    assert page.status_code == 200
    assert list(page.context["disclosures"]) == list(IdentityDisclosure.objects.all())
    assert escape(REASON) in page.content.decode()


def test_a_handler_cannot_open_a_sealed_identity(cast, staff_client, submit):
    """Attack: a handler who wants to know who complained goes to the break-glass pages and posts to them."""
    report = submit()
    custodian, overseer = staff_client("custodian"), staff_client("overseer")
    custodian.post("/custody/identities/", {"reference": str(report.public_id), "reason": REASON})
    request_id = custodian.get("/custody/identities/").context["rows"][0]["request"].public_id
    overseer.post(f"/custody/identities/{request_id}/decide", {"decision": "approve"})
    handler = staff_client("handler_a")
    assert handler.get("/custody/identities/").status_code == 403
    assert handler.post("/custody/identities/", {"reference": str(report.public_id), "reason": REASON}).status_code == 403
    assert handler.post(f"/custody/identities/{request_id}/decide", {"decision": "approve"}).status_code == 403
    response = handler.post(f"/custody/identities/{request_id}/open")
    assert response.status_code == 403
    assert REPORTER_NAME not in response.content.decode()
    assert not IdentityDisclosure.objects.exists()


def test_the_overseer_sees_recoveries_and_removals_on_the_custody_page(cast, staff_client, handler_b):
    admin = staff_client("admin")
    response = admin.post(f"/custody/accounts/{handler_b.public_id}/reset-second-factor", {"reason": "phone lost"})
    assert response.status_code == 200 and response.context["secret"]
    overseer = staff_client("overseer")
    assert overseer.post(f"/custody/accounts/{handler_b.public_id}/remove",
                         {"reason": "left the force"}).status_code == 302
    page = overseer.get("/custody/oversight/").content.decode()
    assert "custody second factor reset" in page and "custody remove member" in page and "handler_b" in page
    assert "user:" not in page
    assert staff_client("custodian").get("/custody/oversight/").status_code == 403


def test_a_supervisor_places_a_legal_hold_on_a_case_of_their_unit(cast, staff_client, submit, open_case):
    case = open_case(submit())
    supervisor = staff_client("supervisor")
    response = supervisor.post("/custody/holds/", {"case_code": case.code, "reason": "Civil claim issued"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.legal_hold
    assert staff_client("handler_a").get("/custody/holds/").status_code == 403
