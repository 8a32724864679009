"""Staff sign-in timing (issue 11): does the answer take the same time for an unknown username, a known one with a
wrong password, and a locked account? Before the fix a locked account answered without hashing (0.06 s against
1.0 s), which told anyone which usernames exist and which were locked. Real Argon2id parameters (Django's defaults),
the real login view through the test client; medians of --tries attempts each.

    .venv/bin/python bench/login_timing.py [--tries 15] [--json]

Prints what it measured and the machine; results go in docs/benchmarks.md ("Sign-in").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time


def _setup() -> None:
    os.environ["UPSTANDER_DATA_DIR"] = tempfile.mkdtemp(prefix="upstander-bench-login-")
    os.environ.pop("UPSTANDER_FAST_HASHES", None)  # production Argon2id for staff passwords
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from upstander.accounts.setup import ensure_installation

    ensure_installation()


def _time(client, data: dict) -> float:
    started = time.perf_counter()
    response = client.post("/accounts/login", data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400, response.status_code
    return elapsed


def run(tries: int) -> dict:
    from django.test import Client

    from upstander.accounts.actions import do_create_staff_user
    from upstander.audit.log import Actor

    for name in ("known", "locked"):
        do_create_staff_user(actor=Actor.system("bench"), username=name, password="a-right-password-123",  # noqa: S106 (a throwaway bench account)
                             role="analyst")
    wrong = {"password": "a-wrong-password-456", "otp_token": "123456"}
    for _ in range(5):  # lock the second account
        Client().post("/accounts/login", {"username": "locked", **wrong})
    results = {}
    for label, username in (("unknown username", "nobody"), ("known, wrong password", "known"),
                            ("locked account", "locked")):
        _time(Client(), {"username": username, **wrong})  # warm-up
        samples = [_time(Client(), {"username": username, **wrong}) for _ in range(tries)]
        results[label] = round(statistics.median(samples) * 1000, 1)
        if label == "known, wrong password":  # keep the known account below the lockout threshold
            from upstander.accounts.models import User

            User.objects.filter(username="known").update(failed_logins=0, locked_until=None)
    return {"median_ms": results, "tries": tries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _setup()
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              **run(args.tries)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"Sign-in answer time, median of {args.tries} ({result['machine']}):")
    for label, ms in result["median_ms"].items():
        print(f"  {label:<24} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
