"""Calibration of the disproportionality figures (issue 7) over many synthetic forces.

For each seed, a force is generated twice with `upstander worldgen`: once with no planted difference (relative rate
1.0, no retaliation) and once with the planted relative rate (1.81). `upstander insight fairness --dataset live
--source internal --staff-kind officer --json` is run on each, and the per-officer-year relative rate of Black
against White officers at the stage the generator plants it on (allegations raised internally and assessed as
misconduct or gross misconduct) is read with its 95% interval. Two things are counted:

- null forces: how often the interval excludes 1 (a "significant" difference where there is none) — it should be
  about 5%, within binomial noise;
- planted forces: how often the interval contains the planted 1.81 (coverage) — it should be about 95%.

    .venv/bin/python bench/insight_calibration.py [--seeds 40] [--staff 800] [--years 5]

Prints each force's figures, the counts with exact binomial intervals and the machine; results go in
docs/benchmarks.md ("Insight").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPSTANDER = [sys.executable, "-m", "upstander.cli"]
PLANTED = 1.81


def run(args: list[str], data_dir: Path) -> str:
    env = dict(os.environ, UPSTANDER_DATA_DIR=str(data_dir))
    done = subprocess.run(UPSTANDER + args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-800:]}")
    return done.stdout


def one_force(template: Path, seed: int, rate: float, options: argparse.Namespace) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="upstander-calibration-"))
    shutil.rmtree(data_dir)
    shutil.copytree(template, data_dir)  # migrated and keyed once, copied for each force
    try:
        summary = json.loads(run(["worldgen", "--staff", str(options.staff), "--years", str(options.years), "--seed",
                                  str(seed), "--relative-rate", str(rate), "--retaliation-excess",
                                  "0" if rate == 1.0 else "0.25", "--no-progress", "--json"], data_dir)
                             .strip().splitlines()[-1])
        window = summary["window"]
        document = json.loads(run(["insight", "fairness", "--dataset", "live", "--source", "internal",
                                   "--staff-kind", "officer", "--from", window["from"], "--to", window["to"],
                                   "--json"], data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    row = next(r for r in document["rates_per_person_year"]
               if r["stage"] == "assessed_misconduct" and r["group"] == "Black")
    return {"seed": seed, "configured": rate, "realised": summary["relative_rate"]["realised"],
            "relative_rate": row["relative_rate"], "ci_low": row["ci_low"], "ci_high": row["ci_high"],
            "numerator": row["numerator"]}


def clopper_pearson(k: int, n: int) -> tuple[float, float]:
    from scipy.stats import beta

    low = 0.0 if k == 0 else float(beta.ppf(0.025, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(0.975, k + 1, n - k))
    return low, high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--first-seed", type=int, default=101)
    parser.add_argument("--staff", type=int, default=800)
    parser.add_argument("--years", type=int, default=5)
    options = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load {load:.1f}", flush=True)
    template = Path(tempfile.mkdtemp(prefix="upstander-calibration-template-"))
    run(["migrate"], template)
    started = time.perf_counter()
    results = []
    for seed in range(options.first_seed, options.first_seed + options.seeds):
        for rate in (1.0, PLANTED):
            result = one_force(template, seed, rate, options)
            results.append(result)
            print(json.dumps(result), flush=True)
    shutil.rmtree(template, ignore_errors=True)

    null = [r for r in results if r["configured"] == 1.0 and r["ci_low"] is not None]
    planted = [r for r in results if r["configured"] == PLANTED and r["ci_low"] is not None]
    false_alarms = sum(1 for r in null if r["ci_low"] > 1 or r["ci_high"] < 1)
    covered = sum(1 for r in planted if r["ci_low"] <= PLANTED <= r["ci_high"])
    covered_realised = sum(1 for r in planted if r["ci_low"] <= r["realised"] <= r["ci_high"])
    summary = {
        "forces": len(results), "staff": options.staff, "years": options.years,
        "minutes": round((time.perf_counter() - started) / 60, 1),
        "null_significant": [false_alarms, len(null), clopper_pearson(false_alarms, len(null))],
        "planted_covered": [covered, len(planted), clopper_pearson(covered, len(planted))],
        "planted_covers_realised": [covered_realised, len(planted)],
        "median_planted_estimate": sorted(r["relative_rate"] for r in planted)[len(planted) // 2] if planted else None,
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
