from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client

from upstander.audit.models import AuditEvent
from upstander.custody.access import find_sealed_report_for, get_disclosure_request_for
from upstander.custody.break_glass import do_decide_disclosure, do_open_identity, do_request_disclosure
from upstander.custody.models import DisclosureStatus, IdentityDisclosure
from upstander.custody.tests.conftest import REPORTER_NAME

REASON = "The reporter is a witness in a criminal trial and the court has ordered disclosure."


def test_a_custodian_opens_a_sealed_identity_after_a_second_persons_approval(cast, submit, custodian, overseer):
    report = submit()
    request = do_request_disclosure(actor=custodian, report=report, reason=REASON)
    assert request.status == DisclosureStatus.PENDING
    with pytest.raises(PermissionDenied):
        do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])

    do_decide_disclosure(actor=overseer, request=request, approve=True)
    identity = do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])

    assert identity["name"] == REPORTER_NAME
    disclosure = IdentityDisclosure.objects.get(report=report)
    assert (disclosure.custodian, disclosure.approver, disclosure.reason) == (custodian, overseer, REASON)
    actions = list(AuditEvent.objects.filter(action__startswith="identity.").values_list("action", flat=True))
    assert actions == ["identity.request", "identity.approve", "identity.open"]


def test_the_custodian_cannot_approve_their_own_request(cast, submit, custodian):
    request = do_request_disclosure(actor=custodian, report=submit(), reason=REASON)
    with pytest.raises(PermissionDenied):
        do_decide_disclosure(actor=custodian, request=request, approve=True)


def test_an_opened_request_cannot_be_used_again(cast, submit, custodian, overseer):
    request = do_request_disclosure(actor=custodian, report=submit(), reason=REASON)
    do_decide_disclosure(actor=overseer, request=request, approve=True)
    do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])
    with pytest.raises(PermissionDenied):
        do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])
    assert IdentityDisclosure.objects.count() == 1


def test_a_refused_request_cannot_be_opened_and_a_refusal_needs_reasons(cast, submit, custodian, overseer):
    request = do_request_disclosure(actor=custodian, report=submit(), reason=REASON)
    with pytest.raises(ValidationError):
        do_decide_disclosure(actor=overseer, request=request, approve=False)
    do_decide_disclosure(actor=overseer, request=request, approve=False, note="No court order was attached.")
    with pytest.raises(PermissionDenied):
        do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])


def test_it_refuses_a_request_without_a_real_reason(cast, submit, custodian):
    with pytest.raises(ValidationError):
        do_request_disclosure(actor=custodian, report=submit(), reason="because")


def test_a_handler_cannot_ask_for_or_open_a_sealed_identity(cast, submit, handler_a, custodian, overseer):
    """Attack: a case handler wants to know who complained and tries the break-glass actions directly, even with
    the custodians' key bytes in hand."""
    report = submit()
    with pytest.raises(PermissionDenied):
        do_request_disclosure(actor=handler_a, report=report, reason=REASON)
    request = do_request_disclosure(actor=custodian, report=report, reason=REASON)
    do_decide_disclosure(actor=overseer, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        do_open_identity(actor=handler_a, request=request, org_key=cast.org_keys["custodians"])
    assert not IdentityDisclosure.objects.exists()


def test_the_force_key_does_not_open_a_sealed_identity(cast, submit, custodian, overseer):
    request = do_request_disclosure(actor=custodian, report=submit(), reason=REASON)
    do_decide_disclosure(actor=overseer, request=request, approve=True)
    with pytest.raises(PermissionDenied):
        do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["force"])


@pytest.fixture
def single_custodian_policy(settings, tmp_path):
    """A policy profile where one custodian's decision is enough."""
    from upstander.lib import policy

    base = settings.POLICY_DIR
    profile = tmp_path / "policy"
    (profile / "solo").mkdir(parents=True)
    (profile / "solo" / "break_glass.toml").write_text("require_second_approval = false\n")
    for path in base.glob("*.toml"):
        (profile / path.name).write_bytes(path.read_bytes())
    settings.POLICY_DIR = profile
    settings.POLICY_PROFILE = "solo"
    policy._load.cache_clear()
    yield
    policy._load.cache_clear()


def test_where_policy_does_not_ask_for_approval_the_custodian_opens_it_alone(single_custodian_policy, cast, submit):
    custodian = cast.users["custodian"]
    request = do_request_disclosure(actor=custodian, report=submit(), reason=REASON)
    assert request.status == DisclosureStatus.APPROVED
    assert do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])["name"]


def test_the_reporter_sees_the_opening_in_their_timeline(cast, custodian, overseer):

    from upstander.custody.tests.world import submit_report

    report = submit_report(cast, with_receipt=True)
    request = do_request_disclosure(actor=custodian, report=report, reason=REASON)
    do_decide_disclosure(actor=overseer, request=request, approve=True)
    do_open_identity(actor=custodian, request=request, org_key=cast.org_keys["custodians"])
    reporter = Client()
    assert reporter.post("/report/return", {"receipt": report.receipt}).status_code == 302
    page = reporter.get("/report/status").content.decode()
    assert "Your identity was opened by an identity custodian on" in page
    assert "criminal trial" in page
    timeline = page.split('id="timeline"', 1)[1].split("What happens next", 1)[0]
    assert custodian.get_full_name() not in timeline and overseer.get_full_name() not in timeline  # never by whom


def test_only_a_custodian_finds_a_sealed_report_and_only_the_asker_and_the_approvers_find_the_request(
        cast, submit, custodian, overseer):
    report = submit()
    for username in ("handler_a", "supervisor", "overseer", "analyst", "admin"):
        with pytest.raises(Http404):
            find_sealed_report_for(cast.users[username], str(report.public_id))
    assert find_sealed_report_for(custodian, str(report.public_id)) == report
    request = do_request_disclosure(actor=custodian, report=report, reason=REASON)
    for username in ("handler_a", "supervisor", "analyst", "admin", "facilitator"):
        with pytest.raises(Http404):
            get_disclosure_request_for(cast.users[username], request.public_id)
    assert get_disclosure_request_for(overseer, request.public_id) == request
    with pytest.raises(Http404):  # the overseer decides it, but only the custodian who asked may open it
        get_disclosure_request_for(overseer, request.public_id, write=True, own=True)
    assert list(AuditEvent.objects.filter(action="identity.request.view").values_list("actor", "object_id")) == [
        ("user:overseer", str(report.public_id))]
