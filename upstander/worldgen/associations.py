"""Declared associations: lodge memberships (some shared up a chain of command and with professional standards
staff, which is what conflict-of-interest checks must catch), business interests, relationships at work."""

from __future__ import annotations

from upstander.worldgen import config as c
from upstander.worldgen.ids import UuidSource, between, stream
from upstander.worldgen.world import Person, World

FIELDS = ["id", "public_id", "person_id", "kind", "body", "counterpart_id", "declared_on", "ended_on"]
LODGE_NAMES = ["Lodge of Fidelity", "Thin Blue Line Lodge", "Lodge of Justice", "Embankment Lodge",
               "Lodge of Unity", "Sentinel Lodge", "Lodge of Good Report", "Centurion Lodge"]
BUSINESS = ["Security Consultancy", "Property Lettings", "Driving Tuition", "Personal Training", "Joinery",
            "Event Stewarding", "Private Investigation", "Catering"]
OTHER = ["Police Sports Association committee", "Staff network: women in policing", "Rugby club committee",
         "Charity trustee", "Special Constabulary liaison", "Running club secretary"]


def declare(world: World) -> None:
    cfg = world.cfg
    rng = stream(cfg.seed, "associations")
    rows = world.rows["association"]
    uuids = UuidSource(cfg.seed, "association")
    current = [p for p in world.people if p.left is None]
    officers = [p for p in current if p.kind == "officer"]
    psu = [p for p in current if p.unit == world.psu_unit.id]

    def add(p: Person, kind: str, body: str, counterpart: int | None = None, declared: int | None = None) -> None:
        on = declared or between(rng, max(p.joined, cfg.start), cfg.end + 1)
        rows.append((world.next_id("association"), uuids.next(), p.id, kind, body, counterpart, on, None))

    lodges = []
    for i in range(max(2, cfg.staff // 4000)):
        body = f"{LODGE_NAMES[i % len(LODGE_NAMES)]} No. {between(rng, 1000, 9999)}"
        members: dict[int, Person] = {}
        # Seed each lodge with a few chains of command (an officer and their managers), plus scattered members.
        for _ in range(max(1, len(officers) // 3000)):
            link: Person | None = officers[between(rng, 0, len(officers))]
            while link is not None and len(members) < 200:
                members[link.id] = link
                link = world.by_id[link.manager] if link.manager is not None and rng.random() < 0.7 else None
        for _ in range(max(2, len(officers) // 400)):
            p = officers[between(rng, 0, len(officers))]
            if p.level >= c.PS or rng.random() < 0.3:
                members[p.id] = p
        if psu and i % 2 == 0:
            p = psu[between(rng, 0, len(psu))]
            members[p.id] = p
        for pid in sorted(members):
            add(members[pid], "lodge", body)
        lodges.append({"lodge": body, "members": sorted(m.number for m in members.values())})
    world.truth["lodges"] = lodges

    for p in current:
        roll = rng.random()
        if roll < 0.03:
            add(p, "business", f"{p.family} {BUSINESS[between(rng, 0, len(BUSINESS))]} Ltd")
        elif roll < 0.045:
            add(p, "other", OTHER[between(rng, 0, len(OTHER))])

    # Relationships at work: pairs in the same unit, each declaring the other.
    by_unit: dict[int, list[Person]] = {}
    for p in current:
        by_unit.setdefault(p.unit, []).append(p)
    for _ in range(len(current) // 150):
        p = current[between(rng, 0, len(current))]
        colleagues = by_unit[p.unit]
        q = colleagues[between(rng, 0, len(colleagues))]
        if q.id == p.id:
            continue
        on = between(rng, max(p.joined, q.joined, cfg.start), cfg.end + 1)
        add(p, "relationship", "Relationship with a colleague", q.id, on)
        add(q, "relationship", "Relationship with a colleague", p.id, on)
