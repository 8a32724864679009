"""The ordinary history of complaints and internal reports, drawn per person from their time in the force.

Counts are Poisson in each person's exposure (days employed inside the window), so rates are per head per year.
The one planted difference lives here: internally raised allegations that enter the misconduct system (assessed as
misconduct or gross misconduct) are drawn for Black officers at `relative_rate` times the White officers' rate.
Every other group keeps the baseline, so the planted contrast is exactly Black vs White.
"""

from __future__ import annotations

from upstander.worldgen import config as c
from upstander.worldgen.cases import CaseBuilder, Plan, Subject
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
            draws.append(("misconduct", _poisson(rng, c.RATES["internal_misconduct"] * factor * years)))
        else:
            draws.append(("public", _poisson(rng, 0.005 * years)))
            draws.append(("staff", _poisson(rng, c.RATES["staff_internal"] * years)))
        draws.append(("minor", _poisson(rng, c.RATES["internal_minor"] * years)))
        for kind, count in draws:
            for _ in range(count):
                _one(world, builder, rng, p, kind, between(rng, begin, end))
        if p.leaving_reason == "dismissed":
            _dismissal(world, builder, rng, p)


def _one(world: World, builder: CaseBuilder, rng, p: Person, kind: str, day: int) -> None:
    internal = kind != "public"
    subjects = [Subject(p)]
    if p.kind == "officer" and kind in ("public", "misconduct") and rng.random() < 0.12:
        mates = builder.teammates(p, day, kind="officer")
        if mates:
            subjects.append(Subject(mates[between(rng, 0, len(mates))]))
    reporter = None
    if internal:
        mates = builder.teammates(p, day)
        mates = [m for m in mates if all(m.id != s.person.id for s in subjects)]
        if mates:
            reporter = mates[between(rng, 0, len(mates))]
    severity = None
    if kind == "misconduct":
        severity = "gross_misconduct" if rng.random() < 0.2 else "misconduct"
    elif kind == "minor":
        severity = "no_case" if rng.random() < 0.5 else "pri"
    category = builder._category(internal)
    plan = Plan(received=day, internal=internal, category=category, subjects=subjects, reporter=reporter,
                severity=severity, mode=None if reporter is not None or not internal else "anonymous")
    builder.add(plan)


def _dismissal(world: World, builder: CaseBuilder, rng, p: Person) -> None:
    """A leaver whose reason is dismissal was dismissed at a hearing on the day they left."""
    left = p.left or world.cfg.end
    received = max(left - between(rng, 200, 500), p.joined + 30)
    if left - received < 60:
        received = left - 60
    internal = rng.random() < 0.5
    reporter = None
    if internal:
        mates = builder.teammates(p, received)
        reporter = mates[between(rng, 0, len(mates))] if mates else None
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
    """Planted cases (counter-allegations, crews, dismissals …) add internal misconduct allegations to every group
    alike, which would dilute the planted ratio. Restore it in expectation with extra allegations against Black
    officers, drawn like the background ones."""
    cfg = world.cfg
    rng = stream(cfg.seed, "rate-top-up")
    stats = internal_misconduct_counts(world)
    (black, black_years), (white, white_years) = stats["Black"], stats["White"]
    if black_years <= 0 or white_years <= 0:
        return
    missing = cfg.relative_rate * (white / white_years) * black_years - black
    if missing <= 0:
        return
    per_year = missing / black_years
    for p in world.people:
        if p.kind != "officer" or p.group != "Black":
            continue
        begin, end = exposure(world, p)
        if end <= begin:
            continue
        for _ in range(_poisson(rng, per_year * (end - begin) / YEAR)):
            _one(world, builder, rng, p, "misconduct", between(rng, begin, end))
