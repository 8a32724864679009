"""The synthetic force at benchmark size (issue 2): `upstander worldgen --staff 50000 --years 10` on SQLite in a
fresh data dir, as a real process. Reports wall time, peak memory, rows and database size, and recovers the planted
relative rate from the written database (not from the generator's own count) as a calibration check.

    .venv/bin/python bench/worldgen_large.py                      # 50,000 staff x 10 years, seed 1
    .venv/bin/python bench/worldgen_large.py --staff 5000 --years 5

Prints what it measured and the machine; results go in docs/benchmarks.md ("Worldgen").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Internally raised allegations assessed as misconduct or gross misconduct, one per (case, subject), against officers,
# by the subject's census group; officer-years employed inside the window from the roster.
RATE_SQL = """
WITH hits AS (
  SELECT DISTINCT a.case_id, a.subject_id
  FROM cases_allegation a JOIN cases_report r ON r.case_id = a.case_id
  WHERE r.reporter_type = 'staff' AND a.severity IN ('misconduct', 'gross_misconduct') AND a.subject_id IS NOT NULL
)
SELECT CASE WHEN p.ethnicity LIKE 'black%' THEN 'Black' ELSE 'White' END AS grp, COUNT(*)
FROM hits JOIN people_person p ON p.id = hits.subject_id
WHERE p.kind = 'officer' AND (p.ethnicity LIKE 'black%' OR p.ethnicity LIKE 'white%')
GROUP BY grp
"""
YEARS_SQL = """
SELECT CASE WHEN ethnicity LIKE 'black%' THEN 'Black' ELSE 'White' END AS grp,
       SUM(julianday(MIN(COALESCE(left_on, :end_plus), :end_plus)) - julianday(MAX(joined_on, :start))) / 365.25
FROM people_person
WHERE kind = 'officer' AND (ethnicity LIKE 'black%' OR ethnicity LIKE 'white%')
  AND COALESCE(left_on, :end_plus) > :start AND joined_on <= :end
GROUP BY grp
"""


def recovered_rate(db: Path, window: dict) -> dict:
    from datetime import date, timedelta

    end_plus = (date.fromisoformat(window["to"]) + timedelta(days=1)).isoformat()
    with sqlite3.connect(db) as conn:
        counts = dict(conn.execute(RATE_SQL).fetchall())
        years = dict(conn.execute(YEARS_SQL, {"start": window["from"], "end": window["to"],
                                              "end_plus": end_plus}).fetchall())
    rate = {g: counts.get(g, 0) / years[g] for g in ("Black", "White")}
    return {"black_allegations": counts.get("Black", 0), "white_allegations": counts.get("White", 0),
            "black_officer_years": round(years["Black"], 1), "white_officer_years": round(years["White"], 1),
            "relative_rate_from_database": round(rate["Black"] / rate["White"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=50000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="upstander-bench-worldgen-"))
    truth_path = data_dir / "truth.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "DATABASE_URL"))}
    env.update({"UPSTANDER_DATA_DIR": str(data_dir), "UPSTANDER_FAST_HASHES": "1"})
    # Migrations and key set-up first, so the timed run is the generator alone.
    subprocess.run([sys.executable, "-m", "upstander.cli", "migrate"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "upstander.cli", "worldgen", "--staff", str(args.staff),
                           "--years", str(args.years), "--seed", str(args.seed), "--out", str(truth_path),
                           "--json", "--no-progress"], env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = json.loads(done.stdout)
    truth = json.loads(truth_path.read_text())
    db = data_dir / "upstander.sqlite3"

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"worldgen --staff {args.staff} --years {args.years} --seed {args.seed} on SQLite")
    print(f"  wall time (process, incl. start-up): {wall:.1f} s; generator's own time: {summary['seconds']} s "
          f"(building in memory {summary['build_seconds']} s, writing {summary['write_seconds']} s)")
    print(f"  peak RSS: {peak_mib:.0f} MiB; database: {db.stat().st_size / 2**20:.0f} MiB; "
          f"truth file: {truth_path.stat().st_size / 2**20:.1f} MiB")
    big = ", ".join(f"{k.split('.')[1]} {v:,}" for k, v in sorted(summary["rows"].items()) if v > 10000)
    print(f"  rows: {sum(summary['rows'].values()):,} ({big})")
    print(f"  planted: {summary['planted']}")
    print(f"  relative rate: configured {truth['relative_rate']['configured']}, generator's count "
          f"{truth['relative_rate']['realised']}, recovered from the database {recovered_rate(db, truth['window'])}")


if __name__ == "__main__":
    main()
