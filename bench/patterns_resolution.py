"""Subject resolution and crews on a synthetic force (issue 8), scored against the generator's truth file.

    .venv/bin/python bench/patterns_resolution.py [--staff 10000] [--years 5] [--seed 2]

1. A world from the synthetic force generator in a throwaway data dir (mentions written with the generator's noise:
   nicknames, misspellings, initials, family name only, unit only, wrong or missing numbers, wrong ranks).
2. Resolution at the generator's two noise levels (`worldgen --mention-noise default|heavy`: the same world, the
   heavy one's mentions with more slips — upstander/worldgen/mentions.py; the heavy mentions are taken from the same
   seed's world built in memory). Half the generator's confirmed links (chosen by seed) are held out with the
   generator's unresolved mentions and scored; the other half are the confirmed links the model learns m from.
   Precision = right links / links made; recall = right links / mentions scored (every one names someone in the
   roster). "linked": automatic links only. "confirmed": automatic links plus the queued suggestions a handler
   confirms (a right suggestion confirmed, a wrong one rejected); "reviewed" is the handler's queue.
   Three sets of mentions are scored: "held out" (the held-out half and the generator's unresolved mentions),
   "backlog" (the generator's unresolved mentions alone: what resolution is left with after intake, the hardest) and
   "every mention" (two-fold: each half of all mentions resolved with the other half's confirmed links as labels).
3. The planted repeat subjects' earlier, never-linked mentions: how many resolution links to the right person.
4. The planted crews: `insight patterns` on the live dataset, and whether each planted crew is inside a crew found.

Prints what it measured and the machine; results go in docs/benchmarks.md ("Patterns").
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path


def setup(data_dir: str) -> None:
    os.environ["UPSTANDER_DATA_DIR"] = data_dir
    os.environ.setdefault("UPSTANDER_FAST_HASHES", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from upstander.cli import ensure_ready

    ensure_ready()


def heavy_mentions(options, mentions):
    """The mentions as the same seed's world writes them at the heavy noise level (built in memory, not written)."""
    import uuid

    import polars as pl

    from upstander.worldgen.build import build_world
    from upstander.worldgen.config import WorldConfig

    world, _ = build_world(WorldConfig(staff=options.staff, years=options.years, seed=options.seed,
                                       mention_noise="heavy"), {}, {"force": 1, "overseer": 2, "custodians": 3})
    written = {str(uuid.UUID(row[1])): row[3:7] for row in world.rows["mention"]}
    assert set(written) == set(mentions["mention_id"]), "the heavy world should have the same mentions"
    columns = ("name", "number", "unit", "rank")
    return mentions.with_columns(
        pl.col("mention_id").replace_strict({m: w[k] for m, w in written.items()}).alias(column)
        for k, column in enumerate(columns))


def two_fold(frame, halves: dict[str, bool], half: int):
    """All mentions of one half to resolve; the other half's confirmed links are the labels, the rest set aside."""
    import polars as pl

    mine = [m for m, h in halves.items() if h == bool(half)]
    labels = frame["status"] == "confirmed"
    return frame.with_columns(
        pl.when(pl.col("mention_id").is_in(mine)).then(pl.lit("unresolved"))
        .when(labels).then(pl.col("status")).otherwise(pl.lit("set aside")).alias("status"))


def fmt(result: dict) -> str:
    parts = []
    for key in ("linked", "confirmed"):
        r = result[key]
        parts.append(f"{key}: {r['made']} made, precision {r['precision'] or 0:.3f}, recall {r['recall'] or 0:.3f}, "
                     f"F1 {r['f1'] or 0:.3f}" + (f" ({r['reviewed']} reviewed)" if "reviewed" in r else ""))
    return "; ".join(parts)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=10000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2)
    options = parser.parse_args()
    setup(tempfile.mkdtemp(prefix="upstander-bench-resolution-"))

    import polars as pl

    from upstander.insight import resolution
    from upstander.insight.datasets import load
    from upstander.insight.patterns import PatternOptions, patterns
    from upstander.people.models import Person
    from upstander.worldgen.generate import generate

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    started = time.perf_counter()
    truth = generate(options.staff, options.years, options.seed, progress=False)
    print(f"world: {options.staff} staff x {options.years} years, seed {options.seed}: "
          f"{len(truth['mentions'])} mentions ({time.perf_counter() - started:.0f} s)")

    mentions, roster, people = resolution.database_frames()
    person_of = dict(people.select("number", "person_id").iter_rows())
    true_person = {m: person_of[n] for m, n in truth["mentions"].items()}
    rng = random.Random(options.seed)
    confirmed = mentions.filter(pl.col("status") == "confirmed")["mention_id"].to_list()
    held = {m for m in confirmed if rng.random() < 0.5}
    evaluation = held | set(mentions.filter(pl.col("status") == "unresolved")["mention_id"].to_list())
    print(f"labels (confirmed links learnt from): {len(confirmed) - len(held)}; evaluated: {len(evaluation)}")

    backlog = sorted(mentions.filter(pl.col("status") == "unresolved")["mention_id"].to_list())
    halves = {m: rng.random() < 0.5 for m in mentions["mention_id"].to_list()}
    for level, written in (("default", mentions), ("heavy", heavy_mentions(options, mentions))):
        frame = written.with_columns(
            pl.when(pl.col("mention_id").is_in(list(held))).then(pl.lit("unresolved")).otherwise(pl.col("status"))
            .alias("status"))
        started = time.perf_counter()
        decisions = resolution.resolve_frames(frame, roster)
        seconds = time.perf_counter() - started
        for name, ids in (("held out", sorted(evaluation)), ("backlog", backlog)):
            result = resolution.evaluate(decisions, true_person, ids)
            print(f"noise {level}, {name} ({len(ids)}): {fmt(result)}; decisions {result['decisions']}, "
                  f"no candidate {result['no_candidate']} ({seconds:.1f} s)")
            print("  " + json.dumps({"level": level, "set": name, **result}, default=str))
        everything = pl.concat([resolution.resolve_frames(two_fold(written, halves, half), roster) for half in (0, 1)])
        result = resolution.evaluate(everything, true_person, sorted(halves))
        print(f"noise {level}, every mention ({len(halves)}): {fmt(result)}; decisions {result['decisions']}, "
              f"no candidate {result['no_candidate']}")
        print("  " + json.dumps({"level": level, "set": "every mention", **result}, default=str))
        if level == "default":
            earlier = [m["mention"] for s in truth["repeat_subjects"] for m in s["mentions"] if not m["linked"]]
            repeat = resolution.evaluate(decisions, true_person, earlier)
            print(f"  planted repeat subjects' earlier mentions ({len(earlier)}): {fmt(repeat)}")

    found = patterns(load("live"), PatternOptions())
    number_of = {}  # the live dataset's person ids are opaque: accept any spelling of a person's key
    for number, pk, public_id in Person.objects.values_list("number", "pk", "public_id"):
        number_of.update({str(pk): number, public_id.hex: number, str(public_id): number})
    crews = [{number_of.get(p, p) for p in c["members"]} for c in found["crews"]]
    for planted in truth["crews"]:
        members = set(planted["members"])
        best = max(crews, key=lambda c: len(c & members) / len(c | members), default=set())
        print(f"  planted crew of {len(members)} ({len(planted['cases'])} cases): "
              f"{'found' if members <= best else 'not found'}, best crew {len(best)} people, "
              f"Jaccard {len(best & members) / len(best | members) if best else 0:.2f}")
    print(json.dumps({"crews_found": found["crew_totals"]["count"], "coaccused_pairs": found["coaccused_pairs"]}))


if __name__ == "__main__":
    main()
