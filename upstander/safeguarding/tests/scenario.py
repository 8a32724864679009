"""A small force with ordinary HR history, ten staff reporters and three of them retaliated against, made through
the real roster import and the real reporter-side report path. Deterministic (seeded)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from upstander.people.models import Person
from upstander.people.tests.roster import load_roster
from upstander.safeguarding.tests.helpers import staff_report

REPORTED_ON = date(2023, 6, 1)
AS_OF = date(2024, 12, 1)
UNITS = ["NORTH", "SOUTH"]


@dataclass
class Scenario:
    reporters: list[Person]
    retaliated: list[Person]
    people: dict[str, Person]


def _day(rng: random.Random, start: date, end: date) -> str:
    return (start + timedelta(days=rng.randrange((end - start).days))).isoformat()


def build(seed: int = 7, size: int = 200) -> Scenario:
    rng = random.Random(seed)
    units = [{"unit_code": u, "unit_name": f"{u.title()} BCU", "command_code": "FP", "command_name": "Frontline"}
             for u in UNITS]
    teams = [{"team_code": f"{u}-{t}", "team_name": f"{u.title()} team {t}", "unit_code": u, "shift_code": f"S{t}"}
             for u in UNITS for t in range(5)]
    people, events = [], []
    sergeants = {team["team_code"]: f"S{i:03d}" for i, team in enumerate(teams)}
    for team in teams:
        people.append({"number": sergeants[team["team_code"]], "kind": "officer", "given_name": "Sam",
                       "family_name": f"Sergeant{team['team_code']}", "rank": "Sergeant", "joined_on": "2005-01-01",
                       "unit_code": team["unit_code"], "team_code": team["team_code"], "ethnicity": "white_british",
                       "sex": "male"})
    for i in range(size):
        team = teams[i % len(teams)]
        number = f"P{i:04d}"
        people.append({"number": number, "kind": "officer", "given_name": "Alex", "family_name": f"Officer{i}",
                       "rank": "Constable", "joined_on": _day(rng, date(2008, 1, 1), date(2020, 1, 1)),
                       "unit_code": team["unit_code"], "team_code": team["team_code"],
                       "line_manager_number": sergeants[team["team_code"]], "ethnicity": "white_british",
                       "sex": rng.choice(["female", "male"])})
        for year in range(2020, 2025):
            events.append({"event_ref": f"R-{number}-{year}", "number": number, "kind": "performance_rating",
                           "occurred_on": f"{year}-04-30", "rating": str(rng.choice([3, 3, 3, 4, 4, 2]))})
        for k in range(rng.randrange(0, 4)):
            events.append({"event_ref": f"S-{number}-{k}", "number": number, "kind": "sickness",
                           "occurred_on": _day(rng, date(2020, 1, 1), AS_OF), "days": str(rng.randrange(1, 10))})
        if rng.random() < 0.15:
            events.append({"event_ref": f"T-{number}", "number": number, "kind": "transfer",
                           "occurred_on": _day(rng, date(2020, 1, 1), AS_OF), "outcome": "requested",
                           "to_unit": team["unit_code"]})
        if rng.random() < 0.06:
            events.append({"event_ref": f"I-{number}", "number": number, "kind": "transfer",
                           "occurred_on": _day(rng, date(2020, 1, 1), AS_OF), "outcome": "not_requested",
                           "to_unit": team["unit_code"]})
        if rng.random() < 0.1:
            events.append({"event_ref": f"D-{number}", "number": number, "kind": "development",
                           "occurred_on": _day(rng, date(2020, 1, 1), AS_OF),
                           "outcome": rng.choice(["selected", "not_selected"])})
    # Three of the first ten (the reporters) are retaliated against after they report.
    for i in range(3):
        number = f"P{i:04d}"
        events += [
            {"event_ref": f"X1-{number}", "number": number, "kind": "transfer", "occurred_on": "2023-09-01",
             "outcome": "not_requested", "to_unit": "SOUTH", "initiated_by_number": sergeants[teams[i]["team_code"]]},
            {"event_ref": f"X2-{number}", "number": number, "kind": "promotion_board", "occurred_on": "2024-02-01",
             "outcome": "not_promoted"},
            {"event_ref": f"X3-{number}", "number": number, "kind": "grievance_against", "occurred_on": "2024-03-15"},
        ]
    load_roster({"units": units, "teams": teams, "people": people, "hr_events": events}, as_of=date(2020, 1, 1))
    by_number = {p.number: p for p in Person.objects.all()}
    reporters = [by_number[f"P{i:04d}"] for i in range(10)]
    for i, reporter in enumerate(reporters):
        subject = by_number[f"P{i + 10:04d}"]  # a teammate (same team index modulo 10)
        staff_report(reporter, subject, ("bullying",), received_on=REPORTED_ON)
    return Scenario(reporters, reporters[:3], by_number)
