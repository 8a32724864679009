"""The roster: organisation, people, unit history, HR events and declared associations."""

from __future__ import annotations

import uuid

from django.db import models

from upstander.people.choices import (
    AssociationKind,
    Disability,
    Ethnicity,
    HREventKind,
    HROutcome,
    LeavingReason,
    Religion,
    Sex,
    SexualOrientation,
    StaffKind,
)


class Command(models.Model):
    """Top of the organisation: e.g. Frontline Policing, Specialist Operations, Professionalism."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An operational unit (borough command unit, specialist unit, professional standards …)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    command = models.ForeignKey(Command, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT)
    is_professional_standards = models.BooleanField(default=False)
    head = models.ForeignKey("Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    code = models.CharField(max_length=48, unique=True)
    name = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.PROTECT)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT)

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member of the force (officer or staff). Identified publicly by `public_id`, never by pk."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=StaffKind.choices)
    number = models.CharField("warrant or staff number", max_length=32, unique=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    rank = models.CharField("rank or grade", max_length=64)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=32, choices=LeavingReason.choices, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT)
    shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.PROTECT)
    line_manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    # Protected characteristics: ethnicity and sex always asked; the others optional, with "prefer not to say".
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices)
    sex = models.CharField(max_length=24, choices=Sex.choices)
    sexual_orientation = models.CharField(max_length=24, choices=SexualOrientation.choices, blank=True)
    religion = models.CharField(max_length=24, choices=Religion.choices, blank=True)
    disability = models.CharField(max_length=24, choices=Disability.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_name"]), models.Index(fields=["unit", "team"])]

    def __str__(self) -> str:
        return f"{self.rank} {self.given_name} {self.family_name} ({self.number})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def chain_of_command(self, limit: int = 20) -> list[Person]:
        """Line managers upwards (nearest first); bounded so a cycle in imported data cannot loop."""
        chain: list[Person] = []
        current = self.line_manager
        seen = {self.pk}
        while current is not None and current.pk not in seen and len(chain) < limit:
            chain.append(current)
            seen.add(current.pk)
            current = current.line_manager
        return chain


class UnitHistory(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="unit_history")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "started_on"])]


class HREvent(models.Model):
    """Something HR recorded about a person. `initiated_by` matters for transfers (asked for or not)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hr_events")
    kind = models.CharField(max_length=32, choices=HREventKind.choices)
    occurred_on = models.DateField()
    outcome = models.CharField(max_length=24, choices=HROutcome.choices, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # performance rating 1 (low) – 5 (high)
    days = models.PositiveIntegerField(null=True, blank=True)  # sickness absence length
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    initiated_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    leaving_reason = models.CharField(max_length=32, choices=LeavingReason.choices, blank=True)
    source_ref = models.CharField(max_length=64, blank=True)  # id in the HR system, for idempotent re-import

    class Meta:
        indexes = [models.Index(fields=["person", "occurred_on"]), models.Index(fields=["kind", "occurred_on"])]


class DeclaredAssociation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="associations")
    kind = models.CharField(max_length=24, choices=AssociationKind.choices)
    # The body, business or (for relationships) a description; two people share an association when the
    # normalised `body` matches, or when a relationship names the other person.
    body = models.CharField(max_length=200)
    counterpart = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    declared_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "body"])]
