"""The synthetic world in memory, before it is written: plain slotted objects and row lists keyed by table.

Primary keys are assigned here (from an offset above whatever the tables already hold), so rows can refer to each
other without reading anything back from the database. Dates are ordinals, datetimes "moments" (see ids.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

from upstander.people.choices import OFFICER_RANKS, STAFF_GRADES, ethnic_group
from upstander.worldgen.config import WorldConfig


@dataclass(slots=True)
class Unit:
    id: int
    code: str
    name: str
    command: int
    location: int
    kind: str  # bcu | specialist | operations | psu | exec
    head: int | None = None


@dataclass(slots=True)
class Team:
    id: int
    code: str
    name: str
    unit: int
    shift: int
    location: int
    kind: str  # officer | staff | slt


@dataclass(slots=True)
class Person:
    id: int
    public_id: str
    number: str
    kind: str  # officer | staff
    level: int  # index into OFFICER_RANKS or STAFF_GRADES
    given: str
    family: str
    sex: str
    ethnicity: str
    orientation: str
    religion: str
    disability: str
    birth_year: int
    joined: int
    unit: int
    team: int
    location: int
    shift: int
    manager: int | None = None
    known_as: str = ""
    left: int | None = None
    leaving_reason: str = ""
    # (start ordinal, unit id, team id), ascending; each stint ends where the next starts (or at `left`).
    stints: list[tuple[int, int, int]] = field(default_factory=list)
    stable: bool = False  # planted: keep in one team throughout (no background transfers)
    manages: bool = False

    @property
    def rank(self) -> str:
        return OFFICER_RANKS[self.level] if self.kind == "officer" else STAFF_GRADES[self.level]

    @property
    def group(self) -> str | None:
        return ethnic_group(self.ethnicity)

    def employed_on(self, ordinal: int) -> bool:
        return self.joined <= ordinal and (self.left is None or ordinal < self.left)

    def team_on(self, ordinal: int) -> int | None:
        if not self.employed_on(ordinal) or not self.stints:
            return None
        at = bisect_right([s[0] for s in self.stints], ordinal) - 1
        return self.stints[max(at, 0)][2]

    def unit_on(self, ordinal: int) -> int | None:
        if not self.employed_on(ordinal) or not self.stints:
            return None
        at = bisect_right([s[0] for s in self.stints], ordinal) - 1
        return self.stints[max(at, 0)][1]


class World:
    """Everything generated, plus the truth being assembled alongside it."""

    def __init__(self, cfg: WorldConfig, offsets: dict[str, int]) -> None:
        self.cfg = cfg
        self._next = dict(offsets)
        self._counters: dict[str, Iterator[int]] = {}
        self.commands: list[tuple[int, str, str]] = []
        self.locations: list[tuple[int, str, str]] = []
        self.shifts: list[tuple[int, str, str]] = []
        self.units: list[Unit] = []
        self.teams: list[Team] = []
        self.people: list[Person] = []
        self.by_id: dict[int, Person] = {}
        self.unit_by_id: dict[int, Unit] = {}
        self.team_by_id: dict[int, Team] = {}
        self.psu: Unit | None = None
        # Rows for the case tables and the derived HR events, appended by the case builder and the planters.
        self.rows: dict[str, list[tuple]] = defaultdict(list)
        self.truth: dict = {}
        # (true subject id, received day, severity, internally raised): one per subject per assessed case
        self.allegation_log: list[tuple[int, int, str, bool]] = []
        # Background misconduct allegations against officers (background.py): [drawn, assessed by the end date].
        self.misconduct_draws: list[int] = [0, 0]
        # Case codes of the planted cases whose full lists the truth derives from the data.
        self.planted_alongside: list[str] = []
        self.planted_resigned: list[str] = []
        self.planted_handovers: list[str] = []

    def next_id(self, table: str) -> int:
        counter = self._counters.get(table)
        if counter is None:
            counter = self._counters[table] = count(self._next.get(table, 0) + 1)
        return next(counter)

    @property
    def psu_unit(self) -> Unit:
        assert self.psu is not None, "the organisation is built first"
        return self.psu

    def add_person(self, person: Person) -> None:
        self.people.append(person)
        self.by_id[person.id] = person

    def current(self) -> list[Person]:
        return [p for p in self.people if p.left is None]

    def members_index(self) -> dict[int, list[tuple[int, int, int]]]:
        """team id -> [(person id, start, end)] over all time, for "who was in this team on that day"."""
        index: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for p in self.people:
            end_of_employment = p.left if p.left is not None else self.cfg.end + 1
            for i, (start, _unit, team) in enumerate(p.stints):
                end = p.stints[i + 1][0] if i + 1 < len(p.stints) else end_of_employment
                index[team].append((p.id, start, end))
        return index
