"""Invented names, and the ways reporters get them wrong (the noise that subject resolution has to see through).

Names come from `data/names.tsv`: several hundred given names and a few thousand family names of the UK's
communities, each with a frequency, drawn by the person's broad 2021-census group through a mix of origins (a White
officer is most often of British, then Irish, Polish, Italian … heritage). Common names are common and most are
rare, as in a real force: two people sharing a full name happens, but far less often than in a short list. Short
forms and nicknames (`people/data/nicknames.tsv`) are shared with subject resolution.
"""

from __future__ import annotations

import random
from bisect import bisect
from functools import cache
from itertools import accumulate
from pathlib import Path

from upstander.people.names import nickname_table

DATA = Path(__file__).resolve().parent / "data"

# Origins of names within each census group, as shares of the group (round figures for a London workforce).
ORIGINS = {
    "white": {"british": 0.80, "irish": 0.04, "polish": 0.045, "italian": 0.03, "portuguese": 0.02, "romanian": 0.02,
              "greek": 0.02, "turkish": 0.015, "latin": 0.01},
    "asian": {"indian": 0.40, "pakistani": 0.22, "bangladeshi": 0.17, "chinese": 0.09, "other_asian": 0.12},
    "black": {"caribbean": 0.40, "nigerian": 0.27, "ghanaian": 0.13, "somali": 0.12, "east_african": 0.08},
    "other": {"arab": 0.35, "turkish": 0.15, "iranian": 0.20, "latin": 0.20, "other_asian": 0.10},
}


@cache
def _table() -> dict[tuple[str, str], tuple[list[str], list[float]]]:
    """(origin, kind) -> (names, cumulative weights)."""
    raw: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for line in (DATA / "names.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            origin, kind, name, weight = line.split("\t")
            raw.setdefault((origin, kind), []).append((name, float(weight)))
    return {key: ([n for n, _ in rows], list(accumulate(w for _, w in rows))) for key, rows in raw.items()}


@cache
def _origins(group: str) -> tuple[list[str], list[float]]:
    mix = ORIGINS.get(group, ORIGINS["white"])
    return list(mix), list(accumulate(mix.values()))


def _draw(rng: random.Random, names: list[str], cumulative: list[float]) -> str:
    return names[min(bisect(cumulative, rng.random() * cumulative[-1]), len(names) - 1)]


OFFICER_RANK_WRITTEN = {
    "Constable": ["PC", "DC", "Constable", "Officer", "PC"], "Sergeant": ["PS", "DS", "Sergeant", "Sarge", "Sgt"],
    "Inspector": ["Inspector", "DI", "Insp"], "Chief Inspector": ["Chief Inspector", "DCI", "CI"],
    "Superintendent": ["Superintendent", "Supt"], "Chief Superintendent": ["Chief Superintendent", "Ch Supt"],
    "Commander": ["Commander"], "Deputy Assistant Commissioner": ["DAC"], "Assistant Commissioner": ["AC"],
}

_PHONETIC = [("ph", "f"), ("f", "ph"), ("ck", "k"), ("k", "ck"), ("ie", "y"), ("y", "ie"), ("ei", "ie"),
             ("ou", "ow"), ("ll", "l"), ("l", "ll"), ("tt", "t"), ("s", "z"), ("c", "k"), ("ee", "ea"),
             ("Mc", "Mac"), ("Mac", "Mc"), ("son", "sen"), ("th", "t"), ("ai", "ay"), ("i", "y")]


def misspell(name: str, rng: random.Random) -> str:
    """One realistic slip: a phonetic spelling, a dropped, doubled or swapped letter. Never returns `name`."""
    for _ in range(8):
        choice = rng.random()
        candidate = name
        if choice < 0.4:
            options = [(a, b) for a, b in _PHONETIC if a in name]
            if options:
                a, b = options[rng.randrange(len(options))]
                at = name.find(a)
                candidate = name[:at] + b + name[at + len(a):]
        elif choice < 0.6 and len(name) > 3:
            i = rng.randrange(1, len(name) - 1)
            candidate = name[:i] + name[i + 1:]
        elif choice < 0.8:
            i = rng.randrange(1, len(name))
            candidate = name[:i] + name[i] + name[i:]
        elif len(name) > 3:
            i = rng.randrange(1, len(name) - 2)
            candidate = name[:i] + name[i + 1] + name[i] + name[i + 2:]
        if candidate != name and candidate.strip():
            return candidate
    return name + "e"


def nickname(given: str, rng: random.Random) -> str | None:
    options = nickname_table().get(given)
    return options[rng.randrange(len(options))] if options else None


def wrong_number(number: str, rng: random.Random) -> str:
    """A mis-remembered warrant or staff number: two digits swapped, one digit wrong, or one dropped."""
    prefix = "".join(ch for ch in number if not ch.isdigit())
    digits = list(number[len(prefix):])
    for _ in range(8):
        work = digits[:]
        choice = rng.random()
        if choice < 0.4:
            i = rng.randrange(len(work) - 1)
            work[i], work[i + 1] = work[i + 1], work[i]
        elif choice < 0.8:
            i = rng.randrange(len(work))
            work[i] = str((int(work[i]) + rng.randrange(1, 10)) % 10)
        else:
            del work[rng.randrange(len(work))]
        candidate = prefix + "".join(work)
        if candidate != number:
            return candidate
    return prefix + "".join(digits[::-1])


def pick_name(rng: random.Random, group: str, sex: str) -> tuple[str, str]:
    """A (given, family) pair for a census group and sex; both names from one origin of the group, except that mixed
    heritage draws the given name from one group and the family name from another."""
    sex_key = "given_female" if sex == "female" else "given_male"
    table = _table()
    if group == "mixed":
        given_origin = _draw(rng, *_origins(rng.choice(["white", "black", "asian"])))
        family_origin = _draw(rng, *_origins(rng.choice(["white", "black"])))
    else:
        given_origin = family_origin = _draw(rng, *_origins(group))
    return _draw(rng, *table[(given_origin, sex_key)]), _draw(rng, *table[(family_origin, "family")])
