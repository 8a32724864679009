"""Fixtures of the reporter side's tests. The reporter journeys themselves are shared (upstander/testing/journeys.py)."""

from __future__ import annotations

import pytest

from upstander.testing.journeys import (  # noqa: F401  (fixtures and helpers for these tests)
    Answers,
    Journey,
    come_back,
    receipt_in,
    report_for,
    reporter,
)


@pytest.fixture
def roster_person(db):
    """A roster entry through the real CSV import (people.importing), for matching a staff reporter."""

    def make(*, number: str, given: str, family: str):
        import csv
        import tempfile
        from pathlib import Path

        from upstander.audit.log import Actor
        from upstander.people.importing import import_files
        from upstander.people.models import Person

        folder = Path(tempfile.mkdtemp(prefix="roster-"))
        units = folder / "units.csv"
        people = folder / "people.csv"
        with open(units, "w", newline="") as fh:
            csv.writer(fh).writerows([["unit_code", "unit_name", "command_code", "command_name",
                                       "professional_standards"], ["SB", "South Borough", "FRONT", "Frontline", "false"]])
        with open(people, "w", newline="") as fh:
            csv.writer(fh).writerows([
                ["number", "kind", "given_name", "family_name", "rank", "joined_on", "unit_code", "line_manager_number",
                 "ethnicity", "sex"],
                [number, "officer", given, family, "Constable", "2015-01-01", "SB", "", "white_british", "female"]])
        outcome = import_files([units, people], actor=Actor.system("import"))
        assert outcome.ok, outcome.as_dict()
        return Person.objects.get(number=number)

    return make
