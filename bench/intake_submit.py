"""Reporting channel throughput (issue 3): reports submitted per second, and the p50/p95 latency of submitting a
report and of returning with a receipt, through the real stack (URL routing, CSRF, forms, the encrypted draft,
Argon2id, sealing, SQLite with secure_delete, the audit chain), at one or more Argon2id parameter sets.

    .venv/bin/python bench/intake_submit.py                         # the default parameters (ops 3, 64 MiB)
    .venv/bin/python bench/intake_submit.py --params 3:65536 2:19456 1:8192 --reports 40
    .venv/bin/python bench/intake_submit.py --json                  # one JSON document on stdout

One client, one process, sequential requests: on a shared two-core machine that is the honest measure of what one
app process can do; more processes scale the Argon2id part until the cores or memory run out (each derivation holds
its memory parameter for its duration). Prints what it measured and the machine; results go in docs/benchmarks.md
("Reporting").
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
    os.environ["UPSTANDER_DATA_DIR"] = tempfile.mkdtemp(prefix="upstander-bench-intake-")
    os.environ.setdefault("UPSTANDER_FAST_HASHES", "1")  # staff accounts only; receipt parameters are set below
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from upstander.accounts.setup import ensure_installation

    ensure_installation()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _journey(client, token_re, receipt_re, narrative: str) -> tuple[float, str]:
    """One report through the pages; returns the latency of the final "Submit report" POST and the receipt."""
    pages = [("how", {"mode": "anonymous"}), ("staff", {"reporter_type": "public"}), ("what", {"narrative": narrative}),
             ("when", {"incident_day": "1", "incident_month": "5", "incident_year": "2024"}),
             ("where", {"place": "Central station"}), ("who", {"subject_1_name": "PC Example"}),
             ("about", {"categories": ["bullying"]}), ("your-part", {"reporter_role": "victim"})]
    for page, answers in pages:  # one question per page (intake/answers.py)
        assert client.post(f"/report/new/{page}", answers).status_code == 302
    assert client.post("/report/new/files", {}).status_code == 302
    assert client.post("/report/new/equality", {}).status_code == 302
    token = token_re.search(client.get("/report/new/check").content.decode()).group(1)
    started = time.perf_counter()
    response = client.post("/report/new/check", {"idempotency_token": token})
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed, receipt_re.search(response.content.decode()).group(1)


def run(reports: int, opslimit: int, memlimit_kib: int) -> dict:
    import re

    from django.conf import settings
    from django.test import Client

    settings.RECEIPT_ARGON2_OPSLIMIT = opslimit
    settings.RECEIPT_ARGON2_MEMLIMIT_KIB = memlimit_kib
    token_re = re.compile(r'name="idempotency_token" value="([^"]+)"')
    receipt_re = re.compile(r'id="receipt"[^>]*>([a-z ]+)<')
    submit, journeys, receipts = [], [], []
    _journey(Client(), token_re, receipt_re, "Warm-up: templates, forms and policy files loaded, not timed.")
    wall = time.perf_counter()
    for i in range(reports):
        started = time.perf_counter()
        latency, receipt = _journey(Client(), token_re, receipt_re, f"Report {i}: shouted at me in the locker room.")
        journeys.append(time.perf_counter() - started)
        submit.append(latency)
        receipts.append(receipt)
    wall = time.perf_counter() - wall
    returns = []
    for receipt in receipts:
        client = Client()
        started = time.perf_counter()
        assert client.post("/report/return", {"receipt": receipt}).status_code == 302
        assert client.get("/report/status").status_code == 200
        returns.append(time.perf_counter() - started)
    from upstander.intake import receipts as receipt_words

    derivations = []
    for _ in range(10):
        started = time.perf_counter()
        receipt_words.derive(receipt_words.new_receipt())
        derivations.append(time.perf_counter() - started)
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {
        "argon2_alone_ms": {"p50": ms(statistics.median(derivations))},
        "argon2": {"opslimit": opslimit, "memlimit_kib": memlimit_kib}, "reports": reports,
        "reports_per_second": round(reports / wall, 2),
        "submit_ms": {"p50": ms(statistics.median(submit)), "p95": ms(_percentile(submit, 95))},
        "whole_journey_ms": {"p50": ms(statistics.median(journeys)), "p95": ms(_percentile(journeys, 95))},
        "return_ms": {"p50": ms(statistics.median(returns)), "p95": ms(_percentile(returns, 95))},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--params", nargs="+", default=["3:65536"], help="opslimit:memlimit_kib, one or more")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _setup()
    machine = {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
               "load_average_at_start": round(os.getloadavg()[0], 1)}
    results = []
    for spec in args.params:
        ops, mem = (int(x) for x in spec.split(":"))
        print(f"measuring {args.reports} reports at Argon2id ops={ops} mem={mem} KiB …", file=sys.stderr)
        results.append(run(args.reports, ops, mem))
    if args.json:
        print(json.dumps({"machine": machine, "results": results}))
        return
    print(f"machine: {machine['platform']}, Python {machine['python']}, {machine['cpus']} CPUs")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print("Argon2id (ops, MiB) | derivation alone p50 ms | reports/s | submit p50 / p95 ms | "
          "whole journey p50 / p95 ms | return p50 / p95 ms")
    for r in results:
        a = r["argon2"]
        print(f"{a['opslimit']}, {a['memlimit_kib'] // 1024} | {r['argon2_alone_ms']['p50']} | {r['reports_per_second']} | "
              f"{r['submit_ms']['p50']} / {r['submit_ms']['p95']} | "
              f"{r['whole_journey_ms']['p50']} / {r['whole_journey_ms']['p95']} | "
              f"{r['return_ms']['p50']} / {r['return_ms']['p95']}")


if __name__ == "__main__":
    main()
