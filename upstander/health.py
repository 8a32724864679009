"""System checks shared by `GET /healthz` and `upstander check`."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def run_checks() -> dict[str, dict[str, object]]:
    checks: dict[str, dict[str, object]] = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database is reported, not raised
        checks["database"] = {"ok": False, "error": type(exc).__name__}
        return checks
    try:
        pending = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes())
        checks["migrations"] = {"ok": not pending, "pending": len(pending)}
    except Exception as exc:  # noqa: BLE001
        checks["migrations"] = {"ok": False, "error": type(exc).__name__}
    from upstander.lib.keys import missing_key_files, missing_keys

    try:
        missing = missing_keys()
    except Exception:  # noqa: BLE001 - no schema yet: report the files, the organisations come with migrate
        missing = missing_key_files() + ["organisation keys (database not set up)"]
    checks["keys"] = {"ok": not missing, "missing": missing}
    return checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    ok = all(c.get("ok") for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)
