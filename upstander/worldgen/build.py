"""The order in which the world is made, and the order in which its tables are written."""

from __future__ import annotations

from collections.abc import Callable

from upstander.worldgen import associations, background, history, org, plant
from upstander.worldgen.cases import FIELDS as CASE_FIELDS
from upstander.worldgen.cases import CaseBuilder
from upstander.worldgen.config import WorldConfig
from upstander.worldgen.world import World
from upstander.worldgen.writer import BulkWriter

PERSON_FIELDS = ["id", "public_id", "kind", "number", "given_name", "family_name", "known_as", "rank", "birth_year",
                 "joined_on", "left_on", "leaving_reason", "unit_id", "team_id", "location_id", "shift_id",
                 "line_manager_id", "ethnicity", "sex", "sexual_orientation", "religion", "disability"]


def build_world(cfg: WorldConfig, offsets: dict[str, int], orgs: dict[str, int],
                step: Callable[[str], object] = lambda label: None) -> tuple[World, CaseBuilder]:
    world = World(cfg, offsets)
    factory = org.build(world, cfg.seed)
    step("organisation")
    history.add_leavers(world, factory)
    reserved = plant.reserve(world, factory)
    history.build_careers(world)
    step("careers")
    builder = CaseBuilder(world, orgs)
    background.background_cases(world, builder)
    step("background cases")
    plant.plant(world, builder, reserved)
    step("planted patterns")
    plant.retaliate(world, builder, reserved)
    step("retaliation")
    background.top_up_rate(world, builder)
    step("relative rate")
    associations.declare(world)
    step("associations")
    if not plant.chain_ok(world):
        raise RuntimeError("worldgen made a line-manager cycle; this is a bug")
    return world, builder


def write_world(world: World, models: dict[str, type], writer: BulkWriter) -> None:
    """Parents before children (foreign keys are also deferred to commit on both databases)."""
    w = writer
    w.insert(models["command"], ["id", "code", "name"], world.commands)
    w.insert(models["location"], ["id", "code", "name"], world.locations)
    w.insert(models["shift"], ["id", "code", "name"], world.shifts)
    w.insert(models["unit"], ["id", "code", "name", "command_id", "location_id", "is_professional_standards"],
             [(u.id, u.code, u.name, u.command, u.location, u.kind == "psu") for u in world.units])
    w.insert(models["team"], ["id", "code", "name", "unit_id", "shift_id", "location_id"],
             [(t.id, t.code, t.name, t.unit, t.shift, t.location) for t in world.teams])
    w.insert(models["person"], PERSON_FIELDS, (
        (p.id, p.public_id, p.kind, p.number, p.given, p.family, p.known_as, p.rank, p.birth_year, p.joined, p.left,
         p.leaving_reason, p.unit, p.team, p.location, p.shift, p.manager, p.ethnicity, p.sex, p.orientation,
         p.religion, p.disability) for p in world.people))
    w.update_column(models["unit"], "head", [(u.head, u.id) for u in world.units if u.head is not None])
    w.insert(models["unithistory"], ["id", "person_id", "unit_id", "team_id", "started_on", "ended_on"],
             _unit_history(world))
    w.insert(models["hrevent"], history.HR_FIELDS, world.rows["hrevent"])
    w.insert(models["hrevent"], history.HR_FIELDS, history.routine_events(world))
    w.insert(models["association"], associations.FIELDS, world.rows["association"])
    for table in ("case", "report", "reporterlink", "mention", "allegation", "referral", "stage", "assignment",
                  "decision"):
        w.insert(models[table], CASE_FIELDS[table], world.rows[table])
    w.finish()
    refresh_clocks(world)


def refresh_clocks(world: World, chunk: int = 500) -> None:
    """Open cases get their clock cache (due_on, due_clock) from the case workflow's own computation."""
    from upstander.cases.clocks import refresh_due

    open_ids = [row[0] for row in world.rows["case"] if row[9] is None]
    for i in range(0, len(open_ids), chunk):
        refresh_due(open_ids[i:i + chunk])


def _unit_history(world: World):
    for p in world.people:
        last = len(p.stints) - 1
        for i, (start, unit, team) in enumerate(p.stints):
            end = p.stints[i + 1][0] if i < last else p.left
            yield (world.next_id("unithistory"), p.id, unit, team, start, end)
