"""Calibration of the insight figures (issue 7) over many synthetic forces, against what the generator planted.

For each seed a force is generated twice: once with nothing planted that these figures look for (relative rate 1.0,
no retaliation, reporters no likelier to leave, women's complaints reaching case to answer as often as men's) and once
with the defaults (relative rate 1.81, retaliation 0.25, reporter attrition 3.0, women's case-to-answer factor 0.6).
On each, as separate processes against the live dataset:

- `insight fairness --source internal --staff-kind officer`: the per-officer-year relative rate of Black against
  White officers at the stage the generator plants it on (allegations raised internally and assessed as misconduct or
  gross misconduct), with its 95% interval;
- `insight attrition`: the Cox hazard ratio of leaving, staff who reported (named or confidential) against matched
  peers, with its 95% interval;
- `insight outcomes --source public`: the substantiation rate of complaints by women against men (complainant sex as
  the form records it) with its 95% interval. Public complaints, because a member of the public's sex is drawn
  independently of the case; a staff reporter's is not (police staff, mostly women, report police staff, whose cases
  are less often serious), which makes the all-sources comparison differ from 1 with nothing planted.

Counted: null forces — how often each interval excludes 1 (a false alarm; nominal 5%); planted forces — how often the
relative-rate interval contains 1.81 (nominal 95%), and how often the attrition and outcome intervals exclude 1 in the
planted direction (power).

    .venv/bin/python bench/insight_calibration.py [--seeds 40] [--staff 800] [--years 5] [--jobs 2]
    .venv/bin/python bench/insight_calibration.py --seeds 1 --staff 50000 --years 10 --which planted

Prints each force's figures, the counts with exact binomial intervals and the machine; results go in
docs/benchmarks.md ("Insight").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPSTANDER = [sys.executable, "-m", "upstander.cli"]
PLANTED = {"relative_rate": 1.81, "retaliation_excess": 0.25, "reporter_attrition": 3.0, "female_case_to_answer": 0.6}
NULL = {"relative_rate": 1.0, "retaliation_excess": 0.0, "reporter_attrition": 1.0, "female_case_to_answer": 1.0}
# `upstander worldgen` has no options for the last two plants yet, so the force is made through generate() itself.
GENERATE = """
import json, sys
from upstander.cli import setup_django
setup_django()
from upstander.worldgen.generate import LAST_RUN, generate
truth = generate(progress=False, **json.loads(sys.argv[1]))
print(json.dumps({"window": truth["window"], "relative_rate": truth["relative_rate"]["realised"],
                  "attrition": truth["attrition_after_reporting"]["realised_ratio"],
                  "female_case_to_answer": truth["female_case_to_answer"]["realised_factor"], **LAST_RUN}))
"""


def run(args: list[str], data_dir: Path) -> str:
    env = dict(os.environ, UPSTANDER_DATA_DIR=str(data_dir), UPSTANDER_FAST_HASHES="1")
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:6])} failed: {done.stderr[-800:]}")
    return done.stdout


def insight(command: list[str], window: dict, data_dir: Path) -> dict:
    return json.loads(run(UPSTANDER + ["insight", *command, "--dataset", "live", "--from", window["from"],
                                       "--to", window["to"], "--json"], data_dir))


def interval(row: dict | None, value: str = "relative_rate") -> dict:
    if row is None:
        return {"estimate": None, "ci_low": None, "ci_high": None}
    return {"estimate": row.get(value), "ci_low": row.get("ci_low"), "ci_high": row.get("ci_high")}


def one_force(template: Path, seed: int, planted: bool, options: argparse.Namespace) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="upstander-calibration-"))
    shutil.rmtree(data_dir)
    shutil.copytree(template, data_dir)  # migrated and keyed once, copied for each force
    knobs = PLANTED if planted else NULL
    started = time.perf_counter()
    try:
        truth = json.loads(run([sys.executable, "-c", GENERATE, json.dumps(
            {"staff": options.staff, "years": options.years, "seed": seed, **knobs})], data_dir).splitlines()[-1])
        window = truth["window"]
        fairness = insight(["fairness", "--source", "internal", "--staff-kind", "officer"], window, data_dir)
        attrition = insight(["attrition"], window, data_dir)
        outcomes = insight(["outcomes", "--source", "public"], window, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    rate = next((r for r in fairness["rates_per_person_year"]
                 if r["stage"] == "assessed_misconduct" and r["group"] == "Black"), None)
    reporting = attrition["after_reporting"]
    women = next((r for r in outcomes["by_complainant_sex"].get("rows", []) if r["group"] == "Female"), None)
    return {
        "seed": seed, "planted": planted, "seconds": round(time.perf_counter() - started, 1),
        "generator": {k: truth[k] for k in ("relative_rate", "attrition", "female_case_to_answer")},
        "relative_rate": {**interval(rate), "black_events": rate["numerator"] if rate else None},
        "attrition": {"missing": reporting.get("missing", False),
                      **interval(reporting.get("cox"), "hazard_ratio"),
                      "reporters": reporting.get("cohorts", {}).get("exposed", {}).get("n")},
        "outcome": {**interval(women), "women_substantiated": women["numerator"] if women else None,
                    "women_complaints": women["denominator"] if women else None,
                    "time_p_value": women.get("time_p_value") if women else None},
    }


def clopper_pearson(k: int, n: int) -> list[float]:
    from scipy.stats import beta

    low = 0.0 if k == 0 else float(beta.ppf(0.025, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(0.975, k + 1, n - k))
    return [round(low, 3), round(high, 3)]


def share(rows: list[dict], test) -> dict:
    rows = [r for r in rows if r["ci_low"] is not None and r["ci_high"] is not None]
    hits = sum(1 for r in rows if test(r))
    return {"count": hits, "of": len(rows), "exact_95": clopper_pearson(hits, len(rows)) if rows else None}


def median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(results: list[dict], options: argparse.Namespace, minutes: float) -> dict:
    null = [r for r in results if not r["planted"]]
    planted = [r for r in results if r["planted"]]
    excludes_one = lambda r: r["ci_low"] > 1 or r["ci_high"] < 1  # noqa: E731
    summary: dict = {"forces": len(results), "staff": options.staff, "years": options.years, "minutes": minutes}
    if null:
        summary["null"] = {
            "relative_rate_excludes_1": share([r["relative_rate"] for r in null], excludes_one),
            "attrition_excludes_1": share([r["attrition"] for r in null], excludes_one),
            "outcome_excludes_1": share([r["outcome"] for r in null], excludes_one),
            "median_relative_rate": median([r["relative_rate"]["estimate"] for r in null]),
            "median_generator_relative_rate": median([r["generator"]["relative_rate"] for r in null]),
            "median_hazard_ratio": median([r["attrition"]["estimate"] for r in null]),
            "median_women_vs_men": median([r["outcome"]["estimate"] for r in null]),
            "black_events": [min(r["relative_rate"]["black_events"] or 0 for r in null),
                             max(r["relative_rate"]["black_events"] or 0 for r in null)],
        }
    if planted:
        target = PLANTED["relative_rate"]
        summary["planted"] = {
            "relative_rate_covers_1.81": share([r["relative_rate"] for r in planted],
                                               lambda r: r["ci_low"] <= target <= r["ci_high"]),
            "attrition_found": share([r["attrition"] for r in planted], lambda r: r["ci_low"] > 1),
            "outcome_found": share([r["outcome"] for r in planted], lambda r: r["ci_high"] < 1),
            "median_relative_rate": median([r["relative_rate"]["estimate"] for r in planted]),
            "median_generator_relative_rate": median([r["generator"]["relative_rate"] for r in planted]),
            "median_hazard_ratio": median([r["attrition"]["estimate"] for r in planted]),
            "median_women_vs_men": median([r["outcome"]["estimate"] for r in planted]),
            "black_events": [min(r["relative_rate"]["black_events"] or 0 for r in planted),
                             max(r["relative_rate"]["black_events"] or 0 for r in planted)],
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--first-seed", type=int, default=101)
    parser.add_argument("--staff", type=int, default=800)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1, help="forces made and analysed at once")
    parser.add_argument("--which", choices=["both", "null", "planted"], default="both",
                        help="which forces of each seed to make")
    options = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load {load:.1f}", flush=True)
    template = Path(tempfile.mkdtemp(prefix="upstander-calibration-template-"))
    run(UPSTANDER + ["migrate"], template)
    started = time.perf_counter()
    plans = [(seed, planted) for seed in range(options.first_seed, options.first_seed + options.seeds)
             for planted in {"both": (False, True), "null": (False,), "planted": (True,)}[options.which]]
    results = []
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for result in pool.map(lambda plan: one_force(template, plan[0], plan[1], options), plans):
            results.append(result)
            print(json.dumps(result), flush=True)
    shutil.rmtree(template, ignore_errors=True)
    print(json.dumps(summarise(results, options, round((time.perf_counter() - started) / 60, 1)), indent=2))


if __name__ == "__main__":
    main()
