"""The overseer's witness's two machine endpoints, authenticated by a bearer token of scope `audit_witness`
(created with `upstander people token create NAME --scope audit_witness`):

- GET  /audit/api/since?after=ID[&limit=N]  the audit rows after ID, the chain's head and the hash at ID;
- POST /audit/api/witness                   the head the witness has just signed, {"id","hash","seen_at","sig"}.

They take no cookies, only the token, so the POST alone is exempt from CSRF. The token opens nothing else: every
other endpoint checks its own scope, and staff pages know only sessions.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from upstander.oversight.witness_feed import (
    AUDIT_WITNESS_SCOPE,
    PULL_LIMIT,
    WitnessNotConfigured,
    do_record_witness_head,
    do_witness_pull,
)
from upstander.people.actions import do_record_token_use
from upstander.people.api import authenticate


def _whole_number(value: str | None, default: int) -> int | None:
    if value in (None, ""):
        return default
    assert value is not None
    return int(value) if value.isdigit() else None


@never_cache
@require_GET
def since(request: HttpRequest) -> JsonResponse:
    token, refusal = authenticate(request, AUDIT_WITNESS_SCOPE)
    if token is None:
        assert refusal is not None
        return refusal
    after = _whole_number(request.GET.get("after"), 0)
    limit = _whole_number(request.GET.get("limit"), PULL_LIMIT)
    if after is None or limit is None:
        return JsonResponse({"ok": False, "error": "after and limit are whole numbers"}, status=400)
    return JsonResponse({"ok": True, **do_witness_pull(token=token, after=after, limit=limit)})


@csrf_exempt
@require_POST
def witness_head(request: HttpRequest) -> JsonResponse:
    token, refusal = authenticate(request, AUDIT_WITNESS_SCOPE)
    if token is None:
        assert refusal is not None
        return refusal
    try:
        doc = json.loads(request.body or b"null")
        recorded = do_record_witness_head(token=token, head_doc=doc)
    except (ValueError, UnicodeDecodeError, ValidationError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else "the body is not JSON"
        do_record_token_use(token=token, outcome=f"rejected: {reason}")
        return JsonResponse({"ok": False, "error": reason}, status=400)
    except WitnessNotConfigured as exc:
        do_record_token_use(token=token, outcome="rejected: no overseer public key configured")
        return JsonResponse({"ok": False, "error": str(exc)}, status=503)
    if not recorded.matches:
        return JsonResponse({"ok": False, "error": "the log no longer has this hash at this id"}, status=409)
    return JsonResponse({"ok": True, "recorded": recorded.event.id})
