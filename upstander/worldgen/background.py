"""The ordinary history of complaints and internal reports, drawn per person from their time in the force.

Counts are Poisson in each person's exposure (days employed inside the window), so rates are per head per year.
The planted relative rate lives here: internally raised allegations that enter the misconduct system (assessed as
misconduct or gross misconduct) are drawn for Black officers at `relative_rate` times the White officers' rate.
Every other group keeps the baseline, so the planted contrast is exactly Black vs White.

Other allegations that count towards the same rate (a colleague named alongside, a minor report that meets the
referral criteria, the planted cases) fall on every group alike, which pulls the ratio towards 1. top_up_rate()
restores it in expectation: from those allegations' pooled rate, never from the Black or White counts themselves,
it draws the missing expectation for one side — Black officers when the ratio is above 1, everyone else when it is
below, nobody when it is exactly 1 (so a null world is exactly null, whatever the seed).
"""

from __future__ import annotations

from upstander.worldgen import config as c
from upstander.worldgen.cases import Built, CaseBuilder, Plan, Subject
from upstander.worldgen.history import YEAR, _poisson
from upstander.worldgen.ids import between, stream
from upstander.worldgen.world import Person, World

RANK_PUBLIC = [1.0, 0.8, 0.4, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05]
UNIT_PUBLIC = {"bcu": 1.4, "specialist": 0.9, "operations": 0.9, "psu": 0.1, "exec": 0.1}
GROSS_CATEGORIES = ["sexual_misconduct", "corruption", "violence", "other_crime", "abuse_of_position_sexual"]


def exposure(world: World, p: Person) -> tuple[int, int]:
    cfg = world.cfg
    begin = max(p.joined, cfg.start)
    end = min(p.left if p.left is not None else cfg.end + 1, cfg.end + 1)
    return begin, end


def background_cases(world: World, builder: CaseBuilder, tick=None) -> None:
    cfg = world.cfg
    rng = stream(cfg.seed, "background")
    for n, p in enumerate(world.people):
        if tick is not None and n % 1000 == 0:
            tick(min(1000, len(world.people) - n))
        begin, end = exposure(world, p)
        if end <= begin:
            continue
        years = (end - begin) / YEAR
        unit_kind = world.unit_by_id[p.unit].kind
        draws: list[tuple[str, int]] = []
        if p.kind == "officer":
            public_rate = c.RATES["public_complaint"] * RANK_PUBLIC[p.level] * UNIT_PUBLIC[unit_kind]
            draws.append(("public", _poisson(rng, public_rate * years)))
            factor = cfg.relative_rate if p.group == "Black" else 1.0
            misconduct = _poisson(rng, c.RATES["internal_misconduct"] * factor * years)
            draws.append(("misconduct", misconduct))
        else:
            draws.append(("public", _poisson(rng, 0.005 * years)))
            draws.append(("staff", _poisson(rng, c.RATES["staff_internal"] * years)))
        draws.append(("minor", _poisson(rng, c.RATES["internal_minor"] * years)))
        for kind, count in draws:
            for _ in range(count):
                built = _one(world, builder, rng, p, kind, between(rng, begin, end))
                if kind == "misconduct":
                    world.misconduct_draws[0] += 1
                    world.misconduct_draws[1] += "assessed" in built.stages
        if p.leaving_reason == "dismissed":
            _dismissal(world, builder, rng, p)


def _one(world: World, builder: CaseBuilder, rng, p: Person, kind: str, day: int, *, alone: bool = False) -> Built:
    internal = kind != "public"
    subjects = [Subject(p)]
    if not alone and p.kind == "officer" and kind in ("public", "misconduct") and rng.random() < 0.12:
        mates = builder.teammates(p, day, kind="officer")
        if mates:
            subjects.append(Subject(mates[between(rng, 0, len(mates))]))
    reporter = None
    if internal:
        mates = builder.teammates(p, day)
        mates = [m for m in mates if all(m.id != s.person.id for s in subjects)]
        reporter = builder.pick_reporter(rng, mates, day)
    severity = None
    if kind == "misconduct":
        severity = "gross_misconduct" if rng.random() < 0.2 else "misconduct"
    elif kind == "minor":
        severity = "no_case" if rng.random() < 0.5 else "pri"
    category = builder._category(internal)
    plan = Plan(received=day, internal=internal, category=category, subjects=subjects, reporter=reporter,
                severity=severity, mode=None if reporter is not None or not internal else "anonymous")
    return builder.add(plan)


def _dismissal(world: World, builder: CaseBuilder, rng, p: Person) -> None:
    """A leaver whose reason is dismissal was dismissed at a hearing on the day they left."""
    left = p.left or world.cfg.end
    received = max(left - between(rng, 200, 500), p.joined + 30)
    if left - received < 60:
        received = left - 60
    internal = rng.random() < 0.5
    reporter = None
    if internal:
        reporter = builder.pick_reporter(rng, builder.teammates(p, received), received)
    plan = Plan(received=received, internal=internal, category=GROSS_CATEGORIES[between(rng, 0, len(GROSS_CATEGORIES))],
                subjects=[Subject(p)], reporter=reporter, severity="gross_misconduct", case_to_answer=True,
                finding="substantiated", outcome="dismissal", outcome_on=left,
                mode=None if reporter is not None or not internal else "anonymous")
    builder.add(plan)


MISCONDUCT = ("misconduct", "gross_misconduct")


def internal_misconduct_counts(world: World) -> dict[str, tuple[int, float]]:
    """Black and White officers: (internally raised allegations assessed as misconduct, officer-years in the
    window). One count per subject per case, whoever the allegation was later linked to."""
    counts = {"Black": 0, "White": 0}
    years = {"Black": 0.0, "White": 0.0}
    for pid, _day, severity, internal in world.allegation_log:
        p = world.by_id[pid]
        if internal and severity in MISCONDUCT and p.kind == "officer" and p.group in counts:
            counts[p.group] += 1
    for p in world.people:
        if p.kind == "officer" and p.group in years:
            begin, end = exposure(world, p)
            years[p.group] += max(0, end - begin) / YEAR
    return {g: (counts[g], years[g]) for g in counts}


def top_up_rate(world: World, builder: CaseBuilder) -> None:
    """Restore the planted ratio in expectation after the planted cases, from one side only.

    Counted allegations are of two kinds: the background draws above (rate `relative_rate`·λ for Black officers, λ
    for the rest, of which a share f is assessed by the end date) and everything else (rate π, the same for every
    group). So Black officers' expected rate is rλf + π and the others' λf + π. Adding (r − 1)π to Black officers
    (r > 1), or π(1 − r)/r to everyone else (r < 1), makes the ratio exactly r. π and f are estimated on all
    officers pooled, and only from the "everything else" allegations and the background draws, so the top-up never
    reacts to how the Black and White counts happened to fall."""
    cfg = world.cfg
    r = cfg.relative_rate
    drawn, assessed = world.misconduct_draws
    other, officer_years = _other_allegations(world)
    pi = other / officer_years if officer_years else 0.0
    share = assessed / drawn if drawn else 0.0
    record: dict[str, float | int | str | None] = {
        "other_per_officer_year": round(pi, 6), "assessed_share": round(share, 4), "group": None,
        "rate_per_officer_year": 0.0, "allegations": 0}
    top_ups = 0
    world.truth["rate_top_up"] = record
    if r == 1.0 or pi == 0 or share == 0:
        return
    if r > 1:
        extra, wanted = (r - 1) * pi, lambda p: p.group == "Black"
        record["group"] = "Black"
    else:
        extra, wanted = pi * (1 - r) / r, lambda p: p.group != "Black"
        record["group"] = "every group but Black"
    per_year = extra / share  # drawn like the background, of which only a share is assessed by the end date
    record["rate_per_officer_year"] = round(per_year, 6)
    rng = stream(cfg.seed, "rate-top-up")
    for p in world.people:
        if p.kind != "officer" or not wanted(p):
            continue
        begin, end = exposure(world, p)
        if end <= begin:
            continue
        for _ in range(_poisson(rng, per_year * (end - begin) / YEAR)):
            # Alone: a colleague named alongside would add to the "everything else" rate of every group.
            _one(world, builder, rng, p, "misconduct", between(rng, begin, end), alone=True)
            top_ups += 1
    record["allegations"] = top_ups


def _other_allegations(world: World) -> tuple[int, float]:
    """Counted allegations against officers of any group that are not the background draws, and officer-years."""
    counted = sum(1 for pid, _day, severity, internal in world.allegation_log
                  if internal and severity in MISCONDUCT and world.by_id[pid].kind == "officer")
    years = 0.0
    for p in world.people:
        if p.kind == "officer":
            begin, end = exposure(world, p)
            years += max(0, end - begin) / YEAR
    return counted - world.misconduct_draws[1], years
