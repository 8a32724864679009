"""The co-location check and the separation figures, computed from the roster as it is now (no stored flags).

Who needs separating: on an allegation in a category marked `separation = true` (policy/categories.toml) against a
colleague on the roster, each staff reporter of the case (cases.ReporterLink) and each victim recorded on it
(ProtectedParty) is compared with the subject: same team, shift, line manager or location, or one in the other's
chain of command. The risk, default plan and deadline come from policy/safeguarding.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from upstander.cases.models import ReporterLink
from upstander.lib import clock, policy
from upstander.people.models import Person
from upstander.safeguarding.models import PartyRole, ProtectedParty, Risk, SafeguardingTask

FACTOR_LABELS = {
    "subject_manages": "the subject is in their chain of command",
    "team": "the same team",
    "line_manager": "the same line manager",
    "shift": "the same shift",
    "victim_manages": "they are in the subject's chain of command",
    "location": "the same place of work",
}
RISK_ORDER = {Risk.LOW: 0, Risk.MEDIUM: 1, Risk.HIGH: 2}


def settings() -> dict[str, Any]:
    return policy.load("safeguarding")["separation"]


def separation_categories() -> set[str]:
    return {c["key"] for c in policy.categories() if c.get("separation")}


def _shift_id(p: Person) -> int | None:
    return p.shift_id or (p.team.shift_id if p.team_id and p.team else None)


def _location_id(p: Person) -> int | None:
    if p.location_id:
        return p.location_id
    if p.team_id and p.team and p.team.location_id:
        return p.team.location_id
    return p.unit.location_id if p.unit_id else None


def serving(p: Person, on: date | None = None) -> bool:
    on = on or clock.today()
    return p.left_on is None or p.left_on > on


def shared_factors(person: Person, subject: Person) -> list[str]:
    """What the two share in the roster now, most serious first. Empty when either has left."""
    if person.pk == subject.pk or not serving(person) or not serving(subject):
        return []
    found = []
    if subject in person.chain_of_command():
        found.append("subject_manages")
    if person.team_id and person.team_id == subject.team_id:
        found.append("team")
    if person.line_manager_id and person.line_manager_id == subject.line_manager_id:
        found.append("line_manager")
    location = _location_id(person)
    same_place = bool(location and location == _location_id(subject))
    shift = _shift_id(person)
    # The same shift pattern matters only where they work: in the same unit or at the same place.
    if shift and shift == _shift_id(subject) and (same_place or person.unit_id == subject.unit_id):
        found.append("shift")
    if person in subject.chain_of_command():
        found.append("victim_manages")
    if same_place:
        found.append("location")
    return found


@dataclass(frozen=True)
class Assessment:
    risk: str
    plan: str
    factors: list[str]
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"risk": self.risk, "factors": self.factors, "reasons": self.reasons}


def assess(category: str, factors: list[str]) -> Assessment:
    """The risk assessment: the highest risk of the category and of each shared factor, and the default plan for it
    (which moves or restricts the subject, never the victim)."""
    conf = settings()
    levels = [(conf["category_risk"].get(category, Risk.LOW), f"the allegation is of {category.replace('_', ' ')}")]
    levels += [(conf["factor_risk"].get(f, Risk.LOW), FACTOR_LABELS.get(f, f)) for f in factors]
    risk = max((level for level, _ in levels), key=lambda r: RISK_ORDER[Risk(r)])
    reasons = [f"{why} ({level} risk)" for level, why in levels]
    return Assessment(risk=risk, plan=conf["default_plan"][risk], factors=factors, reasons=reasons)


def due_on(task: SafeguardingTask) -> date:
    """The task's clock: the plan should be in place by this day (derived, never stored)."""
    return task.opened_on + timedelta(days=int(settings()["due_days"][task.risk]))


def is_overdue(task: SafeguardingTask, today: date | None = None) -> bool:
    return task.resolved_on is None and due_on(task) < (today or clock.today())


def protected_people(case) -> list[tuple[Person, str]]:
    """(person, role) for each staff reporter of the case and each victim recorded on it."""
    found: dict[int, tuple[Person, str]] = {}
    for link in ReporterLink.objects.filter(report__case=case).select_related("person", "report"):
        role = "victim" if link.report.reporter_role == "victim" else "reporter"
        found.setdefault(link.person_id, (link.person, role))
    for party in ProtectedParty.objects.filter(case=case, role=PartyRole.VICTIM).select_related("person"):
        found[party.person_id] = (party.person, "victim")
    return list(found.values())


@dataclass(frozen=True)
class StillTogether:
    task: SafeguardingTask
    factors: list[str]


def victims_alongside_subject(*, include_chosen: bool = False) -> list[StillTogether]:
    """Open separation tasks whose victim (or reporter) still shares a team, shift, line manager or location with
    the subject in today's roster. A task resolved with them together at the victim's wish counts only with
    `include_chosen`."""
    wanted = Q(resolved_on__isnull=True) | Q(together_by_choice=True) if include_chosen else Q(resolved_on__isnull=True)
    tasks = SafeguardingTask.objects.filter(wanted)
    related = ("person__team", "person__unit", "person__line_manager", "subject__team", "subject__unit",
               "subject__line_manager")
    out = []
    for task in tasks.select_related(*related).order_by("opened_on", "pk"):
        factors = shared_factors(task.person, task.subject)
        if factors:
            out.append(StillTogether(task, factors))
    return out


def victims_alongside_subject_count() -> int:
    """The overseer's figure: victims still working alongside the colleague they accused, with separation open."""
    return len(victims_alongside_subject())
