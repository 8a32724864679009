"""The staff case views: each tried by a persona who must be refused; forms, CSRF and redirect after POST; the safety
net's flag blocks a case described as bullying that tells of a rape until a handler resolves it with reasons."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.cases import actions
from upstander.cases.escalations import run_tick
from upstander.cases.models import Case, Flag, Statement
from upstander.cases.tests.pickers import without_staff_pickers
from upstander.lib import clock
from upstander.testing.fixtures import current_code

RAPE_AS_BULLYING = ("My sergeant has been picking on me for months. After the leaving do he followed me to my car, "
                    "pushed me onto the back seat and raped me. I told him to stop.")


def test_the_queue_refuses_an_analyst_and_sends_a_stranger_to_sign_in(staff_client, cast):
    assert staff_client("analyst").get("/cases/").status_code == 403
    assert staff_client("custodian").get("/cases/").status_code == 403
    response = Client().get("/cases/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_queue_shows_overdue_cases_first_and_filters_them(opened, staff_client, handler_a):
    late = opened(received_on=clock.today() - timedelta(days=20))
    fresh = opened()
    client = staff_client("handler_a")
    page = client.get("/cases/").content.decode()
    assert page.index(late.code) < page.index(fresh.code)
    overdue_only = client.get("/cases/", {"overdue": "on"}).content.decode()
    assert late.code in overdue_only and fresh.code not in overdue_only
    assert fresh.code not in client.get("/cases/", {"category": "racism"}).content.decode()
    assert late.code in client.get("/cases/", {"owner": "me"}).content.decode()
    assert late.code not in client.get("/cases/", {"owner": "none"}).content.decode()


def test_a_handler_does_not_see_a_case_owned_by_another_handler(opened, staff_client):
    case = opened()
    assert staff_client("handler_b").get(f"/cases/{case.code}/").status_code == 404
    assert case.code not in staff_client("supervisor").get("/cases/", {"owner": "none"}).content.decode()


def test_the_case_page_refuses_an_analyst_and_shows_the_owner_everything_but_narratives(opened, staff_client, roster):
    case = opened()
    assert staff_client("analyst").get(f"/cases/{case.code}/").status_code == 403
    page = staff_client("handler_a").get(f"/cases/{case.code}/").content.decode()
    for heading in ("Deadlines", "What to do next", "Allegations", "The subject's history", "Timeline"):
        assert heading in page
    assert "Acknowledge receipt to the reporter" in page and "shouts at me" not in page


def test_an_action_is_a_post_with_csrf_that_redirects_to_the_case(opened, cast, handler_a):
    case = opened()
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login")
    client.post("/accounts/login", {"username": "handler_a", "password": cast.passwords["handler_a"],
                                    "otp_token": current_code(cast.totp_keys["handler_a"]),
                                    "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    url = reverse("cases:act", kwargs={"code": case.code, "action": "acknowledge"})
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302 and response["Location"].startswith(f"/cases/{case.code}/")
    assert Case.objects.get(pk=case.pk).state == "acknowledged"


def test_an_action_by_someone_not_on_the_case_is_refused(opened, staff_client):
    case = opened()
    url = reverse("cases:act", kwargs={"code": case.code, "action": "acknowledge"})
    assert staff_client("handler_b").post(url).status_code == 404
    assert staff_client("analyst").post(url).status_code == 403
    assert Case.objects.get(pk=case.pk).state == "received"


def test_a_refused_action_shows_the_reason(opened, staff_client):
    case = opened()
    client = staff_client("handler_a")
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "close"}), {"reasons": ""})
    assert response.status_code == 400
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "start-investigation"}),
                           {"reasons": ""})
    assert response.status_code == 403 and "cannot start the investigation" in response.content.decode()


def test_the_triage_inbox_refuses_an_analyst_and_a_handler_opens_a_case_from_it(make_report, staff_client):
    new = make_report()
    assert staff_client("analyst").get("/cases/inbox/").status_code == 403
    client = staff_client("handler_a")
    assert str(new.report.public_id) in client.get("/cases/inbox/").content.decode()
    assert client.get(f"/cases/inbox/{new.report.public_id}/").status_code == 200
    response = client.post(f"/cases/inbox/{new.report.public_id}/open")
    case = Case.objects.get(reports=new.report)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.code}/"


def test_an_independent_route_report_is_not_in_the_forces_inbox_until_the_overseer_releases_it(make_report, staff_client):
    new = make_report("My inspector takes bribes.", categories=("corruption",), route="independent", staff_number="1005")
    handler = staff_client("handler_a")
    assert handler.get(f"/cases/inbox/{new.report.public_id}/").status_code == 404
    assert handler.post(f"/cases/inbox/{new.report.public_id}/release", {"reasons": "Mine now"}).status_code == 403
    overseer = staff_client("overseer")
    response = overseer.post(f"/cases/inbox/{new.report.public_id}/release", {"reasons": "The force can handle it."})
    assert response.status_code == 302
    assert handler.get(f"/cases/inbox/{new.report.public_id}/").status_code == 200


def test_a_rape_described_under_bullying_is_flagged_and_the_case_cannot_close_until_the_flag_is_resolved(
        make_report, staff_client):
    new = make_report(RAPE_AS_BULLYING, categories=("bullying",))
    client = staff_client("handler_a")
    client.post(f"/cases/inbox/{new.report.public_id}/open")
    case = Case.objects.get(reports=new.report)
    flag = Flag.objects.get(case=case)
    assert flag.flag == "serious_sexual_offence" and flag.categories == ["bullying"]
    close = reverse("cases:act", kwargs={"code": case.code, "action": "close"})
    refused = client.post(close, {"reasons": "Reporter does not want to take it further."})
    assert refused.status_code == 403 and "resolve the flag with written reasons" in refused.content.decode()
    resolve = reverse("cases:act", kwargs={"code": case.code, "action": "flag"})
    assert client.post(resolve, {"flag": str(flag.public_id), "reasons": ""}).status_code == 400
    assert client.post(resolve, {"flag": str(flag.public_id), "reasons": "Recorded as sexual assault; referred."}
                       ).status_code == 302
    assert client.post(close, {"reasons": "Reporter does not want to take it further."}).status_code == 302
    assert Case.objects.get(pk=case.pk).state == "closed"


def test_the_account_is_recorded_and_read_back_by_the_people_on_the_case_only(opened, staff_client):
    case = opened()
    client = staff_client("handler_a")
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "statement"}),
                           {"text": "He shouted at me in the canteen on 3 March."})
    assert response.status_code == 302
    assert b"shouted at me in the canteen" not in bytes(Statement.objects.get(case=case).body_ct)
    page = client.get(f"/cases/{case.code}/statement")
    assert "He shouted at me in the canteen" in page.content.decode()
    assert "asked for an account 1 time" in page.content.decode()
    assert list(AuditEvent.objects.filter(action="case.statement_read").values_list("actor", "object_id")) == [
        ("user:handler_a", str(case.public_id))]  # who read her account is on the record
    assert staff_client("handler_b").get(f"/cases/{case.code}/statement").status_code == 404
    assert staff_client("analyst").get(f"/cases/{case.code}/statement").status_code == 403


def test_the_roster_search_finds_people_by_name_number_or_unit_and_links_a_mention(make_report, staff_client, roster,
                                                                                    handler_a):
    new = make_report(subjects=(("Sgt Clark", "", "North"),))
    case = actions.do_open_case(actor=handler_a, report=new.report)
    mention = new.report.mentions.get()
    client = staff_client("handler_a")
    for query in ("Clarke", "1003", "NB"):
        page = client.get(f"/cases/{case.code}/people", {"q": query, "mention": str(mention.public_id)}).content.decode()
        assert "Carol Clarke" in page
    client.post(reverse("cases:act", kwargs={"code": case.code, "action": "link"}),
                {"mention": str(mention.public_id), "person": str(roster["1003"].public_id)})
    mention.refresh_from_db()
    assert mention.person == roster["1003"] and mention.link_status == "confirmed"
    assert staff_client("analyst").get(f"/cases/{case.code}/people", {"q": "Clarke"}).status_code == 403


def test_an_assignment_refused_for_a_conflict_says_so_on_the_page_and_only_the_overseer_sees_why(
        opened, staff_client, handler_a, roster, staff_user):
    case = opened()
    actions.do_add_allegation(actor=handler_a, case=case, category="bullying", subject=roster["1004"])
    sergeant = staff_user("1003")
    client = staff_client("handler_a")
    response = client.post(reverse("cases:act", kwargs={"code": case.code, "action": "assign"}),
                           {"role": "assessor", "user": str(sergeant.public_id)})
    page = without_staff_pickers(response.content.decode())  # the pickers list the unit's staff, Clarke among them
    assert response.status_code == 403 and "a conflict-of-interest rule stops this assignment" in page
    assert "chain of command" not in page and "Carol Clarke" not in page
    assert "chain of command" not in client.get(f"/cases/{case.code}/").content.decode()
    overseer_page = staff_client("overseer").get(f"/cases/{case.code}/").content.decode()
    assert "assessor Carol Clarke (1003): they are in the chain of command of the subject Derek Dyer" in overseer_page


def test_a_supervisor_marks_an_escalation_seen_and_a_handler_may_not(opened, staff_client):
    case = opened(received_on=clock.today() - timedelta(days=20))
    run_tick(actor=Actor.system("tick"))
    escalation = case.escalations.get()
    url = reverse("cases:escalation_seen", kwargs={"code": case.code, "public_id": escalation.public_id})
    assert staff_client("handler_a").post(url, {"note": "x"}).status_code == 403
    assert staff_client("supervisor").post(url, {"note": "Chased the owner."}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.seen_by == "user:supervisor"


def test_every_case_and_oversight_url_refuses_the_personas_who_must_not_use_it(opened, make_report, staff_client):
    case = opened()
    report = make_report().report
    escalation_id = "00000000-0000-0000-0000-000000000000"
    gets = ["/cases/", "/cases/inbox/", f"/cases/inbox/{report.public_id}/", f"/cases/{case.code}/",
            f"/cases/{case.code}/statement", f"/cases/{case.code}/people", "/oversight/", "/oversight/escalations/",
            "/oversight/statistics/"]
    posts = [f"/cases/inbox/{report.public_id}/open", f"/cases/inbox/{report.public_id}/add",
             f"/cases/inbox/{report.public_id}/release", f"/cases/{case.code}/do/acknowledge",
             f"/cases/{case.code}/escalations/{escalation_id}/seen"]
    for persona in ("analyst", "custodian", "facilitator", "admin"):
        client = staff_client(persona)
        for url in gets:
            assert client.get(url).status_code == 403, (persona, url)
        for url in posts:
            assert client.post(url).status_code == 403, (persona, url)
    stranger = Client()
    for url in gets + posts:
        response = stranger.get(url) if url in gets else stranger.post(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url
    assert Case.objects.get(pk=case.pk).state == "received"
