"""`/metrics`: for the operator's monitoring system, behind a bearer token; 404 when no token is configured."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.health import operator_token_given
from upstander.oversight import metrics as prometheus


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_TOKEN:
        raise Http404
    if not operator_token_given(request):
        return HttpResponse("A bearer token is required.\n", status=401, content_type="text/plain",
                            headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    return HttpResponse(prometheus.render(), content_type="text/plain; version=0.0.4; charset=utf-8")
