"""Write a validated `RosterBatch` as an upsert keyed on unit code, team code, warrant/staff number and HR event
source_ref. Called only from `do_import_roster`, inside its transaction.

A row's columns are authoritative: a value replaces the stored one, a blank clears it; a column the file does not
have leaves the stored value alone. Writing the same batch twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import models

from upstander.people.models import Command, HREvent, Location, Person, Shift, Team, Unit, UnitHistory
from upstander.people.validate import CleanRow, RosterBatch

BATCH = 500


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    tables: dict[str, TableCounts] = field(default_factory=dict)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(c).copy() for name, c in self.tables.items()}

    def summary(self) -> str:
        return "; ".join(f"{name}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
                         for name, c in self.tables.items())


def _stored(model: type[models.Model], name: str, value: Any) -> Any:
    """The value a field stores for `value`: a blank text field is "", a blank flag False."""
    if value is not None:
        return value
    django_field = model._meta.get_field(name.removesuffix("_id"))
    if isinstance(django_field, models.BooleanField):
        return False
    if isinstance(django_field, models.CharField | models.TextField):
        return ""
    return None


def _apply(obj: models.Model, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        value = _stored(type(obj), name, value)
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


class _Named:
    """Commands, locations and shifts: created from their code when first seen; a name given renames them."""

    def __init__(self, model: type[Command] | type[Location] | type[Shift]):
        self.model = model
        self.by_code = {o.code: o for o in model.objects.all()}

    def id_for(self, code: str | None, name: str | None = None) -> int | None:
        if not code:
            return None
        obj = self.by_code.get(code)
        if obj is None:
            obj = self.model.objects.create(code=code, name=name or code)
            self.by_code[code] = obj
        elif name and obj.name != name:
            obj.name = name
            obj.save(update_fields=["name"])
        return obj.pk


class RosterWriter:
    def __init__(self, batch: RosterBatch):
        self.batch = batch
        self.result = ImportResult()
        self.commands, self.locations, self.shifts = _Named(Command), _Named(Location), _Named(Shift)
        self.unit_ids: dict[str, int] = {}
        self.team_ids: dict[str, int] = {}
        self.person_ids: dict[str, int] = {}
        self.changed: dict[str, set[str]] = {t: set() for t in batch.tables}
        self.created: dict[str, set[str]] = {t: set() for t in batch.tables}

    def run(self) -> ImportResult:
        self._units()
        self._teams()
        self._people()
        self._unit_links()
        self._events()
        for name in self.batch.tables:
            created, updated = len(self.created[name]), len(self.changed[name] - self.created[name])
            self.result.tables[name] = TableCounts(created, updated, len(self.batch.tables[name]) - created - updated)
        return self.result

    # --- lookups ---------------------------------------------------------------------------------------------

    def _ids(self, model: type[models.Model], key: str, codes: Iterable[str | None],
             cache: dict[str, int]) -> dict[str, int]:
        wanted = {c for c in codes if c and c not in cache}
        if wanted:
            cache.update(dict(model._default_manager.filter(**{f"{key}__in": wanted}).values_list(key, "pk")))
        return cache

    def _unit(self, code: str | None) -> int | None:
        return self._ids(Unit, "code", {code}, self.unit_ids)[code] if code else None

    def _team(self, code: str | None) -> int | None:
        return self._ids(Team, "code", {code}, self.team_ids)[code] if code else None

    def _person(self, number: str | None) -> int | None:
        return self._ids(Person, "number", {number}, self.person_ids)[number] if number else None

    # --- generic upsert ----------------------------------------------------------------------------------------

    def _upsert(self, table: str, model: type[models.Model], key_field: str, fields_of) -> dict[str, models.Model]:
        rows = self.batch.tables[table]
        existing = {getattr(o, key_field): o for o in model._default_manager.filter(**{f"{key_field}__in": list(rows)})}
        new, changed = [], []
        for key, row in rows.items():
            fields = fields_of(row)
            obj = existing.get(key)
            if obj is None:
                obj = model(**{key_field: key})
                _apply(obj, fields)
                new.append(obj)
                existing[key] = obj
                self.created[table].add(key)
            elif _apply(obj, fields):
                changed.append(obj)
                self.changed[table].add(key)
        model._default_manager.bulk_create(new, batch_size=BATCH)
        if changed:
            update_fields = sorted({n for r in rows.values() for n in fields_of(r)})
            model._default_manager.bulk_update(changed, update_fields, batch_size=BATCH)
        return existing

    # --- tables --------------------------------------------------------------------------------------------------

    def _units(self) -> None:
        def fields_of(row: CleanRow) -> dict[str, Any]:
            v = row.values
            out: dict[str, Any] = {"name": v["unit_name"], "command_id": self.commands.id_for(v["command_code"],
                                                                                             v.get("command_name"))}
            if "location_code" in v:
                out["location_id"] = self.locations.id_for(v["location_code"], v.get("location_name"))
            if "professional_standards" in v:
                out["is_professional_standards"] = v["professional_standards"]
            return out

        units = self._upsert("units", Unit, "code", fields_of)
        self.unit_ids.update({code: u.pk for code, u in units.items()})

    def _teams(self) -> None:
        def fields_of(row: CleanRow) -> dict[str, Any]:
            v = row.values
            out: dict[str, Any] = {"name": v["team_name"], "unit_id": self._unit(v["unit_code"])}
            if "shift_code" in v:
                out["shift_id"] = self.shifts.id_for(v["shift_code"], v.get("shift_name"))
            if "location_code" in v:
                out["location_id"] = self.locations.id_for(v["location_code"], v.get("location_name"))
            return out

        teams = self._upsert("teams", Team, "code", fields_of)
        self.team_ids.update({code: t.pk for code, t in teams.items()})

    PERSON_FIELDS = ("kind", "given_name", "family_name", "known_as", "rank", "birth_year", "joined_on", "left_on",
                     "leaving_reason", "ethnicity", "sex", "sexual_orientation", "religion", "disability")

    def _people(self) -> None:
        rows = self.batch.tables["people"]
        before = dict(Person.objects.filter(number__in=list(rows)).values_list("number", "unit_id"))
        before_team = dict(Person.objects.filter(number__in=list(rows)).values_list("number", "team_id"))
        self._ids(Team, "code", {r.values.get("team_code") for r in rows.values()}, self.team_ids)
        self._ids(Unit, "code", {r.values["unit_code"] for r in rows.values()}, self.unit_ids)

        def fields_of(row: CleanRow) -> dict[str, Any]:
            v = row.values
            out: dict[str, Any] = {name: v[name] for name in self.PERSON_FIELDS if name in v}
            out["unit_id"] = self._unit(v["unit_code"])
            if "team_code" in v:
                out["team_id"] = self._team(v["team_code"])
            if "location_code" in v:
                out["location_id"] = self.locations.id_for(v["location_code"])
            if "shift_code" in v:
                out["shift_id"] = self.shifts.id_for(v["shift_code"])
            return out

        people = cast(dict[str, Person], self._upsert("people", Person, "number", fields_of))
        self.person_ids.update({n: p.pk for n, p in people.items()})
        self._line_managers(people)
        self._history(people, before, before_team)

    def _line_managers(self, people: dict[str, Person]) -> None:
        rows = self.batch.tables["people"]
        self._ids(Person, "number", {r.values.get("line_manager_number") for r in rows.values()}, self.person_ids)
        changed = []
        for number, row in rows.items():
            if "line_manager_number" not in row.values:
                continue
            person = people[number]
            if _apply(person, {"line_manager_id": self._person(row.values["line_manager_number"])}):
                changed.append(person)
                self.changed["people"].add(number)
        Person.objects.bulk_update(changed, ["line_manager"], batch_size=BATCH)

    def _history(self, people: dict[str, Person], before_unit: dict[str, int], before_team: dict[str, int]) -> None:
        """Open a unit-history row for a new person; close and reopen it (on the import's as-of date) when an
        existing person's unit or team changes."""
        as_of = self.batch.as_of
        new_rows = []
        for number, person in people.items():
            if number not in before_unit:
                new_rows.append(UnitHistory(person=person, unit_id=person.unit_id, team_id=person.team_id,
                                            started_on=person.joined_on))
            elif before_unit[number] != person.unit_id or before_team.get(number) != person.team_id:
                UnitHistory.objects.filter(person=person, ended_on__isnull=True).update(ended_on=as_of)
                new_rows.append(UnitHistory(person=person, unit_id=person.unit_id, team_id=person.team_id,
                                            started_on=as_of))
        UnitHistory.objects.bulk_create(new_rows, batch_size=BATCH)

    def _unit_links(self) -> None:
        """A unit's parent and head, once every unit and person of the import exists."""
        rows = self.batch.tables["units"]
        units = {u.code: u for u in Unit.objects.filter(code__in=list(rows))}
        self._ids(Person, "number", {r.values.get("head_number") for r in rows.values()}, self.person_ids)
        changed = []
        for code, row in rows.items():
            fields: dict[str, Any] = {}
            if "parent_code" in row.values:
                fields["parent_id"] = self._unit(row.values["parent_code"])
            if "head_number" in row.values:
                fields["head_id"] = self._person(row.values["head_number"])
            if _apply(units[code], fields):
                changed.append(units[code])
                self.changed["units"].add(code)
        if changed:
            Unit.objects.bulk_update(changed, ["parent", "head"], batch_size=BATCH)

    def _events(self) -> None:
        rows = self.batch.tables["hr_events"]
        self._ids(Person, "number", {r.values["number"] for r in rows.values()}
                  | {r.values.get("initiated_by_number") for r in rows.values()}, self.person_ids)
        self._ids(Unit, "code", {r.values.get("from_unit") for r in rows.values()}
                  | {r.values.get("to_unit") for r in rows.values()}, self.unit_ids)

        def fields_of(row: CleanRow) -> dict[str, Any]:
            v = row.values
            out: dict[str, Any] = {"person_id": self._person(v["number"]), "kind": v["kind"],
                                   "occurred_on": v["occurred_on"]}
            for name in ("outcome", "rating", "days", "leaving_reason"):
                if name in v:
                    out[name] = v[name]
            if "from_unit" in v:
                out["from_unit_id"] = self._unit(v["from_unit"])
            if "to_unit" in v:
                out["to_unit_id"] = self._unit(v["to_unit"])
            if "initiated_by_number" in v:
                out["initiated_by_id"] = self._person(v["initiated_by_number"])
            return out

        self._upsert("hr_events", HREvent, "source_ref", fields_of)
