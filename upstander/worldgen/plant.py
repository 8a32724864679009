"""The planted patterns: what Upstander exists to find, hidden in the ordinary history, and written to the truth.

- repeat subjects: earlier allegations never linked, the subject named differently each time;
- crews: officers of one team accused together again and again;
- victims left working alongside the subject they reported;
- officers who resigned while under investigation;
- cases handed between many owners;
- retaliation (retaliate(), run last): staff who reported, then suffered a detriment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from upstander.worldgen import config as c
from upstander.worldgen.cases import CaseBuilder, Plan, Subject
from upstander.worldgen.history import make_leaver
from upstander.worldgen.ids import between, iso, stream
from upstander.worldgen.org import PersonFactory
from upstander.worldgen.world import Person, World

REPEAT_CATEGORIES = ["domestic_abuse", "sexual_misconduct", "abuse_of_position_sexual", "sexual_assault", "misogyny",
                     "bullying", "violence"]
EARLY_CATEGORIES = ["domestic_abuse", "sexual_misconduct", "misogyny", "bullying", "violence"]
EARLY_STYLES = ["nickname", "misspelt_family", "misspelt_given", "initial", "family_only", "unit_only", "known_as"]
CREW_CATEGORIES = [("violence", False), ("racism", False), ("other", False), ("bullying", True), ("misogyny", True),
                   ("racism", True)]
ALONGSIDE_CATEGORIES = ["sexual_misconduct", "bullying"]  # both trigger the separation check


@dataclass
class Reserved:
    repeat: list[Person] = field(default_factory=list)
    crews: list[tuple[int, list[Person]]] = field(default_factory=list)  # (team id, members)
    pairs: list[tuple[Person, Person]] = field(default_factory=list)  # (victim, subject)
    resigners: list[Person] = field(default_factory=list)


def reserve(world: World, factory: PersonFactory) -> Reserved:
    """Choose the people the patterns are planted on, before careers are drawn (so crews and pairs can be kept in
    one team throughout)."""
    cfg = world.cfg
    rng = stream(cfg.seed, "reserve")
    out = Reserved()
    taken: set[int] = set()
    bcu_units = {u.id for u in world.units if u.kind == "bcu"}
    # In post since before the window (or, in a long window, for at least its last three years).
    veterans = [p for p in world.people if p.left is None and p.joined <= max(cfg.start - 365, cfg.end - 3 * 365)]
    by_team: dict[int, list[Person]] = {}
    for p in veterans:
        by_team.setdefault(p.team, []).append(p)

    crew_teams = [t for t in world.teams if t.kind == "officer" and t.unit in bcu_units
                  and sum(1 for p in by_team.get(t.id, []) if p.level == c.PC) >= 5]
    rng.shuffle(crew_teams)
    for team in crew_teams[:cfg.planted(2500)]:
        pcs = [p for p in by_team[team.id] if p.level == c.PC]
        members = rng.sample(pcs, min(len(pcs), rng.randint(3, 5)))
        for p in members:
            p.stable = True
            taken.add(p.id)
        out.crews.append((team.id, members))

    pair_teams = [t for t in world.teams if t.kind == "officer" and world.unit_by_id[t.unit].kind != "exec"]
    rng.shuffle(pair_teams)
    for team in pair_teams:
        if len(out.pairs) >= cfg.planted(2500):
            break
        people = [p for p in by_team.get(team.id, []) if p.id not in taken]
        subjects = [p for p in people if p.sex == "male" and p.kind == "officer"]
        victims = [p for p in people if p.sex == "female" and p.level <= c.PS]
        if subjects and victims:
            subject, victim = rng.choice(subjects), rng.choice(victims)
            for p in (subject, victim):
                p.stable = True
                taken.add(p.id)
            out.pairs.append((victim, subject))

    candidates = [p for p in veterans if p.kind == "officer" and p.level <= c.PS and p.unit in bcu_units
                  and p.id not in taken]
    for p in rng.sample(candidates, min(len(candidates), cfg.planted(2500))):
        out.repeat.append(p)
        taken.add(p.id)

    settle = min(200, (cfg.end - cfg.start) // 3)  # room before the resignation for the case to start
    leavers = [p for p in world.people if p.left is not None and p.kind == "officer" and p.level <= c.INSP
               and cfg.start + settle <= p.left <= cfg.end - 30 and p.left - p.joined > 400]
    resigned = [p for p in leavers if p.leaving_reason == "resigned"]
    rng.shuffle(resigned)
    if len(resigned) < cfg.planted(2500):
        # A small or short world may have too few: some who would have left otherwise resign instead.
        others = [p for p in leavers if p.leaving_reason in ("medical", "transferred_out", "retired")]
        rng.shuffle(others)
        for p in others[:cfg.planted(2500) - len(resigned)]:
            p.leaving_reason = "resigned"
            resigned.append(p)
    constables = [p for p in world.people if p.left is None and p.kind == "officer" and p.level == c.PC]
    while len(resigned) < cfg.planted(2500) and constables:
        # Still short (a tiny world): one more constable who served a few years and resigned.
        left = between(rng, cfg.start + settle, cfg.end - 30)
        resigned.append(make_leaver(world, factory, rng.choice(constables), "resigned", left, 2 + 3 * rng.random()))
    out.resigners = resigned[:cfg.planted(2500)]
    return out


def plant(world: World, builder: CaseBuilder, reserved: Reserved) -> None:
    cfg = world.cfg
    rng = stream(cfg.seed, "plant")
    truth = world.truth

    repeats = []
    for p in reserved.repeat:
        k = rng.randint(4, 7)
        days = sorted(rng.sample(range(max(cfg.start, p.joined) + 30, cfg.end - 20), k))
        styles = rng.sample(EARLY_STYLES, min(k - 1, len(EARLY_STYLES)))
        mentions = []
        for i, day in enumerate(days):
            last = i == k - 1
            internal = rng.random() < 0.5 and not last
            reporter = _mate(builder, rng, p, day) if internal else None
            subject = Subject(p, linked=last, style="exact" if last else styles[i % len(styles)],
                              number_style="number" if last else rng.choice(["wrong_number", "no_number", "no_number"]))
            # The earlier ones were each treated as minor (and none met the referral criteria): nobody joined them up.
            built = builder.add(Plan(
                received=day, internal=internal, category=rng.choice(REPEAT_CATEGORIES if last else EARLY_CATEGORIES),
                subjects=[subject], reporter=reporter, mode=None if reporter or not internal else "anonymous",
                severity="misconduct" if last else rng.choice(["no_case", "pri"]), secondary=False, no_crime=not last))
            mentions.extend(built.mentions)
        repeats.append({"person": p.number, "name": f"{p.given} {p.family}", "rank": p.rank,
                        "unit": world.unit_by_id[p.unit].code, "mentions": mentions})
    truth["repeat_subjects"] = repeats

    crews = []
    for team_id, members in reserved.crews:
        k = rng.randint(3, 6)
        first = max([cfg.start] + [m.joined for m in members]) + 30
        days = sorted(rng.sample(range(first, cfg.end - 30), k))
        codes = []
        for day in days:
            category, internal = rng.choice(CREW_CATEGORIES)
            reporter = None
            if internal:
                mates = [m for m in builder.teammates(members[0], day) if m not in members]
                reporter = builder.pick_reporter(rng, mates, day)
            built = builder.add(Plan(received=day, internal=internal, category=category,
                                     subjects=[Subject(m, linked=True) for m in members], reporter=reporter,
                                     mode=None if reporter or not internal else "anonymous"))
            codes.append(built.code)
        crews.append({"team": world.team_by_id[team_id].code, "members": sorted(m.number for m in members),
                      "cases": codes})
    truth["crews"] = crews

    planted_pairs = []
    for victim, accused in reserved.pairs:
        begin = max(cfg.start, victim.joined, accused.joined) + 30
        day = between(rng, max(begin, cfg.end - 3 * 365), cfg.end - 60)
        built = builder.add(Plan(received=day, internal=True, category=rng.choice(ALONGSIDE_CATEGORIES),
                                 subjects=[Subject(accused, linked=True)], reporter=victim, role="victim",
                                 mode=rng.choice(["named", "confidential"]), channel="colleague", route="force",
                                 severity="misconduct"))
        planted_pairs.append(built.code)
    world.planted_alongside = planted_pairs

    resigned = []
    for p in reserved.resigners:
        left = p.left or cfg.end  # resigners are leavers
        received = max(left - between(rng, 90, 240), p.joined + 30, cfg.start)
        proceeds = rng.random() < 0.6
        internal = rng.random() < 0.5
        reporter = _mate(builder, rng, p, received) if internal else None
        built = builder.add(Plan(
            received=received, internal=internal, category=rng.choice(["sexual_misconduct", "corruption",
                                                                       "domestic_abuse", "violence"]),
            subjects=[Subject(p, linked=True)], reporter=reporter, severity="gross_misconduct",
            mode=None if reporter or not internal else "anonymous", case_to_answer=proceeds,
            finding="substantiated" if proceeds else "no_finding",
            outcome="would_have_been_dismissed" if proceeds else "nfa",
            outcome_on=left + between(rng, 60, 300)))
        resigned.append(built.code)
    world.planted_resigned = resigned

    handovers = []
    officers = [p for p in world.people if p.left is None and p.kind == "officer" and p.joined < cfg.end - 450]
    for _ in range(cfg.planted(2000)):
        officer = officers[between(rng, 0, len(officers))]
        day = between(rng, max(cfg.start, officer.joined + 30), cfg.end - 400)
        colleague = _mate(builder, rng, officer, day)
        built = builder.add(Plan(received=day, internal=True, category=rng.choice(["sexual_misconduct", "bullying"]),
                                 subjects=[Subject(officer, linked=True)], reporter=colleague, role="victim",
                                 mode="named" if colleague else "anonymous", severity="misconduct",
                                 handovers=rng.randint(5, 8), stall=False))
        handovers.append(built.code)
    world.planted_handovers = handovers


def _mate(builder: CaseBuilder, rng, person: Person, day: int) -> Person | None:
    return builder.pick_reporter(rng, builder.teammates(person, day), day)


def retaliate(world: World, builder: CaseBuilder, reserved: Reserved) -> None:
    """With probability `retaliation_excess`, a staff reporter with a roster link (named or confidential) suffers
    one planted detriment within a year of their first such report: a transfer they did not ask for, a promotion
    blocked after passing a board, or a counter-allegation. This is on top of the ordinary rates of those events."""
    from upstander.worldgen.history import HRLog

    cfg = world.cfg
    rng = stream(cfg.seed, "retaliation")
    log = HRLog(world, "retaliation")
    # Victims kept beside their subject, and crews, stay where they are: those patterns depend on it.
    keep = {p.id for pair in reserved.pairs for p in pair} | {p.id for _t, crew in reserved.crews for p in crew}
    leaders: dict[int, list[Person]] = {}
    for q in world.people:
        if q.left is None and q.manages:
            leaders.setdefault(q.team, []).append(q)
    first: dict[int, tuple[int, int, str, list[int]]] = {}
    for link in sorted(builder.reporter_links, key=lambda x: (x[1], x[0], x[2])):
        first.setdefault(link[0], link)
    out = []
    for pid in sorted(first):
        person_id, day, code, subjects = first[pid]
        if rng.random() >= cfg.retaliation_excess:
            continue
        p = world.by_id[person_id]
        options = []
        t_move = day + between(rng, 30, 300)
        if p.id not in keep and not p.manages and t_move <= cfg.end and p.employed_on(t_move):
            options.append("transfer")
        t_board = day + between(rng, 20, 120)
        top = c.SUPT if p.kind == "officer" else c.BAND_A
        if p.level < top and t_board + 380 <= cfg.end and p.employed_on(t_board + 380):
            options.append("blocked_promotion")
        t_counter = day + between(rng, 20, 200)
        if t_counter <= cfg.end - 10 and p.employed_on(t_counter):
            options.append("counter_allegation")
        if not options:
            continue
        kind = options[between(rng, 0, len(options))]
        record = {"person": p.number, "case": code, "reported_on": iso(day), "detriment": kind}
        if kind == "transfer":
            record.update(_move(world, rng, log, p, t_move, leaders))
        elif kind == "blocked_promotion":
            log.add(p.id, "promotion_board", t_board, outcome="applied")
            passed = t_board + between(rng, 40, 90)
            log.add(p.id, "promotion_board", passed, outcome="passed")
            blocked = log.add(p.id, "promotion_board", passed + between(rng, 200, 280), outcome="not_promoted")
            record.update({"on": iso(blocked[4]), "ref": _uuid(blocked[1])})
        else:
            accuser = world.by_id[subjects[0]]
            if not accuser.employed_on(t_counter):
                accuser = _mate(builder, rng, p, t_counter) or accuser
            reporter = accuser if accuser.employed_on(t_counter) and accuser.id != p.id else None
            built = builder.add(Plan(
                received=t_counter, internal=True, category=rng.choice(["bullying", "other"]),
                subjects=[Subject(p, linked=True)], reporter=reporter, role="victim",
                mode="named" if reporter else "anonymous", severity="misconduct", case_to_answer=False,
                finding=rng.choice(["unfounded", "not_substantiated"]), outcome="nfa"))
            record.update({"on": iso(t_counter), "ref": built.code})
        out.append(record)
    world.truth["retaliated_reporters"] = out


def _move(world: World, rng, log, p: Person, day: int, leaders: dict[int, list[Person]]) -> dict:
    """Transfer `p` to a team of the same kind in another unit from `day`, keeping the rest of their history."""
    home = world.team_by_id[p.team_on(day) or p.team]
    choices = [t for t in world.teams if t.kind == home.kind and t.unit != home.unit
               and world.unit_by_id[t.unit].kind not in ("psu", "exec")]
    target = choices[between(rng, 0, len(choices))]
    before = [s for s in p.stints if s[0] <= day]
    after = [s for s in p.stints if s[0] > day]
    p.stints = before + [(day, target.unit, target.id)] + after
    initiator = p.manager  # the line manager at the time moved them
    if not after and p.left is None:
        p.unit, p.team, p.location, p.shift = target.unit, target.id, target.location, target.shift
        p.manager = _leader_of(world, target, p, leaders)
    row = log.add(p.id, "transfer", day, outcome="not_requested", from_unit=home.unit, to_unit=target.unit,
                  initiated_by=initiator)
    return {"on": iso(day), "ref": _uuid(row[1]), "from_unit": world.unit_by_id[home.unit].code,
            "to_unit": world.unit_by_id[target.unit].code}


def _leader_of(world: World, team, p: Person, leaders: dict[int, list[Person]]) -> int:
    """The line manager a newcomer of p's rank gets in `team`: the most junior manager there senior to them."""
    seniors = [q for q in leaders.get(team.id, []) if q.kind == p.kind and q.level > p.level and q.id != p.id]
    if seniors:
        return min(seniors, key=lambda q: (q.level, q.id)).id
    head = world.unit_by_id[team.unit].head
    assert head is not None and head != p.id, "every unit has a head, and a mover manages nobody"
    return head


def _uuid(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


def chain_ok(world: World) -> bool:
    """No line-manager cycles (used by tests and as a guard before writing)."""
    for p in world.people:
        seen = {p.id}
        current = p.manager
        while current is not None:
            if current in seen:
                return False
            seen.add(current)
            current = world.by_id[current].manager
    return True

