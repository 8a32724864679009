"""Early warning on the Chicago CPDP data (issue 8): `upstander insight early-warning --json` at several cut-offs,
each timed as the median of --runs runs with its peak resident memory, and the comparison of the model with every
threshold rule at the same number of people flagged, printed as Markdown tables for docs/benchmarks.md.

    .venv/bin/python bench/early_warning_chicago.py [--cutoffs 2008 2010 2012 2014] [--horizon 2]
                                                    [--outcome substantiated] [--runs 3]

The data (../shared/data/chicago-cpdp-2019) is imported once into a throwaway data dir with the real importer.
Exits with status 1 if, at any cut-off, the model flagging as many people as a rule finds fewer true positives.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from patterns_chicago import ROOT, machine, run  # noqa: E402  (bench/ is not a package)


def table(document: dict) -> list[str]:
    lines = ["| rule | flagged | rule TP | rule FP | model TP | model FP | rule precision | model precision |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for rule in document["rules"]:
        model = rule["model_at_same_flagged"]
        lines.append(
            f"| {rule['name']} | {rule['flagged']} | {rule['true_positives']} | {rule['false_positives']} | "
            f"{model['true_positives']} | {model['false_positives']} | {_pct(rule['precision'])} | "
            f"{_pct(model['precision'])} |")
    return lines


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cutoffs", type=int, nargs="+", default=[2008, 2010, 2012, 2014])
    parser.add_argument("--horizon", type=int, default=2)
    parser.add_argument("--outcome", choices=["substantiated", "any"], default="substantiated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "chicago-cpdp-2019"))
    options = parser.parse_args()

    env = dict(os.environ, UPSTANDER_DATA_DIR=tempfile.mkdtemp(prefix="upstander-bench-ew-"))
    run(["insight", "import", "cpdp", options.data, "--name", "chicago"], env)
    print(f"machine: {machine()}")
    failures = []
    for cutoff in options.cutoffs:
        args = ["insight", "early-warning", "--dataset", "chicago", "--train-to", str(cutoff),
                "--horizon", str(options.horizon), "--outcome", options.outcome, "--json"]
        runs = [run(args, env) for _ in range(options.runs)]
        document = json.loads(runs[-1][2])
        times = [r[0] for r in runs]
        print(f"\n### Cut-off {document['cutoff']}, horizon {document['horizon']} years, outcome {document['outcome']}\n")
        print(f"`{' '.join(['upstander', *args])}`: median {statistics.median(times):.1f} s of {options.runs} "
              f"({', '.join(f'{t:.1f}' for t in times)}), CPU {statistics.median(r[3] for r in runs):.1f} s, "
              f"peak RSS {max(r[1] for r in runs):.0f} MiB\n")
        model = document["model"]
        print(f"population {document['population']}, positives {document['positives']}, model AUC "
              f"{model['auc']:.3f}, trained on {model['train_rows']} person-years "
              f"({model['train_positives']} positive) at {', '.join(model['train_snapshots'])}\n")
        print("\n".join(table(document)))
        failures += [f"{cutoff}: {r['name']}" for r in document["rules"]
                     if r["model_at_same_flagged"]["true_positives"] < r["true_positives"]]
    print()
    print("model >= every rule at every cut-off" if not failures else f"model below a rule: {failures}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
