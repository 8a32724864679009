"""POST /people/api/feed: the nightly HR feed, authenticated by a scoped API token (Authorization: Bearer …).

CSRF protection is for browsers carrying a session cookie; this endpoint accepts no cookie authentication at all,
only the bearer token, so it alone is exempt. Every use of a known token is audited: an import writes its own
audit event, a refusal or a rejected body writes `api_token.use`.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from upstander.accounts.models import ApiToken
from upstander.lib import crypto
from upstander.people.actions import HR_FEED_SCOPE, do_record_token_use
from upstander.people.importing import import_feed


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate(request: HttpRequest, scope: str) -> tuple[ApiToken | None, JsonResponse | None]:
    secret = _bearer(request)
    if secret is None:
        return None, _unauthorised("send Authorization: Bearer <token>")
    token = ApiToken.objects.filter(digest=crypto.token_digest(secret)).first()
    if token is None:
        return None, _unauthorised("unknown token")
    if token.revoked_at is not None:
        do_record_token_use(token=token, outcome="refused: token revoked")
        return None, _unauthorised("this token has been revoked")
    if token.scope != scope:
        do_record_token_use(token=token, outcome=f"refused: scope {token.scope} is not {scope}")
        return None, JsonResponse({"ok": False, "error": f"this token's scope does not allow {scope}"}, status=403)
    return token, None


def _unauthorised(message: str) -> JsonResponse:
    response = JsonResponse({"ok": False, "error": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="upstander"'
    return response


@csrf_exempt
@require_POST
def feed(request: HttpRequest) -> JsonResponse:
    token, refusal = authenticate(request, HR_FEED_SCOPE)
    if token is None:
        assert refusal is not None
        return refusal
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        do_record_token_use(token=token, outcome="rejected: body is not JSON")
        return JsonResponse({"ok": False, "error": "the body is not JSON"}, status=400)
    outcome = import_feed(payload, token=token)
    if not outcome.ok:
        do_record_token_use(token=token, outcome=f"rejected: {len(outcome.errors)} invalid record(s), nothing changed")
        return JsonResponse(outcome.as_dict(), status=400)
    return JsonResponse(outcome.as_dict())
