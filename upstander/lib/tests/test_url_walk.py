"""Deny by default: every URL pattern is tried by an anonymous visitor; only an explicit public list answers."""

from __future__ import annotations

import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver

# Pages a visitor without an account may see: the reporter side, the staff login, and the health check.
PUBLIC_PREFIXES = ("report/", "accounts/login", "healthz", "static/")
PUBLIC_EXACT = {""}  # the front door: links to the reporter side and the staff sign-in


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<uuid:[^>]+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug|path):?[^>]*>", "x", route)
    return "/" + route


def all_routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_every_staff_url_refuses_an_anonymous_visitor(client, db):
    checked = 0
    for route in all_routes():
        if route.startswith(PUBLIC_PREFIXES) or route in PUBLIC_EXACT:
            continue
        url = _concrete(route)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 401: token-authenticated machine endpoints (the HR feed) answer a missing token with 401.
            assert response.status_code in (302, 401, 403, 404, 405), f"{method.upper()} {url} answered {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login"), f"{url} redirected elsewhere"
        checked += 1
    assert checked >= 2  # the walk really walked


def test_the_health_check_is_public_and_reports_ok_on_a_ready_installation(client, db):
    from upstander.operations.records import install

    install()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_our_own_stylesheet_is_served_with_the_security_headers(client):
    response = client.get("/static/upstander/site.css")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
