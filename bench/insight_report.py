"""The full published report (issue 7): `upstander insight report` end to end — process start, loading the dataset,
every analysis (fairness three ways, adjusted rates, outcomes, attrition with Kaplan–Meier and Cox, timeliness),
disclosure control, SVG charts, HTML, the PDF through WeasyPrint, the SHA-256 manifest and its signature — as a real
process, timed as the median of --runs runs with each run's peak resident memory; then `insight verify`.

    .venv/bin/python bench/insight_report.py                         # the Chicago data (244,000 allegations)
    .venv/bin/python bench/insight_report.py --world-staff 50000 --world-years 10   # and a synthetic force
    .venv/bin/python bench/insight_report.py --world-data-dir DIR    # a force already generated in DIR

The Chicago data (../shared/data/chicago-cpdp-2019) is imported once into a throwaway data dir with the real
importer; the synthetic force is generated with `upstander worldgen` into another (or reused from
--world-data-dir) and reported on as --dataset live. Prints what it measured and the machine; results go in
docs/benchmarks.md ("Insight").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPSTANDER = [sys.executable, "-m", "upstander.cli"]


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MiB), stdout and CPU seconds of one command in its own process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(UPSTANDER + args, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode()
        if code != 0:
            raise SystemExit(f"{' '.join(args)} failed with status {code}: {output[-500:]}")
        return elapsed, usage.ru_maxrss / 1024, output, usage.ru_utime + usage.ru_stime


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load:.1f}"


def bench_report(label: str, dataset: str, env: dict[str, str], runs: int, extra: list[str]) -> dict:
    walls, rss, cpu, inner = [], [], [], []
    folder = Path(tempfile.mkdtemp(prefix="upstander-bench-report-"))
    for index in range(runs):
        out = folder / f"run-{index}"
        seconds, peak, output, used = run(["insight", "report", "--dataset", dataset, "--out", str(out), "--json",
                                           *extra], env)
        walls.append(seconds)
        rss.append(peak)
        cpu.append(used)
        inner.append(json.loads(output)["timings"])
        print(f"  {label} run {index + 1}: {seconds:.1f} s wall, {used:.1f} s CPU, peak RSS {peak:.0f} MiB, "
              f"inside: {inner[-1]}", flush=True)
    verify_seconds, verify_rss, _, _ = run(["insight", "verify", str(folder / "run-0")], env)
    size = sum(p.stat().st_size for p in (folder / "run-0").rglob("*") if p.is_file())
    result = {"label": label, "median_wall_s": statistics.median(walls), "min_wall_s": min(walls),
              "median_cpu_s": statistics.median(cpu), "peak_rss_mib": max(rss),
              "inside_median": {k: statistics.median(t[k] for t in inner) for k in inner[0]},
              "verify_s": verify_seconds, "report_bytes": size}
    print(f"{label}: median {result['median_wall_s']:.1f} s wall (min {result['min_wall_s']:.1f}), "
          f"{result['median_cpu_s']:.1f} s CPU, peak RSS {result['peak_rss_mib']:.0f} MiB, "
          f"verify {verify_seconds:.1f} s, report {size / 1e6:.1f} MB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "chicago-cpdp-2019"))
    parser.add_argument("--skip-chicago", action="store_true")
    parser.add_argument("--world-staff", type=int, default=0, help="Also generate a synthetic force this size.")
    parser.add_argument("--world-years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--world-data-dir", help="Report on a synthetic force already generated in this data dir.")
    options = parser.parse_args()
    print(f"machine: {machine()}", flush=True)
    results = []

    if not options.skip_chicago:
        env = dict(os.environ, UPSTANDER_DATA_DIR=tempfile.mkdtemp(prefix="upstander-bench-insight-"))
        seconds, rss, _, _ = run(["insight", "import", "cpdp", options.data, "--name", "chicago"], env)
        print(f"import cpdp: {seconds:.1f} s, peak RSS {rss:.0f} MiB", flush=True)
        results.append(bench_report("Chicago CPDP, all years", "chicago", env, options.runs, []))

    world_dir = options.world_data_dir
    if options.world_staff and not world_dir:
        world_dir = tempfile.mkdtemp(prefix="upstander-bench-world-")
        env = dict(os.environ, UPSTANDER_DATA_DIR=world_dir)
        seconds, rss, output, _ = run(["worldgen", "--staff", str(options.world_staff), "--years",
                                       str(options.world_years), "--seed", str(options.seed), "--no-progress",
                                       "--json"], env)
        summary = json.loads(output.strip().splitlines()[-1])
        print(f"worldgen {options.world_staff} staff x {options.world_years} years: {seconds:.0f} s, peak RSS "
              f"{rss:.0f} MiB, {summary['rows'].get('cases.case', 0)} cases", flush=True)
    if world_dir:
        env = dict(os.environ, UPSTANDER_DATA_DIR=world_dir)
        _, _, output, _ = run(["insight", "fairness", "--dataset", "live", "--source", "internal", "--staff-kind",
                               "officer", "--json"], env)
        rows = json.loads(output)["rates_per_person_year"]
        black = next(r for r in rows if r["stage"] == "assessed_misconduct" and r["group"] == "Black")
        print(f"planted relative rate check (internal, officers, assessed as misconduct, per officer-year): "
              f"{black['relative_rate']:.3f} [{black['ci_low']:.3f}–{black['ci_high']:.3f}]", flush=True)
        results.append(bench_report("synthetic force (live)", "live", env, options.runs, []))
    print(json.dumps({"machine": machine(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
