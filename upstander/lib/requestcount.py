"""Request and error counts for `/metrics`, shared by every app process on a host.

Each process counts in memory and writes its counts to its own file in METRICS_DIR at most every FLUSH_SECONDS
(and whenever /metrics is read); /metrics adds up every process's file, so a scrape that reaches any one gunicorn
worker sees the whole host. Files of processes that have ended are folded into `retired.json`, so the totals only
grow, as Prometheus counters must.

Metadata minimisation (DESIGN.md rule 6): requests on the reporter side (/report/) are not counted at all, because a
count per scrape interval would record when reporters were active; server errors are counted for both sides in one
total, without a path.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
import time
from collections import Counter
from pathlib import Path

from django.conf import settings

from upstander.lib.keyfiles import write_private

FLUSH_SECONDS = 2.0
_lock = threading.Lock()
_counts: Counter[str] = Counter()
_last_flush = 0.0
_START = f"{os.getpid()}-{secrets.token_hex(4)}"  # unique per process, even when a pid is reused


def _dir() -> Path:
    return Path(settings.METRICS_DIR)


def count(*, reporter_side: bool, status: int) -> None:
    """Count one finished request."""
    global _last_flush
    with _lock:
        if not reporter_side:
            _counts[f"requests:{status // 100}xx"] += 1
        if status >= 500:
            _counts["errors"] += 1
        if status == 503 and reporter_side:
            _counts["database_away"] += 1
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS
    if due:
        flush()


def note(event: str) -> None:
    """Count an event that is not a request (a request retried because the database was away)."""
    with _lock:
        _counts[event] += 1


def flush() -> None:
    global _last_flush
    folder = _dir()
    if not folder.parent.is_dir():
        return  # no data dir (no installation yet): nothing to keep counts in
    with _lock:
        snapshot = dict(_counts)
        _last_flush = time.monotonic()
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        write_private(folder / f"process-{_START}.json", json.dumps(snapshot).encode())
    except OSError:
        pass  # counts are a convenience; serving requests never fails for them


def _alive(name: str) -> bool:
    try:
        pid = int(name.split("-")[1])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _read(path: Path) -> Counter[str]:
    try:
        return Counter({k: int(v) for k, v in json.loads(path.read_text()).items()})
    except (OSError, ValueError, AttributeError):
        return Counter()


def totals() -> Counter[str]:
    """Every process's counts on this host, ended processes included."""
    flush()
    folder = _dir()
    if not folder.is_dir():
        return Counter(_counts)
    total: Counter[str] = Counter()
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        retired = _read(folder / "retired.json")
        ended = []
        for path in sorted(folder.glob("process-*.json")):
            counts = _read(path)
            if path.stem == f"process-{_START}" or _alive(path.stem):
                total += counts
            else:
                retired += counts
                ended.append(path)
        if ended:
            write_private(folder / "retired.json", json.dumps(dict(retired)).encode())
            for path in ended:  # only once their counts are safely in retired.json
                path.unlink(missing_ok=True)
    return total + retired
