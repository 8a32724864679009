"""The organisation as it stands on the world's end date: commands, units, teams, and everyone in post, with a real
chain of command (each line manager is more senior, so the chain has no cycles and ends at the head of the force).
"""

from __future__ import annotations

import math
import random

from upstander.worldgen import config as c
from upstander.worldgen.ids import UuidSource
from upstander.worldgen.names import pick_name
from upstander.worldgen.world import Person, Team, Unit, World

COMMANDS = [
    ("FLP", "Frontline Policing"), ("SPO", "Specialist Operations"), ("MOP", "Met Operations"),
    ("PRO", "Professionalism"), ("HQ", "Headquarters"),
]
AREAS = [
    "Ashcombe", "Brackley Green", "Colbridge", "Dunmere", "Eastwick", "Fairholme", "Glenmoor", "Harlow Vale",
    "Ivybridge Park", "Kingsmead", "Larkfield", "Marston Heath", "Northgate", "Oakhurst", "Pennington",
    "Queensbury Hill", "Redwater", "Southmoor", "Thornbury", "Upton Cross", "Westbrook", "Yardley Common",
    "Ambleside Road", "Barrowfield", "Carrow", "Denholm", "Elmstead", "Fenwick", "Greyfriars", "Hollins",
    "Ingleby", "Juniper Hill", "Kelsall", "Longmead", "Millbrook", "Netherby", "Orchard Vale", "Priory Park",
]
SPECIALIST = [
    "Roads Policing", "Firearms Command", "Public Order", "Dog Support", "Marine Policing", "Counter Terrorism",
    "Protection Command", "Specialist Crime", "Child Abuse Investigation", "Intelligence", "Custody",
    "Aviation Support", "Economic Crime", "Homicide and Major Crime", "Forensic Services", "Contact Centre",
]
SHIFTS = [("relief-a", "Response relief A"), ("relief-b", "Response relief B"), ("relief-c", "Response relief C"),
          ("relief-d", "Response relief D"), ("relief-e", "Response relief E"), ("office", "Office hours"),
          ("late", "Late turn"), ("night", "Night turn")]
BCU_TEAMS = ["Response Team A", "Response Team B", "Response Team C", "Response Team D", "Response Team E"]
BCU_OTHER = ["Neighbourhood Team", "CID Team", "Safeguarding Team", "Proactive Team"]
OFFICER_SHARE = {"bcu": 0.63, "specialist": 0.57, "operations": 0.50, "psu": 0.55, "exec": 0.40}


def _draw(rng: random.Random, shares: dict[str, float]) -> str:
    x = rng.random() * sum(shares.values())
    for key, share in shares.items():
        x -= share
        if x < 0:
            return key
    return key


class NumberSource:
    """Unique warrant numbers (six digits) and staff numbers (S and seven digits)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def next(self, kind: str) -> str:
        while True:
            number = str(self._rng.randrange(100000, 1000000)) if kind == "officer" else \
                f"S{self._rng.randrange(1000000, 10000000)}"
            if number not in self._used:
                self._used.add(number)
                return number


class PersonFactory:
    """Demographics, names, numbers and dates of joining for people in post and for leavers."""

    def __init__(self, world: World, seed: int) -> None:
        from upstander.worldgen.ids import stream

        self.world = world
        self.rng = stream(seed, "people")
        self.numbers = NumberSource(stream(seed, "numbers"))
        self.uuids = UuidSource(seed, "person")

    def make(self, *, kind: str, level: int, unit: Unit, team: Team, manager: int | None, joined: int | None = None,
             ) -> Person:
        rng, cfg = self.rng, self.world.cfg
        female = rng.random() < c.FEMALE_SHARE[kind] * (0.8 if level >= 3 else 1.0)
        sex = "female" if female else "male"
        if rng.random() < c.PREFER_NOT_SEX:
            sex = "prefer_not_to_say"
        ethnicity = _draw(rng, c.ETHNICITY_SHARES)
        group = ethnicity.split("_", 1)[0] if ethnicity != "prefer_not_to_say" else "white"
        given, family = pick_name(rng, group, "female" if female else "male")
        if joined is None:
            joined = cfg.end - int(self.service_years(kind, level) * 365.25)
        age_at_joining = 18 + rng.gammavariate(2.0, 3.5 if kind == "officer" else 6.0)
        birth_year = int(_year(joined) - age_at_joining)
        birth_year = max(birth_year, cfg.end_date.year - 64)
        orientation = "" if rng.random() < 0.3 else _draw(rng, {
            "straight": 0.86, "gay_lesbian": 0.04, "bisexual": 0.03, "other": 0.01, "prefer_not_to_say": 0.06})
        religion = "" if rng.random() < 0.25 else _draw(rng, {
            "none": 0.40, "christian": 0.40, "muslim": 0.07, "hindu": 0.03, "sikh": 0.02, "jewish": 0.01,
            "buddhist": 0.01, "other": 0.01, "prefer_not_to_say": 0.05})
        disability = "" if rng.random() < 0.2 else _draw(rng, {"no": 0.85, "yes": 0.07, "prefer_not_to_say": 0.08})
        person = Person(
            id=self.world.next_id("person"), public_id=self.uuids.next(), number=self.numbers.next(kind), kind=kind,
            level=level, given=given, family=family, sex=sex, ethnicity=ethnicity, orientation=orientation,
            religion=religion, disability=disability, birth_year=birth_year, joined=joined, unit=unit.id,
            team=team.id, location=team.location, shift=team.shift, manager=manager,
        )
        if rng.random() < 0.06:
            from upstander.worldgen.names import nickname

            person.known_as = nickname(given, rng) or ""
        self.world.add_person(person)
        return person

    def service_years(self, kind: str, level: int) -> float:
        """Length of service of someone now in post at this rank or grade."""
        rng = self.rng
        if kind == "officer":
            minimum = [0, 3, 6, 9, 12, 15, 18, 20, 22][level]
            years = minimum + rng.expovariate(1 / (7.0 if level == 0 else 5.0))
        else:
            minimum = [0, 1, 3, 5, 8, 10][level]
            years = minimum + rng.expovariate(1 / 6.0)
        return max(0.05, min(years, 34.0))


def _year(ordinal: int) -> int:
    from datetime import date

    return date.fromordinal(ordinal).year


def officer_levels(count: int, head: int) -> dict[int, int]:
    """How many officers of each rank a unit of `count` officers has below its head."""
    rest = count - 1
    levels = {level: 0 for level in range(c.AC + 1)}
    if rest <= 0:
        return levels
    levels[c.SUPT] = round(rest * 0.007) if head > c.SUPT else 0
    levels[c.CI] = round(rest * 0.016) if head > c.CI else 0
    levels[c.INSP] = max(1 if rest >= 10 else 0, round(rest * 0.048)) if head > c.INSP else 0
    levels[c.PS] = max(1 if rest >= 4 else 0, round(rest * 0.145)) if head > c.PS else 0
    levels[c.PC] = rest - sum(levels.values())
    return levels


def head_level(officers: int) -> int:
    for threshold, level in ((500, c.CSUPT), (150, c.SUPT), (40, c.CI), (12, c.INSP)):
        if officers >= threshold:
            return level
    return c.PS


def build(world: World, seed: int) -> PersonFactory:
    """Make commands, locations, shifts, units, teams and the people now in post."""
    from upstander.worldgen.ids import stream

    cfg = world.cfg
    rng = stream(seed, "organisation")
    factory = PersonFactory(world, seed)
    n = cfg.staff

    n_ops = max(3, round(n / 1000))
    commands = COMMANDS if n_ops >= 6 else [cmd for cmd in COMMANDS if cmd[0] != "MOP"]
    command_ids = {}
    for code, name in commands:
        cid = world.next_id("command")
        world.commands.append((cid, code, name))
        command_ids[code] = cid
    for code, name in SHIFTS:
        world.shifts.append((world.next_id("shift"), code, name))
    shift_ids = {code: sid for sid, code, _ in world.shifts}

    def location(name: str) -> int:
        lid = world.next_id("location")
        world.locations.append((lid, f"L{len(world.locations) + 1:03d}", name))
        return lid

    hq_location = location("Victoria Embankment Headquarters")
    psu_location = location("Riverside House")

    # Operational units: borough command units and specialist units, sized unevenly.
    n_bcu = max(2, round(n_ops * 0.55))
    kinds = ["bcu"] * n_bcu + ["specialist" if i % 3 or len(commands) == 4 else "operations"
                               for i in range(n_ops - n_bcu)]
    # The Executive Office: the head of the force, a head per command (not HQ), a senior staff leader and support.
    exec_support = max(1, round(n * 0.002) - len(commands))
    exec_size = len(commands) + exec_support  # the chief, heads of the non-HQ commands, the leader, support - 1
    psu_size = max(8, round(n * 0.015))
    weights = [rng.gammavariate(6.0, 1.0) * (1.5 if kind == "bcu" else 1.0) for kind in kinds]
    remaining = n - exec_size - psu_size
    sizes = [max(12, int(remaining * w / sum(weights))) for w in weights]
    sizes[0] += remaining - sum(sizes)

    unit_specs: list[tuple[str, str, str, int, list[int]]] = []  # kind, name, command, size, locations
    for i, (kind, size) in enumerate(zip(kinds, sizes, strict=True)):
        if kind == "bcu":
            area = AREAS[i % len(AREAS)] + ("" if i < len(AREAS) else f" {i // len(AREAS) + 1}")
            stations = [location(f"{area} Police Station")]
            for extra in range(max(0, min(2, size // 600))):
                stations.append(location(f"{area} {'North' if extra == 0 else 'South'} Police Station"))
            unit_specs.append((kind, f"{area} BCU", "FLP", size, stations))
        else:
            j = i - n_bcu
            name = SPECIALIST[j % len(SPECIALIST)] + ("" if j < len(SPECIALIST) else f" {j // len(SPECIALIST) + 1}")
            unit_specs.append((kind, name, "SPO" if kind == "specialist" else "MOP", size, [location(f"{name} Base")]))
    unit_specs.append(("psu", "Directorate of Professional Standards", "PRO", psu_size, [psu_location]))

    heads: list[Person] = []
    for number, (kind, name, command, size, stations) in enumerate(unit_specs, start=1):
        unit = Unit(id=world.next_id("unit"), code=f"U{number:03d}", name=name, command=command_ids[command],
                    location=stations[0], kind=kind)
        world.units.append(unit)
        world.unit_by_id[unit.id] = unit
        if kind == "psu":
            world.psu = unit
        heads.append(_staff_unit(world, factory, rng, unit, size, stations, shift_ids))

    _executive(world, factory, rng, heads, command_ids, hq_location, shift_ids, exec_support)
    return factory


def _team(world: World, unit: Unit, name: str, kind: str, shift: int, location: int) -> Team:
    number = sum(1 for t in world.teams if t.unit == unit.id) + 1
    team = Team(id=world.next_id("team"), code=f"{unit.code}-T{number:02d}", name=name, unit=unit.id, shift=shift,
                location=location, kind=kind)
    world.teams.append(team)
    world.team_by_id[team.id] = team
    return team


def _staff_unit(world: World, factory: PersonFactory, rng: random.Random, unit: Unit, size: int,
                stations: list[int], shifts: dict[str, int]) -> Person:
    """Fill one unit: its senior leadership team, officer teams (sergeants and constables under inspectors) and
    police staff teams (Band D/E under a Band C). Returns the unit head, whose manager is set by the caller."""
    officers = max(1, round(size * OFFICER_SHARE[unit.kind]))
    staff = size - officers
    top = max(head_level(officers), c.INSP if unit.kind == "psu" else c.PS)
    slt = _team(world, unit, "Senior Leadership Team", "slt", shifts["office"], stations[0])
    head = factory.make(kind="officer", level=top, unit=unit, team=slt, manager=None)
    head.manages = True
    unit.head = head.id
    counts = officer_levels(officers, top)

    def chain(level: int, managers: list[Person], count: int, team: Team) -> list[Person]:
        made = []
        for i in range(count):
            boss = managers[i % len(managers)] if managers else head
            person = factory.make(kind="officer", level=level, unit=unit, team=team, manager=boss.id)
            person.manages = True
            made.append(person)
        return made

    supts = chain(c.SUPT, [], counts[c.SUPT], slt)
    cis = chain(c.CI, supts, counts[c.CI], slt)
    inspectors_needed = counts[c.INSP]
    n_teams = max(1, math.ceil(counts[c.PS] / 2)) if counts[c.PS] else (1 if counts[c.PC] else 0)
    teams: list[Team] = []
    other = 0
    for t in range(n_teams):
        if unit.kind == "bcu" and t < len(BCU_TEAMS):
            name, shift = BCU_TEAMS[t], shifts[f"relief-{'abcde'[t]}"]
        elif unit.kind == "bcu":
            other += 1
            name = f"{BCU_OTHER[other % len(BCU_OTHER)]} {other // len(BCU_OTHER) + 1}"
            shift = shifts["office"] if other % 2 else shifts["late"]
        else:
            name, shift = f"{unit.name} Team {t + 1}", [shifts["office"], shifts["late"], shifts["night"]][t % 3]
        teams.append(_team(world, unit, name, "officer", shift, stations[t % len(stations)]))
    inspectors: list[Person] = []
    for i in range(inspectors_needed):
        boss = cis[i % len(cis)] if cis else (supts[i % len(supts)] if supts else head)
        home = teams[i] if i < len(teams) else slt
        person = factory.make(kind="officer", level=c.INSP, unit=unit, team=home, manager=boss.id)
        person.manages = True
        inspectors.append(person)
    sergeant_of: dict[int, list[Person]] = {t.id: [] for t in teams}
    for i in range(counts[c.PS]):
        team = teams[i % len(teams)]
        boss = inspectors[(i % len(teams)) % len(inspectors)] if inspectors else head
        person = factory.make(kind="officer", level=c.PS, unit=unit, team=team, manager=boss.id)
        person.manages = True
        sergeant_of[team.id].append(person)
    for i in range(counts[c.PC]):
        team = teams[i % len(teams)]
        leaders = sergeant_of[team.id] or inspectors or [head]
        factory.make(kind="officer", level=c.PC, unit=unit, team=team, manager=leaders[(i // len(teams)) % len(leaders)].id)

    # Police staff: Band A/B in the leadership team, Band C leading teams of Band D/E.
    if staff > 0:
        n_a = round(staff * 0.015)
        n_b = round(staff * 0.05)
        rest = staff - n_a - n_b
        n_c = max(1, round(rest / 11)) if rest >= 2 else 0
        n_de = rest - n_c
        label = "Business Support" if unit.kind != "psu" else "Investigation Support"
        staff_teams = [_team(world, unit, f"{label} {i + 1}", "staff", shifts["office"], stations[i % len(stations)])
                       for i in range(n_c)]
        band_a = [factory.make(kind="staff", level=c.BAND_A, unit=unit, team=slt, manager=head.id) for _ in range(n_a)]
        # Band B managers sit in the first team they manage (like inspectors), not in the leadership team.
        band_b = [factory.make(kind="staff", level=c.BAND_B, unit=unit, team=staff_teams[i] if i < n_c else slt,
                               manager=(band_a[i % len(band_a)] if band_a else head).id) for i in range(n_b)]
        for p in band_a + band_b:
            p.manages = True
        leads = []
        for i, team in enumerate(staff_teams):
            boss = (band_b[i % len(band_b)] if band_b else band_a[i % len(band_a)] if band_a else head)
            lead = factory.make(kind="staff", level=c.BAND_C, unit=unit, team=team, manager=boss.id)
            lead.manages = True
            leads.append(lead)
        for i in range(n_de):
            if staff_teams:
                team, boss = staff_teams[i % n_c], leads[i % n_c]
            else:
                team, boss = slt, head
            factory.make(kind="staff", level=c.BAND_D if rng.random() < 0.55 else c.BAND_E, unit=unit, team=team,
                         manager=boss.id)
    return head


def _executive(world: World, factory: PersonFactory, rng: random.Random, heads: list[Person],
               command_ids: dict[str, int], location: int, shifts: dict[str, int], support: int) -> None:
    """The force's leadership: a head of each command above the unit heads, and the head of the force."""
    n = world.cfg.staff
    unit = Unit(id=world.next_id("unit"), code=f"U{len(world.units) + 1:03d}", name="Executive Office",
                command=command_ids["HQ"], location=location, kind="exec")
    world.units.append(unit)
    world.unit_by_id[unit.id] = unit
    team = _team(world, unit, "Management Board", "slt", shifts["office"], location)
    top_unit_level = max(h.level for h in heads)
    command_level = c.CMDR if n >= 5000 else min(c.CMDR, top_unit_level + 1)
    force_level = c.AC if n >= 10000 else min(c.AC, command_level + 1)
    chief = factory.make(kind="officer", level=force_level, unit=unit, team=team, manager=None)
    chief.manages = True
    unit.head = chief.id
    command_heads = {}
    for cid, code, _name in world.commands:
        if code == "HQ":
            continue
        boss = factory.make(kind="officer", level=command_level, unit=unit, team=team, manager=chief.id)
        boss.manages = True
        command_heads[cid] = boss
    for h in heads:
        h.manager = command_heads[world.unit_by_id[h.unit].command].id
    leader = factory.make(kind="staff", level=c.SENIOR, unit=unit, team=team, manager=chief.id)
    leader.manages = True
    for _ in range(support - 1):
        factory.make(kind="staff", level=rng.choice([c.BAND_A, c.BAND_B, c.BAND_C]), unit=unit, team=team,
                     manager=leader.id)
