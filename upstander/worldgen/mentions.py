"""How a reporter writes down who did it: the subject mention as written, with the noise real reports carry.

Every mention records which variants were used (the truth file keeps them for the planted repeat subjects), so a
resolution method can be scored on exactly the kinds of noise it has to handle.
"""

from __future__ import annotations

import random

from upstander.worldgen.ids import between, pick
from upstander.worldgen.names import OFFICER_RANK_WRITTEN, misspell, nickname, wrong_number
from upstander.worldgen.world import Person, World

NAME_STYLES = ["exact", "nickname", "misspelt_family", "misspelt_given", "initial", "family_only", "known_as",
               "unit_only"]
PUBLIC_STYLE_WEIGHTS = [0.35, 0.03, 0.10, 0.04, 0.08, 0.25, 0.0, 0.15]
INTERNAL_STYLE_WEIGHTS = [0.66, 0.10, 0.06, 0.03, 0.04, 0.06, 0.02, 0.03]


def write_mention(world: World, person: Person, rng: random.Random, *, on: int, internal: bool,
                  style: str | None = None, number_style: str | None = None) -> tuple[str, str, str, str, list[str]]:
    """(name, number, unit, rank) as written, and the list of variants used."""
    if style is None:
        style = pick(rng, NAME_STYLES, INTERNAL_STYLE_WEIGHTS if internal else PUBLIC_STYLE_WEIGHTS)
    variants = [style]
    given, family = person.given, person.family
    if style == "nickname":
        nick = nickname(given, rng)
        if nick:
            given = nick
        else:
            style = variants[0] = "misspelt_given"
    if style == "known_as":
        if person.known_as:
            given = person.known_as
        else:
            style = variants[0] = "exact"
    if style == "misspelt_family":
        family = misspell(family, rng)
    elif style == "misspelt_given":
        given = misspell(given, rng)
    if style in ("exact", "nickname", "misspelt_family", "misspelt_given", "known_as"):
        name = f"{given} {family}"
    elif style == "initial":
        name = f"{given[0]}. {family}"
    elif style == "family_only":
        name = family
    else:  # unit_only: "an officer from …"
        name = ""

    if number_style is None:
        has_number = rng.random() < (0.35 if internal else 0.45) or style == "unit_only" and rng.random() < 0.3
        number_style = ("wrong_number" if rng.random() < 0.12 else "number") if has_number else "no_number"
    variants.append(number_style)
    number = {"number": person.number, "wrong_number": wrong_number(person.number, rng)}.get(number_style, "")

    if person.kind == "officer":
        options = OFFICER_RANK_WRITTEN[person.rank]
        rank = options[between(rng, 0, len(options))]
        if rng.random() < 0.06:
            variants.append("wrong_rank")
            others = [r for r in OFFICER_RANK_WRITTEN if r != person.rank][:3]
            rank = OFFICER_RANK_WRITTEN[rng.choice(others)][0]
    else:
        rank = "" if rng.random() < 0.7 else "staff"
    if style == "unit_only" or rng.random() < (0.4 if internal else 0.5):
        unit = world.unit_by_id[person.unit_on(on) or person.unit]
        team = world.team_by_id[person.team_on(on) or person.team]
        unit_text = unit.name if rng.random() < 0.6 else f"{team.name}, {unit.name.replace(' BCU', '')}"
    else:
        unit_text = ""
    return name, number, unit_text, rank, variants
