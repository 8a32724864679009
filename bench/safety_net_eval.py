"""Precision, recall and F1 of the narrative safety net, per flag, on the labelled narratives kept with the tests.

    .venv/bin/python bench/safety_net_eval.py             # the table, per split and overall, and a retyped copy
    .venv/bin/python bench/safety_net_eval.py --errors    # also every misread narrative, with the rules that fired
    .venv/bin/python bench/safety_net_eval.py --forward   # serious sexual offence on each split before it was used

The set (upstander/cases/tests/data/narratives.tsv) has splits written one after another: `dev`, used to build the
rules, then `holdout1`, `holdout2`, ... each scored once before anything was changed for it. The per-split table shows
the system as it is now, which has learned from every split; `--forward` gives the honest figure: for each held-out
split, the rules as they were in git just before that split was written (RULES_BEFORE) OR the learned backstop
trained on the earlier splits only (needs git and scikit-learn). Prints the machine and the throughput, since the
command runs in the intake path.

Recorded (serious_sexual_offence, precision / recall; 2 CPUs, Python 3.11.7; docs/safety-net.md has the full tables):
  forward chaining, pooled over holdout1-7 (886 narratives, 421 positive): rules alone 0.913 / 0.869,
      backstop alone 0.893 / 0.914, rules OR backstop 0.848 / 0.981
  holdout5 untouched (rules of 3b14c84): 0.863 / 0.818; with the forward backstop 0.831 / 0.961; after fixes 0.951 / 1.000
  holdout6, scored once with the system of cefdc6e: 0.841 / 1.000
  holdout7, scored once with the system as shipped: 0.907 / 1.000
  the whole set now: 0.986 / 1.000; throughput 850-1,750 narratives/s"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from upstander.cases.safety_net import FLAGS, backstop_probability, explain, flags_for  # noqa: E402
from upstander.cases.safety_net_data import backstop  # noqa: E402

DATA = ROOT / "upstander" / "cases" / "tests" / "data" / "narratives.tsv"
SSO = "serious_sexual_offence"
# The commit whose rules were in force when each held-out split was written (scored before any change for it).
RULES_BEFORE = {"holdout1": "014ecda", "holdout2": "db76db5", "holdout3": "3e1427d", "holdout4": "dbd6de0",
                "holdout5": "3b14c84", "holdout6": "cefdc6e", "holdout7": "b67ea24"}


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


# --- forward chaining -----------------------------------------------------------------------------------------------

_OLD_RULES = """import json, sys
sys.path.insert(0, sys.argv[1])
import upstander.cases.safety_net as engine
engine._backstop = lambda *args: None  # the rules alone, in commits that have a backstop
from upstander.cases.safety_net import flags_for
print(json.dumps(["serious_sexual_offence" in flags_for(line) for line in json.load(sys.stdin)]))"""


def rules_of(commit: str, texts: list[str]) -> list[bool]:
    """What the rules as committed in `commit` said about each text (run from a scratch copy, in a subprocess)."""
    with tempfile.TemporaryDirectory() as scratch:
        paths = ["upstander/__init__.py", "upstander/cases/__init__.py", "upstander/cases/safety_net.py",
                 "upstander/cases/safety_net_data"]
        archive = subprocess.run(["git", "archive", commit, *paths], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", scratch], input=archive.stdout, check=True)
        out = subprocess.run([sys.executable, "-c", _OLD_RULES, scratch], input=json.dumps(texts), text=True,
                             capture_output=True, check=True, cwd=scratch)
    return json.loads(out.stdout)


def forward(rows: list[dict]) -> None:
    from upstander.cases.safety_net_data.train_backstop import train  # noqa: PLC0415 - needs scikit-learn

    splits = list(dict.fromkeys(r["split"] for r in rows))
    print(f"\nforward chaining, {SSO}: each split scored by the rules as they were before it was written, and by the "
          f"backstop trained on the earlier splits (threshold {backstop.THRESHOLD})")
    print(f"{'split':<10}{'n':>5}{'pos':>5}{'rules P':>9}{'R':>7}{'model P':>9}{'R':>7}{'either P':>10}{'R':>7}"
          f"{'fp':>5}{'fn':>5}")
    pooled: dict[str, list[int]] = {"rules": [0, 0, 0], "model": [0, 0, 0], "either": [0, 0, 0]}
    misses = []
    readings: list[tuple[bool, bool, float]] = []  # truth, rules, backstop probability: for the threshold sweep
    for k, split in enumerate(splits):
        if split not in RULES_BEFORE:
            continue
        earlier = [r for r in rows if r["split"] in splits[:k]]
        test = [r for r in rows if r["split"] == split]
        model = backstop.from_dict(train([r["text"] for r in earlier], [SSO in r["labels"] for r in earlier]))
        by_rules = rules_of(RULES_BEFORE[split], [r["text"] for r in test])
        probabilities = [backstop_probability(r["text"], model) for r in test]
        by_model = [p >= backstop.THRESHOLD for p in probabilities]
        truth = [SSO in r["labels"] for r in test]
        readings += zip(truth, by_rules, probabilities, strict=True)
        line = f"{split:<10}{len(test):>5}{sum(truth):>5}"
        for name, said in (("rules", by_rules), ("model", by_model),
                           ("either", [a or b for a, b in zip(by_rules, by_model, strict=True)])):
            tp = sum(s and t for s, t in zip(said, truth, strict=True))
            fp = sum(s and not t for s, t in zip(said, truth, strict=True))
            fn = sum(t and not s for s, t in zip(said, truth, strict=True))
            pooled[name] = [a + b for a, b in zip(pooled[name], (tp, fp, fn), strict=True)]
            line += f"{tp / max(1, tp + fp):>9.3f}{tp / max(1, tp + fn):>7.3f}" if name != "either" else \
                f"{tp / max(1, tp + fp):>10.3f}{tp / max(1, tp + fn):>7.3f}{fp:>5}{fn:>5}"
        print(line)
        misses += [(split, r["text"]) for r, a, b, t in zip(test, by_rules, by_model, truth, strict=True)
                   if t and not (a or b)]
    line = f"{'pooled':<10}{'':>5}{'':>5}"
    for name, (tp, fp, fn) in pooled.items():
        line += f"{tp / max(1, tp + fp):>9.3f}{tp / max(1, tp + fn):>7.3f}" if name != "either" else \
            f"{tp / max(1, tp + fp):>10.3f}{tp / max(1, tp + fn):>7.3f}{fp:>5}{fn:>5}"
    print(line)
    print("missed by both:", *(f"  [{s}] {t}" for s, t in misses), sep="\n")
    # Our splits are about half positive and their negatives are near misses; precision falls where positives are
    # rarer. "P at 30%" re-weights the measured recall and false-positive rate to a set 30% positive.
    print("\npooled, rules OR backstop, by threshold:")
    positives = sum(t for t, _, _ in readings)
    negatives = len(readings) - positives
    for threshold in (0.4, 0.5, 0.6, 0.7):
        said = [(t, r or p >= threshold) for t, r, p in readings]
        tp = sum(t and f for t, f in said)
        fp = sum(f and not t for t, f in said)
        recall, fpr = tp / positives, fp / negatives
        print(f"  {threshold:.1f}: precision {tp / (tp + fp):.3f}, recall {recall:.3f}, false positives {fpr:.1%} of "
              f"negatives, P at 30% positive {0.3 * recall / (0.3 * recall + 0.7 * fpr):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--forward", action="store_true", help="forward chaining over the held-out splits")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    rows = load(args.data)
    backstop.load()  # a one-off ~0.1 s, not counted per narrative
    started = time.perf_counter()
    predictions = [set(flags_for(r["text"])) for r in rows]
    elapsed = time.perf_counter() - started

    print(f"machine: {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} cpus")
    print(f"data: {args.data.relative_to(ROOT) if args.data.is_relative_to(ROOT) else args.data}")
    print(f"throughput: {len(rows) / elapsed:.0f} narratives/s ({1000 * elapsed / len(rows):.2f} ms each)")
    for split in dict.fromkeys(r["split"] for r in rows):
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
    if args.forward:
        forward(rows)


if __name__ == "__main__":
    main()
