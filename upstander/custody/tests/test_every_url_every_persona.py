"""Every URL pattern, tried by every persona, against an explicit table of who may use it (DESIGN.md's persona
table). Deny by default: a URL the table does not list fails the test until someone decides who may use it.

Allowed: 200, a redirect that is not to the login page, or 405 (a POST-only page answering a GET).
Refused: 403, 404, 401 (machine endpoints), or a redirect to the login page; a refused persona's POST (empty body)
must be refused too, so an object check that only runs after `require_POST` is still exercised.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from upstander.custody.tests.world import World, build_world
from upstander.testing.fixtures import login

ANONYMOUS = "anonymous"
STAFF = ("handler_a", "handler_b", "supervisor", "facilitator", "custodian", "overseer", "analyst", "admin")
PERSONAS = (ANONYMOUS, *STAFF)
EVERYONE = frozenset(PERSONAS)
ALL_STAFF = frozenset(STAFF)
NOBODY: frozenset[str] = frozenset()
CASE_TEAM = frozenset({"handler_a", "supervisor", "overseer"})  # for the world's case, owned by handler_a
CASE_ROLES = frozenset({"handler_a", "handler_b", "supervisor", "overseer"})
KEY_HOLDERS = frozenset({"facilitator", "handler_a", "handler_b", "supervisor", "custodian", "overseer"})


def _random() -> str:
    return str(uuid.uuid4())


EVIDENCE_EXPORT_ROUTES = ("", "senders/<uuid:sender_id>/", "senders/<uuid:sender_id>/link",
                          "messages/<uuid:message_id>/decide", "whole-chat", "whole-chat/open", "summary", "original")


# route pattern -> (who may use it, the URL to try in the test world)
TABLE: dict[str, tuple[frozenset[str], Callable[[World], str]]] = {
    # Public: the staff login, the health check and the whole reporter side.
    "accounts/login": (EVERYONE, lambda w: "/accounts/login"),
    "accounts/logout": (EVERYONE, lambda w: "/accounts/logout"),
    # The front door (the reporter side or the sign-in; a signed-in member goes to their page for today).
    "": (EVERYONE, lambda w: "/"),
    "today/": (ALL_STAFF, lambda w: "/today/"),
    # Only in the middle of a first sign-in (a temporary password just proved): everyone else goes to the login.
    "accounts/enrol": (NOBODY, lambda w: "/accounts/enrol"),
    # The administrator's staff accounts page.
    "accounts/staff/": (frozenset({"admin"}), lambda w: "/accounts/staff/"),
    "accounts/staff/<uuid:public_id>/role": (frozenset({"admin"}),
                                             lambda w: f"/accounts/staff/{w.user('handler_b').public_id}/role"),
    "accounts/staff/<uuid:public_id>/disable": (frozenset({"admin"}),
                                                lambda w: f"/accounts/staff/{w.user('handler_b').public_id}/disable"),
    "healthz": (EVERYONE, lambda w: "/healthz"),
    # The operator's monitoring system, with its bearer token: no persona (404 without a token, 401 without it).
    "metrics": (NOBODY, lambda w: "/metrics"),
    "report/": (EVERYONE, lambda w: "/report/"),
    "report/^new/(?P<page>how|staff|route|about-you|what|when|where|who|about|your-part|alongside|equality)$": (
        EVERYONE, lambda w: "/report/new/how"),
    "report/exit": (EVERYONE, lambda w: "/report/exit"),
    "report/leave": (EVERYONE, lambda w: "/report/leave"),
    "report/new/": (EVERYONE, lambda w: "/report/new/"),
    "report/new/check": (EVERYONE, lambda w: "/report/new/check"),
    "report/new/files": (EVERYONE, lambda w: "/report/new/files"),
    "report/new/resume": (EVERYONE, lambda w: "/report/new/resume"),
    "report/return": (EVERYONE, lambda w: "/report/return"),
    "report/status": (EVERYONE, lambda w: "/report/status"),
    "report/status/information": (EVERYONE, lambda w: "/report/status/information"),
    "report/status/message": (EVERYONE, lambda w: "/report/status/message"),
    "report/status/retaliation": (EVERYONE, lambda w: "/report/status/retaliation"),
    "report/status/review": (EVERYONE, lambda w: "/report/status/review"),
    # The overseer's audit search.
    "audit/": (frozenset({"overseer"}), lambda w: "/audit/"),
    "audit/witness": (frozenset({"overseer"}), lambda w: "/audit/witness"),
    # The overseer's witness: a bearer token of scope audit_witness, never a session.
    "audit/api/since": (NOBODY, lambda w: "/audit/api/since"),
    "audit/api/witness": (NOBODY, lambda w: "/audit/api/witness"),
    # Aggregates only: the analyst and the overseer.
    "insight/": (frozenset({"analyst", "overseer"}), lambda w: "/insight/"),
    "insight/checking": (frozenset({"analyst", "overseer"}), lambda w: "/insight/checking"),
    "insight/checking/key": (frozenset({"analyst", "overseer"}), lambda w: "/insight/checking/key"),
    "insight/reports/<uuid:public_id>/": (frozenset({"analyst", "overseer"}),
                                          lambda w: f"/insight/reports/{_random()}/"),
    "insight/reports/<uuid:public_id>/download": (frozenset({"analyst", "overseer"}),
                                                  lambda w: f"/insight/reports/{_random()}/download"),
    "insight/reports/<uuid:public_id>/files/<path:name>": (
        frozenset({"analyst", "overseer"}), lambda w: f"/insight/reports/{_random()}/files/report.pdf"),
    # Publishing signs as the force: its analysts only (the overseer countersigns with its own key elsewhere).
    "insight/publish": (frozenset({"analyst"}), lambda w: "/insight/publish"),
    # Cases: the queue and inbox for the case roles; one case for its owner, its unit's supervisor and the overseer.
    "cases/": (CASE_ROLES, lambda w: "/cases/"),
    "cases/inbox/": (CASE_ROLES, lambda w: "/cases/inbox/"),
    "cases/inbox/<uuid:public_id>/": (CASE_ROLES, lambda w: f"/cases/inbox/{w.inbox_report.public_id}/"),
    "cases/inbox/<uuid:public_id>/add": (CASE_ROLES, lambda w: f"/cases/inbox/{w.inbox_report.public_id}/add"),
    "cases/inbox/<uuid:public_id>/open": (CASE_ROLES, lambda w: f"/cases/inbox/{w.inbox_report.public_id}/open"),
    "cases/inbox/<uuid:public_id>/release": (frozenset({"overseer"}),
                                             lambda w: f"/cases/inbox/{w.independent_report.public_id}/release"),
    "cases/<str:code>/": (CASE_TEAM, lambda w: f"/cases/{w.case.code}/"),
    "cases/<str:code>/do/<slug:action>": (CASE_TEAM, lambda w: f"/cases/{w.case.code}/do/acknowledge"),
    "cases/<str:code>/escalations/<uuid:public_id>/seen": (
        CASE_TEAM, lambda w: f"/cases/{w.case.code}/escalations/{_random()}/seen"),
    "cases/<str:code>/people": (CASE_TEAM, lambda w: f"/cases/{w.case.code}/people"),
    "cases/<str:code>/statement": (CASE_TEAM, lambda w: f"/cases/{w.case.code}/statement"),
    # Chat evidence on a case: its case team. The world has no export, so export pages answer 404 to them too.
    "cases/<str:code>/evidence/": (CASE_TEAM, lambda w: f"/cases/{w.case.code}/evidence/"),
    "cases/<str:code>/evidence/attach": (CASE_TEAM, lambda w: f"/cases/{w.case.code}/evidence/attach"),
    **{f"cases/<str:code>/evidence/<uuid:export_id>/{tail}": (
        CASE_TEAM, lambda w, tail=tail: f"/cases/{w.case.code}/evidence/{_random()}/" + tail.replace(
            "<uuid:sender_id>", _random()).replace("<uuid:message_id>", _random()))
       for tail in EVIDENCE_EXPORT_ROUTES},
    # Reports: content roles and the facilitator (their own disclosures only).
    "cases/reports/": (CASE_ROLES | {"facilitator"}, lambda w: "/cases/reports/"),
    "cases/reports/disclosures/new": (frozenset({"facilitator"}), lambda w: "/cases/reports/disclosures/new"),
    "cases/reports/<uuid:public_id>/": (CASE_TEAM, lambda w: f"/cases/reports/{w.case_report.public_id}/"),
    "cases/reports/<uuid:public_id>/reply": (CASE_TEAM, lambda w: f"/cases/reports/{w.case_report.public_id}/reply"),
    "cases/reports/<uuid:public_id>/files/<uuid:file_id>": (
        CASE_TEAM, lambda w: f"/cases/reports/{w.case_report.public_id}/files/{w.case_report.attachments.get().public_id}"),
    # Key custody.
    "custody/": (ALL_STAFF, lambda w: "/custody/"),
    "custody/invite": (KEY_HOLDERS, lambda w: "/custody/invite"),
    "custody/enrol": (KEY_HOLDERS, lambda w: "/custody/enrol"),
    "custody/recover": (KEY_HOLDERS, lambda w: "/custody/recover"),
    "custody/accounts/": (frozenset({"admin", "overseer"}), lambda w: "/custody/accounts/"),
    "custody/accounts/<uuid:public_id>/": (frozenset({"admin", "overseer"}),
                                           lambda w: f"/custody/accounts/{w.user('handler_b').public_id}/"),
    "custody/accounts/<uuid:public_id>/remove": (frozenset({"admin", "overseer"}),
                                                 lambda w: f"/custody/accounts/{w.user('handler_b').public_id}/remove"),
    "custody/accounts/<uuid:public_id>/reset-password": (
        frozenset({"admin"}), lambda w: f"/custody/accounts/{w.user('handler_b').public_id}/reset-password"),
    "custody/accounts/<uuid:public_id>/reset-second-factor": (
        frozenset({"admin"}), lambda w: f"/custody/accounts/{w.user('handler_b').public_id}/reset-second-factor"),
    "custody/identities/": (frozenset({"custodian", "overseer"}), lambda w: "/custody/identities/"),
    "custody/identities/<uuid:public_id>/decide": (
        frozenset({"custodian", "overseer"}), lambda w: f"/custody/identities/{w.disclosure_request.public_id}/decide"),
    "custody/identities/<uuid:public_id>/open": (
        frozenset({"custodian"}), lambda w: f"/custody/identities/{w.disclosure_request.public_id}/open"),
    "custody/holds/": (frozenset({"supervisor", "overseer"}), lambda w: "/custody/holds/"),
    "custody/holds/<uuid:public_id>/lift": (frozenset({"supervisor", "overseer"}),
                                            lambda w: f"/custody/holds/{w.hold.public_id}/lift"),
    "custody/oversight/": (frozenset({"overseer"}), lambda w: "/custody/oversight/"),
    # The overseer's queue: overseer only.
    "oversight/": (frozenset({"overseer"}), lambda w: "/oversight/"),
    "oversight/escalations/": (frozenset({"overseer"}), lambda w: "/oversight/escalations/"),
    "oversight/statistics/": (frozenset({"overseer"}), lambda w: "/oversight/statistics/"),
    "oversight/crews": (frozenset({"overseer"}), lambda w: "/oversight/crews"),
    # Protection: the overseer only (retaliation alerts name the staff reporter).
    "safeguarding/": (frozenset({"overseer"}), lambda w: "/safeguarding/"),
    "safeguarding/rates": (frozenset({"overseer"}), lambda w: "/safeguarding/rates"),
    "safeguarding/tasks/<uuid:public_id>": (frozenset({"overseer"}),
                                            lambda w: f"/safeguarding/tasks/{w.safeguarding_task.public_id}"),
    "safeguarding/alerts/<uuid:public_id>": (frozenset({"overseer"}),
                                             lambda w: f"/safeguarding/alerts/{w.alert.public_id}"),
    "safeguarding/alerts/<uuid:public_id>/close": (frozenset({"overseer"}),
                                                   lambda w: f"/safeguarding/alerts/{w.alert.public_id}/close"),
    # The roster: the HR feed takes a bearer token, never a session; declarations for their person, supervisors
    # and the overseer.
    "people/api/feed": (NOBODY, lambda w: "/people/api/feed"),
    "people/declarations": (frozenset({"handler_a", "handler_b", "supervisor"}), lambda w: "/people/declarations"),
    "people/<uuid:public_id>/declarations": (
        frozenset({"handler_a", "supervisor", "overseer"}),
        lambda w: f"/people/{w.user('handler_a').person.public_id}/declarations"),
    "people/<uuid:public_id>/declarations/<uuid:association_id>/end": (
        frozenset({"handler_a", "supervisor", "overseer"}),
        lambda w: f"/people/{w.user('handler_a').person.public_id}/declarations/{_random()}/end"),
}


# Routes whose object the test world does not make: an allowed persona may get 404 there (the refused ones are
# still checked in full).
NO_OBJECT_IN_WORLD: set[str] = {
    "insight/reports/<uuid:public_id>/", "insight/reports/<uuid:public_id>/download",
    "insight/reports/<uuid:public_id>/files/<path:name>",
    *(f"cases/<str:code>/evidence/<uuid:export_id>/{tail}" for tail in EVIDENCE_EXPORT_ROUTES)}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def all_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login")


def allowed_answer(response) -> bool:
    return response.status_code in (200, 405) or (response.status_code == 302 and not _is_login_redirect(response))


def refused_answer(response) -> bool:
    return response.status_code in (401, 403, 404, 405) or _is_login_redirect(response)


def test_the_table_covers_every_url_pattern():
    """A new URL must be given its row (who may use it) before it ships."""
    assert sorted(set(all_routes()) - set(TABLE)) == []
    assert sorted(set(TABLE) - set(all_routes())) == []  # and no stale rows


@pytest.fixture
def world(db, tmp_path) -> World:
    return build_world(tmp_path)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_the_table_says(world, persona):
    client = Client() if persona == ANONYMOUS else login(Client(), world.cast, persona)
    wrong = []
    for route in all_routes():
        if route not in TABLE:
            continue  # reported by test_the_table_covers_every_url_pattern
        allowed, make_url = TABLE[route]
        url = make_url(world)
        got = client.get(url)
        if persona in allowed:
            if route in NO_OBJECT_IN_WORLD and got.status_code == 404:
                continue
            if not allowed_answer(got):
                wrong.append(f"GET {url}: expected allowed, got {got.status_code} {got.get('Location', '')}")
            continue
        if not refused_answer(got):
            wrong.append(f"GET {url}: expected refused, got {got.status_code}")
        posted = client.post(url)
        if not refused_answer(posted):
            wrong.append(f"POST {url}: expected refused, got {posted.status_code}")
        if got.status_code == 405 and posted.status_code == 405:
            wrong.append(f"{url}: answers 405 to both GET and POST, so the refusal was never checked")
    assert wrong == [], f"{persona}:\n" + "\n".join(wrong)
