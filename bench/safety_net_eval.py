"""Precision, recall and F1 of the narrative safety net, per flag, on the labelled narratives kept with the tests.

    .venv/bin/python bench/safety_net_eval.py            # the table, per split and overall
    .venv/bin/python bench/safety_net_eval.py --errors   # also every misread narrative, with the rules that fired

The set (upstander/cases/tests/data/narratives.tsv) has two splits: `dev`, written first and used to build the rules,
and `holdout`, written afterwards and scored before any rule was changed for it (docs/safety-net.md gives both
figures). Prints the machine it ran on and the throughput, since the command runs in the intake path."""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from upstander.cases.safety_net import FLAGS, explain, flags_for  # noqa: E402

DATA = ROOT / "upstander" / "cases" / "tests" / "data" / "narratives.tsv"


def load(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{"split": r["split"], "text": r["text"], "labels": {f for f in FLAGS if r[f] == "1"}} for r in rows]


def scores(rows: list[dict], predictions: list[set[str]]) -> dict[str, dict[str, float]]:
    table = {}
    for flag in FLAGS:
        tp = sum(1 for r, p in zip(rows, predictions, strict=True) if flag in r["labels"] and flag in p)
        fp = sum(1 for r, p in zip(rows, predictions, strict=True) if flag not in r["labels"] and flag in p)
        fn = sum(1 for r, p in zip(rows, predictions, strict=True) if flag in r["labels"] and flag not in p)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[flag] = {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1,
                       "support": tp + fn}
    return table


def noisy(text: str, rng: random.Random) -> str:
    """A sloppier copy: lower case, no full stops or apostrophes, and one letter swapped, dropped or doubled in
    every third word of five letters or more, as typed in a hurry on a phone."""
    text = text.lower().replace("'", "").replace(".", "")
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) >= 5 and word.isalpha() and rng.random() < 1 / 3:
            j = rng.randrange(1, len(word) - 1)
            edit = rng.choice(("swap", "drop", "double"))
            if edit == "swap":
                word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
            elif edit == "drop":
                word = word[:j] + word[j + 1:]
            else:
                word = word[:j] + word[j] + word[j:]
            words[i] = word
    return re.sub(r"\s+", " ", " ".join(words))


def print_table(title: str, table: dict[str, dict[str, float]], n: int) -> None:
    print(f"\n{title} ({n} narratives)")
    print(f"{'flag':<24}{'support':>8}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}{'f1':>7}")
    for flag, s in table.items():
        print(f"{flag:<24}{s['support']:>8}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>11.3f}"
              f"{s['recall']:>8.3f}{s['f1']:>7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    rows = load(args.data)
    started = time.perf_counter()
    predictions = [set(flags_for(r["text"])) for r in rows]
    elapsed = time.perf_counter() - started

    print(f"machine: {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} cpus")
    print(f"data: {args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data}")
    print(f"throughput: {len(rows) / elapsed:.0f} narratives/s ({1000 * elapsed / len(rows):.2f} ms each)")
    for split in sorted({r["split"] for r in rows}):
        chosen = [i for i, r in enumerate(rows) if r["split"] == split]
        print_table(f"split {split}", scores([rows[i] for i in chosen], [predictions[i] for i in chosen]), len(chosen))
    print_table("all", scores(rows, predictions), len(rows))

    # Robustness: the same narratives retyped carelessly (seeded, so the figures repeat).
    rng = random.Random(20261123)
    sloppy = [{**r, "text": noisy(r["text"], rng)} for r in rows]
    print_table("all, retyped with typos and no punctuation", scores(sloppy, [set(flags_for(r["text"])) for r in sloppy]),
                len(sloppy))

    if args.errors:
        print("\nmisread narratives (split, missed -, extra +, text, rules that fired):")
        for r, p in zip(rows, predictions, strict=True):
            missed, extra = r["labels"] - p, p - r["labels"]
            if missed or extra:
                fired = "; ".join(f"{h.flag}:{h.rule}[{h.words}]" for h in explain(r["text"]))
                marks = " ".join([*(f"-{f}" for f in sorted(missed)), *(f"+{f}" for f in sorted(extra))])
                print(f"[{r['split']}] {marks} | {r['text']} | {fired}")


if __name__ == "__main__":
    main()
