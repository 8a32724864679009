"""System checks shared by `GET /healthz` and `upstander check`.

`/healthz` answers only "ok" or "error" to the public (issue 11: it used to name missing key-file paths to anyone);
the details go to an operator: `upstander check`, or `/healthz` with the metrics token. The expensive checks (the
migration planner, the installation and its keys, file modes) are cached per process for HEALTH_CACHE_SECONDS, so a
load balancer polling every second does not run the migration planner every second; reaching the database is checked
on every request. Nothing here creates anything: `check` on an empty directory leaves it empty.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.lib import crypto

Check = dict[str, object]
_cache: dict[str, tuple[float, Check]] = {}


def _database() -> Check:
    from upstander.operations.setup import sqlite_file_missing, sqlite_path

    if sqlite_file_missing():
        return {"ok": False, "error": f"no database file at {sqlite_path()}"}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database is reported, not raised
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _migrations() -> Check:
    from upstander.operations.setup import pending_migrations

    pending = pending_migrations()
    return {"ok": not pending, "pending": pending}


def _installation() -> Check:
    from upstander.operations.errors import InstallationError
    from upstander.operations.setup import find_installation, key_problems

    try:
        installation = find_installation()
    except InstallationError as exc:
        return {"ok": False, "error": str(exc)}
    problems = key_problems(installation)
    return {"ok": not problems, "installation": str(installation.public_id), "problems": problems}


def _keys() -> Check:
    """The installation's key files, and a key for every kind of organisation reports are sealed to."""
    from upstander.accounts.models import Organisation, OrganisationKind
    from upstander.lib.keys import missing_key_files

    present = set(Organisation.objects.values_list("kind", flat=True))
    missing = missing_key_files() + [f"organisation key: {k}" for k in OrganisationKind.values if k not in present]
    return {"ok": not missing, "missing": missing}


def _permissions() -> Check:
    """The data dir 0700 and the SQLite files 0600 (issue 11: they were world-readable)."""
    from upstander.operations.setup import in_memory_db, is_sqlite, sqlite_path

    paths = [Path(settings.DATA_DIR)]
    if is_sqlite() and not in_memory_db():
        db = sqlite_path()
        paths += [p for p in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))) if p.exists()]
    loose = [f"{p} is mode {stat.S_IMODE(p.stat().st_mode):o}" for p in paths
             if p.exists() and stat.S_IMODE(p.stat().st_mode) & 0o077]
    return {"ok": not loose, "readable_by_others": loose}


def _cached(name: str, compute: Callable[[], Check], fresh: bool) -> Check:
    now = time.monotonic()
    key = f"{name}|{settings.DATA_DIR}|{connection.settings_dict.get('NAME')}"
    hit = _cache.get(key)
    if hit is not None and not fresh and now - hit[0] < settings.HEALTH_CACHE_SECONDS:
        return hit[1]
    try:
        result = compute()
    except Exception as exc:  # noqa: BLE001 - a check that cannot run is a failed check
        result = {"ok": False, "error": type(exc).__name__}
    _cache[key] = (now, result)
    return result


def run_checks(*, fresh: bool = False) -> dict[str, Check]:
    """`fresh`: recompute everything (the `check` command); otherwise the expensive checks come from the cache."""
    checks: dict[str, Check] = {"database": _database()}
    if not checks["database"]["ok"]:
        return checks
    for name, compute in (("migrations", _migrations), ("installation", _installation), ("keys", _keys),
                          ("permissions", _permissions)):
        checks[name] = _cached(name, compute, fresh)
    return checks


def operator_token_given(request: HttpRequest) -> bool:
    """The request carries the operator's metrics token (Authorization: Bearer …); never true when none is set."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and given.startswith("Bearer ") and crypto.constant_time_equal(given[7:].strip(), token)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    ok = all(c.get("ok") for c in checks.values())
    doc: dict[str, object] = {"status": "ok" if ok else "error"}
    if operator_token_given(request):
        doc["checks"] = checks
    return JsonResponse(doc, status=200 if ok else 503)
