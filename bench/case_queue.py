"""Case queue response time at 100,000 cases (issue 4): p50/p95 of the staff queue with its filters, the overseer's
queue and a case page, through the real stack (URL routing, login with a second factor, access checks, template).

    .venv/bin/python bench/case_queue.py                              # SQLite in a throwaway data dir
    scripts/with-postgres.sh .venv/bin/python bench/case_queue.py     # a throwaway PostgreSQL server

The world: a synthetic force from the generator (roster and its own cases), then invented history bulk-written up to
--cases cases (one report, one allegation and the stage events of its stage each; ~30% closed; 1% flagged), as the
generator itself does. `upstander tick` then fills the clocks' due-date cache and its time is reported too.
Prints what it measured and the machine; results go in docs/benchmarks.md ("Case workflow").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta


def _setup_env() -> None:
    os.environ.setdefault("UPSTANDER_FAST_HASHES", "1")  # account creation only; queries are unaffected
    if not os.environ.get("DATABASE_URL"):
        os.environ["UPSTANDER_DATA_DIR"] = tempfile.mkdtemp(prefix="upstander-bench-")
        print(f"data dir: {os.environ['UPSTANDER_DATA_DIR']}", file=sys.stderr)
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


STAGES = ["received", "acknowledged", "assessed", "routed", "investigation", "case_to_answer", "proceedings", "outcome",
          "review", "closed"]
CATEGORIES = ["bullying", "racism", "misogyny", "sexual_misconduct", "corruption", "violence", "homophobia", "other"]


def bulk_cases(target: int, end: date, seed: int = 4) -> int:
    """Invented history straight into the tables (one audit event for the batch, as the generator does)."""
    from django.db import transaction

    from upstander.accounts.models import Organisation, OrganisationKind
    from upstander.audit.log import Actor, record
    from upstander.cases.models import Allegation, Case, Flag, Report, StageEvent
    from upstander.people.models import Person

    rng = random.Random(seed)
    have = Case.objects.count()
    force = Organisation.objects.get(kind=OrganisationKind.FORCE)
    people = list(Person.objects.values_list("id", flat=True)[:5000])
    zone = datetime.now().astimezone().tzinfo
    batch = 5000
    made = 0
    while have + made < target:
        n = min(batch, target - have - made)
        with transaction.atomic():
            cases = []
            for i in range(n):
                received = end - timedelta(days=rng.randint(0, 3 * 365))
                depth = rng.choices(range(len(STAGES)), weights=[6, 10, 8, 8, 20, 5, 4, 6, 3, 30])[0]
                closed = STAGES[depth] == "closed"
                cases.append(Case(code=f"BX-{have + made + i:09d}", handling_org=force, state=STAGES[depth],
                                  opened_on=received, came_to_attention_on=received,
                                  closed_on=received + timedelta(days=depth * 30) if closed else None,
                                  main_category=rng.choice(CATEGORIES)))
            Case.objects.bulk_create(cases, batch_size=1000)
            reports, stages, allegations, flags = [], [], [], []
            for case in cases:
                depth = STAGES.index(case.state)
                reports.append(Report(channel="online", mode="named", reporter_type="public", categories=[case.main_category],
                                      received_on=case.opened_on, handling_org=force, case=case))
                for k, stage in enumerate(STAGES[: depth + 1]):
                    if stage == "closed" or k <= depth:
                        day = case.opened_on + timedelta(days=k * 30 if stage != "received" else 0)
                        stages.append(StageEvent(case=case, stage=stage, actor="bench",
                                                 at=datetime(day.year, day.month, day.day, 10, tzinfo=zone)))
                allegations.append(Allegation(case=case, category=case.main_category,
                                              subject_id=rng.choice(people) if people else None))
                if rng.random() < 0.01:
                    flags.append(Flag(case=case, flag="serious_sexual_offence", categories=[case.main_category],
                                      raised_at=datetime.now(zone), raised_by="bench"))
            Report.objects.bulk_create(reports, batch_size=1000)
            StageEvent.objects.bulk_create(stages, batch_size=1000)
            Allegation.objects.bulk_create(allegations, batch_size=1000)
            Flag.objects.bulk_create(flags, batch_size=1000)
            record(Actor.system("bench"), "bench.bulk_cases", object_type="cases.case", object_id="bulk",
                   reason=f"{n} invented cases")
        made += n
        print(f"  … {have + made} cases", file=sys.stderr)
    return made


def login(cast, username: str):
    from django.test import Client

    from upstander.testing.fixtures import current_code

    client = Client()
    response = client.post("/accounts/login", {"username": username, "password": cast.passwords[username],
                                               "otp_token": current_code(cast.totp_keys[username])})
    assert response.status_code == 302, f"login failed for {username}"
    return client


def measure(client, url: str, params: dict, repeat: int) -> tuple[float, float, int]:
    for _ in range(3):
        client.get(url, params)
    times = []
    status = 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)], status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--tick", action="store_true",
                        help="Fill the due-date cache with a real `tick` run (escalating every invented breach, each "
                             "audited: slow at 100,000 cases) instead of the cache refresh alone.")
    args = parser.parse_args()
    _setup_env()
    from upstander.cli import ensure_ready

    ensure_ready()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from upstander.accounts.models import Role
    from upstander.audit.log import Actor
    from upstander.cases.clocks import refresh_due
    from upstander.cases.escalations import run_tick
    from upstander.cases.models import Case
    from upstander.testing.personas import create_cast
    from upstander.worldgen.generate import generate

    setup_test_environment()  # the test client's host and template hooks; nothing else changes
    started = time.perf_counter()
    truth = generate(args.staff, 3, 1, progress=False)
    end = date.fromisoformat(truth["window"]["to"])
    made = bulk_cases(args.cases, end)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # what autovacuum would soon do after a bulk load
    build_s = time.perf_counter() - started
    cast = create_cast()
    handler = cast.users["handler_a"]
    mine = list(Case.objects.filter(closed_on__isnull=True).order_by("id").values_list("id", flat=True)[:2000])
    Case.objects.filter(id__in=mine).update(owner=handler)
    open_ids = list(Case.objects.filter(closed_on__isnull=True).values_list("id", flat=True))
    started = time.perf_counter()
    if args.tick:
        result = run_tick(actor=Actor.system("tick"), on=end)
        tick_line = (f"tick: {time.perf_counter() - started:.1f} s over {result.cases_checked} open cases "
                     f"({result.breaches_open} breaches, {result.escalated_to_supervisor} escalated, each audited)")
        started = time.perf_counter()
        again = run_tick(actor=Actor.system("tick"), on=end)
        tick_line += (f"; second run {time.perf_counter() - started:.1f} s, escalated "
                      f"{again.escalated_to_supervisor + again.escalated_to_overseer}")
    else:
        for i in range(0, len(open_ids), 2000):
            refresh_due(open_ids[i:i + 2000])
        tick_line = f"due-date cache refresh (tick's first half): {time.perf_counter() - started:.1f} s over {len(open_ids)} open cases"

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    clients = {name: login(cast, name) for name in ("handler_a", "supervisor", "overseer")}
    one_case = Case.objects.filter(owner=handler).order_by("id").values_list("code", flat=True).first()
    scenarios = [
        ("supervisor", "/cases/", {}), ("supervisor", "/cases/", {"overdue": "on"}),
        ("supervisor", "/cases/", {"state": "investigation"}), ("supervisor", "/cases/", {"category": "racism"}),
        ("supervisor", "/cases/", {"owner": "none"}), ("supervisor", "/cases/", {"flags": "on"}),
        ("supervisor", "/cases/", {"overdue": "on", "category": "racism"}), ("supervisor", "/cases/", {"page": "40"}),
        ("handler_a", "/cases/", {}), ("handler_a", "/cases/", {"owner": "me", "overdue": "on"}),
        ("overseer", "/cases/", {}), ("overseer", "/oversight/", {}), ("overseer", "/oversight/", {"page": "20"}),
        ("handler_a", f"/cases/{one_case}/", {}),
    ]
    vendor = connection.vendor
    with connection.cursor() as cur:
        cur.execute("select sqlite_version()" if vendor == "sqlite" else "show server_version")
        version = cur.fetchone()[0]
    print(f"machine: {platform.platform()}; {os.cpu_count()} CPUs; Python {platform.python_version()}")
    print(f"database: {vendor} {version}; {Case.objects.count()} cases ({Case.objects.filter(closed_on__isnull=True).count()} "
          f"open), {made} bulk-written; world built in {build_s:.0f} s")
    print(tick_line)
    print(f"{'persona':<11} {'url':<24} {'filters':<36} {'p50 ms':>7} {'p95 ms':>7}")
    worst = 0.0
    for persona, url, params in scenarios:
        p50, p95, status = measure(clients[persona], url, params, args.repeat)
        assert status == 200, (persona, url, params, status)
        worst = max(worst, p95)
        shown = ",".join(f"{k}={v}" for k, v in params.items()) or "(none)"
        print(f"{persona:<11} {url[:24]:<24} {shown:<36} {p50:7.1f} {p95:7.1f}")
    print(f"worst p95: {worst:.1f} ms (target < 300 ms) — {Role.SUPERVISOR} sees every force case")


if __name__ == "__main__":
    main()
