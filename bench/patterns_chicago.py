"""Patterns on the Chicago CPDP data (issue 8): `upstander insight patterns --json` end to end — process start,
Parquet load, pair counting, the co-accusal graph, crews, witnesses — timed as the median of --runs runs, with the
peak resident memory of each run's process; and `insight resigned` the same way.

    .venv/bin/python bench/patterns_chicago.py [--runs 3]

The data (../shared/data/chicago-cpdp-2019, 244,000 allegation rows) is imported once into a throwaway data dir
with the real importer. Prints what it measured and the machine; results go in docs/benchmarks.md ("Patterns").
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
    """Wall seconds, peak RSS (MiB), stdout and CPU seconds (user + system) of one command in its own process.
    CPU time is printed too because the development machine is shared: wall time there depends on the neighbours."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(UPSTANDER + args, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed with status {process.returncode}")
        out.seek(0)
        return elapsed, usage.ru_maxrss / 1024, out.read().decode(), usage.ru_utime + usage.ru_stime


def machine() -> str:
    return f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "chicago-cpdp-2019"))
    options = parser.parse_args()

    env = dict(os.environ, UPSTANDER_DATA_DIR=tempfile.mkdtemp(prefix="upstander-bench-patterns-"))
    seconds, rss, _, _ = run(["insight", "import", "cpdp", options.data, "--name", "chicago"], env)
    print(f"machine: {machine()}")
    print(f"import cpdp: {seconds:.1f} s, peak RSS {rss:.0f} MiB")

    commands = {
        "patterns (all years)": ["insight", "patterns", "--dataset", "chicago", "--json"],
        "patterns 2010-2015, public": ["insight", "patterns", "--dataset", "chicago", "--from", "2010-01-01",
                                       "--to", "2015-12-31", "--source", "public", "--json"],
        "resigned (all years)": ["insight", "resigned", "--dataset", "chicago", "--json"],
    }
    for label, args in commands.items():
        runs = [run(args, env) for _ in range(options.runs)]
        times = [r[0] for r in runs]
        peak = max(r[1] for r in runs)
        document = json.loads(runs[-1][2])
        print(f"{label}: median {statistics.median(times):.2f} s of {options.runs} "
              f"({', '.join(f'{t:.2f}' for t in times)}), CPU {statistics.median(r[3] for r in runs):.2f} s, "
              f"peak RSS {peak:.0f} MiB")
        if "subjects" in document:
            crews = document["crew_totals"]
            print(f"  subjects {document['subjects']}, complaints {document['complaints']}, allegations "
                  f"{document['allegations']}, concentration {document['concentration']}, "
                  f"pairs {document['coaccused_pairs']}, graph {document['graph']}")
            print(f"  crews {crews['count']} ({crews['people']} people): {crews['share_of_allegations']:.1%} of "
                  f"allegations, {crews['share_of_substantiated']:.1%} of substantiated; "
                  f"witness pairs {document['witness_pairs']}")
        else:
            print(f"  people {document['people']}, allegations {document['allegations']}, "
                  f"still open {document['still_open']}, by finding {document['by_finding']}")


if __name__ == "__main__":
    main()
