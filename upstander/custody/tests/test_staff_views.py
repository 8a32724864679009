"""The custody pages as staff meet them (issue 12): the break-glass approval says what it is for before anyone
decides, an opened identity reads in words, and an account's page has one id per field and never offers an
administrator the removal of their own account."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape

from upstander.accounts.models import User
from upstander.audit.models import AuditEvent
from upstander.custody.members import do_remove_member
from upstander.custody.tests.conftest import REPORTER_NAME
from upstander.custody.tests.test_staff_pages import shape_of

REASON = "A court order requires the reporter's identity for the criminal trial of the subject."


def _ask(staff_client, report):
    custodian = staff_client("custodian")
    assert custodian.post("/custody/identities/", {"reference": str(report.public_id), "reason": REASON}).status_code == 302
    return custodian, custodian.get("/custody/identities/").context["rows"][0]["request"].public_id


def test_the_approval_shows_the_case_and_the_custodians_reason_before_the_decision(cast, staff_client, submit,
                                                                                   open_case):
    case = open_case(submit(categories=("racism",)))
    _ask(staff_client, case.reports.get())
    html = staff_client("overseer").get("/custody/identities/").content.decode()
    decision = html.index("Record my decision")
    for shown in (f'<a href="/cases/{case.code}/">{case.code}</a>', "Racism", "Stage", escape(REASON)):
        assert shown in html and html.index(shown) < decision, shown


def test_a_request_for_a_report_not_yet_on_a_case_says_so(cast, staff_client, submit):
    _ask(staff_client, submit(categories=("bullying",)))
    html = staff_client("overseer").get("/custody/identities/").content.decode()
    assert "Not yet on a case" in html and "Bullying" in html and html.index(escape(REASON)) < html.index("Approve")


def test_the_custodian_sees_the_case_but_gets_no_link_to_a_case_they_may_not_open(cast, staff_client, submit,
                                                                                  open_case):
    case = open_case(submit())
    custodian, _ = _ask(staff_client, case.reports.get())
    html = custodian.get("/custody/identities/").content.decode()
    assert case.code in html and f'href="/cases/{case.code}/"' not in html
    assert custodian.get(f"/cases/{case.code}/").status_code in (403, 404)


def test_a_refusal_without_a_note_is_shown_on_the_request_it_concerns(cast, staff_client, submit):
    _, request_id = _ask(staff_client, submit())
    response = staff_client("overseer").post(f"/custody/identities/{request_id}/decide", {"decision": "refuse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why you refuse." in html and html.index(escape(REASON)) < html.index("Say why you refuse.")


def test_an_opened_identity_is_shown_with_labelled_fields(cast, staff_client, submit):
    custodian, request_id = _ask(staff_client, submit())
    assert staff_client("overseer").post(f"/custody/identities/{request_id}/decide",
                                         {"decision": "approve"}).status_code == 302
    html = custodian.post(f"/custody/identities/{request_id}/open").content.decode()
    for label, value in (("Name", REPORTER_NAME), ("Staff number", "1005"), ("Email", "erin@example.org")):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html
    assert "staff_number" not in html and "<dt>name</dt>" not in html


def test_every_field_on_an_account_page_has_an_id_of_its_own(cast, staff_client, handler_b):
    admin = staff_client("admin")
    html = admin.get(f"/custody/accounts/{handler_b.public_id}/").content.decode()
    assert html.count("Reason") >= 3
    shape = shape_of(html)
    assert [i for i, n in shape.ids.items() if n > 1] == []
    assert {"reset-reason", "factor-reason", "remove-reason"} <= set(shape.ids)
    for i in ("reset-reason", "factor-reason", "remove-reason"):
        assert f'<label for="{i}">' in html
    refused = admin.post(f"/custody/accounts/{handler_b.public_id}/remove", {"reason": " "})
    assert refused.status_code == 400
    shape = shape_of(refused.content.decode())
    assert shape.ids.most_common(1)[0][1] == 1 and 'href="#remove-reason"' in refused.content.decode()


def test_an_administrator_is_not_offered_the_removal_of_their_own_account(cast, staff_client, admin_user, handler_b):
    admin = staff_client("admin")
    own = admin.get(f"/custody/accounts/{admin_user.public_id}/").content.decode()
    assert "Remove this member" not in own and "/remove" not in own and "Reset the password" not in own
    assert "Remove this member" in admin.get(f"/custody/accounts/{handler_b.public_id}/").content.decode()


def test_an_administrator_cannot_remove_their_own_account_by_posting_the_form(cast, staff_client, admin_user):
    """Attack (or accident): the page no longer offers it, so an administrator posts the removal form for their own
    account by hand. Removing oneself would close the account that must answer for it, with no second person to
    check; the action refuses it whoever asks (administrator or overseer), and nothing is written."""
    admin = staff_client("admin")
    response = admin.post(f"/custody/accounts/{admin_user.public_id}/remove", {"reason": "tidying up"})
    assert response.status_code == 400 and "You cannot remove yourself" in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).is_active
    overseer = cast.users["overseer"]
    response = staff_client("overseer").post(f"/custody/accounts/{overseer.public_id}/remove", {"reason": "x"})
    assert response.status_code == 400 and User.objects.get(pk=overseer.pk).is_active
    with pytest.raises(PermissionDenied):
        do_remove_member(actor=admin_user, user=admin_user, reason="tidying up")
    assert not AuditEvent.objects.filter(action="custody.remove_member").exists()
