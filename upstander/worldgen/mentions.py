"""How a reporter writes down who did it: the subject mention as written, with the noise real reports carry.

Every mention records which variants were used (the truth file keeps them for the planted repeat subjects), so a
resolution method can be scored on exactly the kinds of noise it has to handle.

Two noise levels (`WorldConfig.mention_noise`). "default": the rates below. "heavy": each mention written as at the
default level, then given more slips, each independently: the given name turned into a nickname (p 0.3, where the
name has one) or misspelt (0.15), the family name misspelt (again; 0.3), a correct number mis-remembered (0.25) or
left out (0.2), the unit left out (0.2), a wrong rank (0.1). The extra slips draw from their own stream (seeded from
one draw that both levels make), so a seed gives the same world at either level and only the mentions differ.
"""

from __future__ import annotations

import random

from upstander.worldgen.ids import between, pick
from upstander.worldgen.names import OFFICER_RANK_WRITTEN, misspell, nickname, wrong_number
from upstander.worldgen.world import Person, World

MENTION_NOISE = ("default", "heavy")
NAME_STYLES = ["exact", "nickname", "misspelt_family", "misspelt_given", "initial", "family_only", "known_as",
               "unit_only"]
PUBLIC_STYLE_WEIGHTS = [0.35, 0.03, 0.10, 0.04, 0.08, 0.25, 0.0, 0.15]
INTERNAL_STYLE_WEIGHTS = [0.66, 0.10, 0.06, 0.03, 0.04, 0.06, 0.02, 0.03]


def write_mention(world: World, person: Person, rng: random.Random, *, on: int, internal: bool,
                  style: str | None = None, number_style: str | None = None) -> tuple[str, str, str, str, list[str]]:
    """(name, number, unit, rank) as written, and the list of variants used."""
    heavy_seed = rng.getrandbits(64)  # drawn at both levels, so the world does not depend on the level
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
    if world.cfg.mention_noise == "heavy":
        return _heavier(person, random.Random(heavy_seed), name, number, unit_text, rank, variants)
    return name, number, unit_text, rank, variants


def _heavier(person: Person, rng: random.Random, name: str, number: str, unit: str, rank: str,
             variants: list[str]) -> tuple[str, str, str, str, list[str]]:
    """The heavy level's extra slips on a mention written at the default level (module docstring)."""
    tokens = name.split()
    if len(tokens) >= 2 and len(tokens[0].rstrip(".")) > 1:
        nick = nickname(tokens[0], rng) if rng.random() < 0.3 else None
        if nick:
            tokens[0] = nick
            variants.append("extra_nickname")
        elif rng.random() < 0.15:
            tokens[0] = misspell(tokens[0], rng)
            variants.append("extra_misspelt_given")
    if tokens and rng.random() < 0.3:
        tokens[-1] = misspell(tokens[-1], rng)
        variants.append("extra_misspelt_family")
    if number == person.number:
        slip = rng.random()
        if slip < 0.25:
            number = wrong_number(number, rng)
            variants.append("extra_wrong_number")
        elif slip < 0.45:
            number = ""
            variants.append("extra_no_number")
    if unit and rng.random() < 0.2:
        unit = ""
        variants.append("extra_no_unit")
    if person.kind == "officer" and rng.random() < 0.1:
        rank = OFFICER_RANK_WRITTEN[rng.choice([r for r in OFFICER_RANK_WRITTEN if r != person.rank][:3])][0]
        variants.append("extra_wrong_rank")
    return " ".join(tokens), number, unit, rank, variants
