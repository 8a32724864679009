"""Careers: leavers, unit histories with transfers, promotions, and the routine HR record (ratings, sickness,
boards, development, procedures) for every year of the window.

The routine record is by far the largest table, so it is produced as a stream at write time rather than held in
memory; everything other code needs to look at (teams over time, leaving, promotions) is kept on the people.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from upstander.worldgen import config as c
from upstander.worldgen.ids import UuidSource, between, pick, stream
from upstander.worldgen.org import PersonFactory, _draw
from upstander.worldgen.world import Person, World

LEAVING = {
    "officer": {"resigned": 0.45, "retired": 0.34, "medical": 0.05, "transferred_out": 0.11, "dismissed": 0.03,
                "died": 0.02},
    "staff": {"resigned": 0.55, "retired": 0.20, "end_of_contract": 0.14, "medical": 0.05, "dismissed": 0.04,
              "died": 0.02},
}
YEAR = 365.25
# HR event row: (id, public_id, person, kind, occurred_on, outcome, rating, days, from_unit, to_unit, initiated_by,
#                leaving_reason, source_ref)
HR_FIELDS = ["id", "public_id", "person_id", "kind", "occurred_on", "outcome", "rating", "days", "from_unit_id",
             "to_unit_id", "initiated_by_id", "leaving_reason", "source_ref"]


class HRLog:
    """Appends HR event rows with ids and seed-derived public ids (one stream per source, so the planted events
    never shift the routine ones)."""

    def __init__(self, world: World, purpose: str) -> None:
        self.world = world
        self.uuids = UuidSource(world.cfg.seed, f"hr:{purpose}")
        self.purpose = purpose

    def row(self, person: int, kind: str, on: int, *, outcome: str = "", rating: int | None = None,
            days: int | None = None, from_unit: int | None = None, to_unit: int | None = None,
            initiated_by: int | None = None, leaving_reason: str = "") -> tuple:
        public_id = self.uuids.next()
        return (self.world.next_id("hrevent"), public_id, person, kind, on, outcome, rating, days, from_unit, to_unit,
                initiated_by, leaving_reason, f"worldgen:{public_id}")

    def add(self, *args, **kwargs) -> tuple:
        row = self.row(*args, **kwargs)
        self.world.rows["hrevent"].append(row)
        return row


def add_leavers(world: World, factory: PersonFactory) -> None:
    """People who left during the window. Each stood in for a colleague of the same kind and rank who is in post
    now (same unit, team and line manager), which keeps leavers inside the real structure."""
    cfg = world.cfg
    rng = stream(cfg.seed, "leavers")
    in_post = list(world.people)
    by_kind: dict[str, list[Person]] = {"officer": [], "staff": []}
    for p in in_post:
        by_kind[p.kind].append(p)
    for kind in ("officer", "staff"):
        pool = by_kind[kind]
        rate = c.RATES["leave_officer" if kind == "officer" else "leave_staff"]
        count = int(round(len(pool) * rate * cfg.years))
        # Leavers are mostly junior: sample colleagues favouring the lowest ranks and grades.
        weights = [4.0 if p.level == 0 else 2.0 if p.level == 1 else 1.0 for p in pool]
        for colleague in rng.choices(pool, weights=weights, k=count):
            reason = _draw(rng, LEAVING[kind])
            left = between(rng, cfg.start, cfg.end + 1)
            make_leaver(world, factory, colleague, reason, left, _leaver_service(rng, reason))


def make_leaver(world: World, factory: PersonFactory, colleague: Person, reason: str, left: int,
                service_years: float) -> Person:
    """Someone of `colleague`'s kind and rank, in their team under their line manager, who left on `left`."""
    person = factory.make(kind=colleague.kind, level=colleague.level, unit=world.unit_by_id[colleague.unit],
                          team=world.team_by_id[colleague.team], manager=colleague.manager,
                          joined=left - int(service_years * YEAR))
    person.left = left
    person.leaving_reason = reason
    return person


def _leaver_service(rng: random.Random, reason: str) -> float:
    if reason == "retired":
        return 25 + rng.random() * 10
    if reason == "resigned":
        return 0.3 + rng.expovariate(1 / 4.0)
    return 0.5 + rng.expovariate(1 / 8.0)


def build_careers(world: World) -> None:
    """Unit histories (transfers), promotions into the current rank, joining and leaving."""
    cfg = world.cfg
    rng = stream(cfg.seed, "careers")
    log = HRLog(world, "career")
    teams_of_kind: dict[str, list[int]] = {"officer": [], "staff": [], "slt": []}
    for t in world.teams:
        teams_of_kind[t.kind].append(t.id)
    for p in world.people:
        home = world.team_by_id[p.team]
        pool = teams_of_kind[home.kind] or teams_of_kind["officer"]
        end = p.left if p.left is not None else cfg.end + 1
        span_start = max(p.joined, cfg.start)
        boundaries: list[int] = []
        if not p.stable and end > span_start:
            expected = c.RATES["transfer"] * (end - span_start) / YEAR
            for _ in range(_poisson(rng, expected)):
                boundaries.append(between(rng, span_start, end))
        promoted_on = None
        if p.level > 0 and p.left is None:
            in_rank = 0.3 + rng.random() * 7.0
            candidate = cfg.end - int(in_rank * YEAR)
            if candidate > max(cfg.start, p.joined + 365):
                promoted_on = candidate
                if not p.stable and rng.random() < 0.6:
                    boundaries.append(candidate)
        boundaries = sorted(set(b for b in boundaries if b > p.joined))
        teams = [pool[between(rng, 0, len(pool))] for _ in boundaries] + [p.team]
        starts = [p.joined] + boundaries
        p.stints = [(start, world.team_by_id[team].unit, team) for start, team in zip(starts, teams, strict=True)]
        log.add(p.id, "joined", p.joined, to_unit=p.stints[0][1])
        for i, at in enumerate(boundaries):
            from_unit, to_unit = p.stints[i][1], p.stints[i + 1][1]
            if at == promoted_on:
                continue
            requested = rng.random() < 0.7
            log.add(p.id, "transfer", at, outcome="requested" if requested else "not_requested",
                    from_unit=from_unit, to_unit=to_unit, initiated_by=p.id if requested else p.manager)
        if promoted_on is not None:
            log.add(p.id, "promotion_board", promoted_on - between(rng, 120, 200), outcome="applied")
            log.add(p.id, "promotion_board", promoted_on - between(rng, 40, 100), outcome="passed")
            before = [s for s in p.stints if s[0] < promoted_on]
            log.add(p.id, "promoted", promoted_on, outcome="promoted", from_unit=before[-1][1] if before else None,
                    to_unit=p.unit)
        if p.left is not None:
            log.add(p.id, "left", p.left, leaving_reason=p.leaving_reason)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, int(round(rng.gauss(mean, mean ** 0.5))))
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def routine_events(world: World) -> Iterator[tuple]:
    """Ratings, sickness, development, extra promotion boards, procedures and grievances, year by year."""
    cfg = world.cfg
    rng = stream(cfg.seed, "routine-hr")
    log = HRLog(world, "routine")
    from datetime import date

    rating_days = [date(y, 4, 30).toordinal() for y in range(date.fromordinal(cfg.start).year, cfg.end_date.year + 1)]
    rating_days = [d for d in rating_days if cfg.start <= d <= cfg.end]
    ratings = [1, 2, 3, 4, 5]
    rating_weights = [0.03, 0.10, 0.50, 0.30, 0.07]
    for p in world.people:
        begin = max(p.joined, cfg.start)
        end = min(p.left if p.left is not None else cfg.end + 1, cfg.end + 1)
        if end <= begin:
            continue
        years = (end - begin) / YEAR
        low_rating = False
        for d in rating_days:
            if begin <= d < end:
                rating = pick(rng, ratings, rating_weights)
                low_rating = low_rating or rating <= 2
                yield log.row(p.id, "performance_rating", d, rating=rating)
        episodes = sorted(between(rng, begin, end) for _ in range(_poisson(rng, c.RATES["sickness"] * years)))
        for d in episodes:
            days = int(rng.lognormvariate(1.5, 0.9)) + 1 if rng.random() > 0.05 else between(rng, 28, 180)
            yield log.row(p.id, "sickness", d, days=days)
        for i in range(2, len(episodes)):
            if episodes[i] - episodes[i - 2] < 365 and rng.random() < 0.4:
                yield log.row(p.id, "attendance_procedure", min(episodes[i] + between(rng, 7, 30), end - 1))
                break
        if low_rating and rng.random() < c.RATES["capability"] * 25:
            yield log.row(p.id, "capability_procedure", between(rng, begin, end))
        for _ in range(_poisson(rng, c.RATES["development"] * years)):
            yield log.row(p.id, "development", between(rng, begin, end),
                          outcome="selected" if rng.random() < 0.6 else "not_selected")
        if p.kind == "officer" and p.level < c.SUPT:
            for _ in range(_poisson(rng, c.RATES["board"] * years)):
                applied = between(rng, begin, end)
                yield log.row(p.id, "promotion_board", applied, outcome="applied")
                decided = applied + between(rng, 40, 100)
                if decided >= end:
                    continue
                passed = rng.random() < 0.35
                yield log.row(p.id, "promotion_board", decided, outcome="passed" if passed else "failed")
                if passed and decided + 300 < end:
                    # Passed, but no post was offered within the year: the ordinary rate of "blocked" promotions.
                    yield log.row(p.id, "promotion_board", decided + between(rng, 240, 300), outcome="not_promoted")
        if p.manages:
            for _ in range(_poisson(rng, c.RATES["grievance_against"] * years)):
                yield log.row(p.id, "grievance_against", between(rng, begin, end))
