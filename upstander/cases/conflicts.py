"""Independent assessors: who may not own, assess, investigate or decide a case, why, and who may know why.

A person is not independent of a case when they are a subject or the reporter, are named in the case, are in the
chain of command of a subject or of the reporter, work in the same operational unit as a subject or the reporter,
or share a declared association with a subject — unless the overseer has recorded an override with reasons
(ConflictOverride) for that person and role.

Nothing derived from a confidential or anonymous reporter's identity may reach the force (issue 11): that a
colleague reported the matter, works beside or under the reporter, or was named by them all point at who spoke up.
So the refusal the force sees says only that a conflict rule stops the assignment, for every rule alike (a plain
refusal for the reporter's rules alone would point at the reporter by elimination), and what to do next. The full
reasons are recorded for the overseer only: an audit event `case.conflict_refused` written in its own transaction
(the refused assignment itself rolls back), read back through `findings_for()`, which refuses anyone else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.accounts.models import Role, User
from upstander.audit.log import record
from upstander.audit.models import AuditEvent
from upstander.cases.models import ConflictOverride, ReporterLink, SubjectMention
from upstander.cases.permissions import Refused
from upstander.people.associations import shared_associations
from upstander.people.models import Person

REFUSAL = ("Refused: a conflict-of-interest rule stops this assignment. Choose someone else, or ask the independent "
           "overseer to record an override with reasons if this person must take it.")
FINDING = "case.conflict_refused"  # the audit action that keeps the reasons, for the overseer


@dataclass(frozen=True)
class Conflict:
    code: str
    reason: str


class ConflictOfInterest(Refused):
    """The refusal the force sees: the same words whatever the conflict and whoever it concerns."""

    def __init__(self) -> None:
        super().__init__(REFUSAL)


class ConflictFound(Exception):
    """Raised inside an assignment's transaction; the action records the finding after the rollback and refuses
    with ConflictOfInterest. Never shown to anyone as it is."""

    def __init__(self, person: Person, role: str, conflicts: list[Conflict]):
        super().__init__("conflict of interest")
        self.person, self.role, self.conflicts = person, role, conflicts


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _case_people(case):
    """(subjects, reporters, named) roster people of the case."""
    subjects = {a.subject for a in case.allegations.select_related("subject__unit", "subject__line_manager") if a.subject}
    mention_ids = SubjectMention.objects.filter(report__case=case, person__isnull=False).values_list("person_id", flat=True)
    named = set(Person.objects.filter(id__in=list(mention_ids)).select_related("unit")) | subjects
    reporter_ids = ReporterLink.objects.filter(report__case=case).values_list("person_id", flat=True)
    reporters = set(Person.objects.filter(id__in=list(reporter_ids)).select_related("unit", "line_manager"))
    return subjects, reporters, named


def _named_as_written(case, person) -> bool:
    """An unresolved mention whose written number or full name is this person's."""
    full = _norm(f"{person.given_name} {person.family_name}")
    for name, number in SubjectMention.objects.filter(report__case=case).values_list("name_as_written", "number_as_written"):
        if number and _norm(number) == _norm(person.number):
            return True
        if name and _norm(name) == full:
            return True
    return False


def conflicts_for(case, person) -> list[Conflict]:
    """Every reason `person` is not independent of `case` (empty: independent). For the overseer's eyes only."""
    subjects, reporters, named = _case_people(case)
    found: list[Conflict] = []
    if person in subjects:
        found.append(Conflict("subject", "they are a subject of an allegation in this case"))
    if person in reporters:
        found.append(Conflict("reporter", "they reported this matter"))
    if person not in subjects and (person in named or _named_as_written(case, person)):
        found.append(Conflict("named", "they are named in the case"))
    for subject in sorted(subjects - {person}, key=lambda p: p.pk):
        chain = subject.chain_of_command()
        if person in chain:
            found.append(Conflict("subject_chain", f"they are in the chain of command of the subject {subject.full_name} "
                                                   f"({chain.index(person) + 1} level(s) up)"))
        if person.unit_id == subject.unit_id:
            found.append(Conflict("subject_unit", f"they work in the same operational unit ({subject.unit.name}) as the "
                                                  f"subject {subject.full_name}"))
        for association in shared_associations(person, subject):
            found.append(Conflict("association", f"they share {association} with the subject {subject.full_name}"))
    for reporter in sorted(reporters - {person}, key=lambda p: p.pk):
        if person in reporter.chain_of_command():
            found.append(Conflict("reporter_chain", "they are in the reporter's chain of command"))
        if person.unit_id == reporter.unit_id:
            found.append(Conflict("reporter_unit", "they work in the same operational unit as the reporter"))
    return found


def require_independent(case, person, role: str) -> str:
    """Raise ConflictFound unless the person is independent or the overseer overrode the conflicts for this case
    and role. Returns the overseer's recorded reasons when they did ("" when there was no conflict)."""
    found = conflicts_for(case, person)
    if not found:
        return ""
    override = ConflictOverride.objects.filter(case=case, person=person, role=role).order_by("-at").first()
    if override is None:
        raise ConflictFound(person, role, found)
    return override.reasons or "(overridden)"


def record_finding(actor, case, found: ConflictFound) -> None:
    """Keep the full reasons of a refused assignment for the overseer, in a transaction of its own."""
    reasons = "; ".join(c.reason for c in found.conflicts)
    with transaction.atomic():
        record(actor, FINDING, case, reason=f"{found.role} {found.person.full_name} ({found.person.number}): {reasons}")


@dataclass(frozen=True)
class Finding:
    at: datetime
    by: str
    reasons: str


def may_read_findings(actor) -> bool:
    return isinstance(actor, User) and actor.is_authenticated and actor.role == Role.OVERSEER


def findings_for(actor, case) -> list[Finding]:
    """The reasons behind every conflict refusal on this case, newest first: the overseer's only (PermissionDenied
    for anyone else), since they can name or point at the reporter."""
    if not may_read_findings(actor):
        raise PermissionDenied
    events = AuditEvent.objects.filter(action=FINDING, object_id=str(case.public_id)).order_by("-id")
    return [Finding(at=e.at, by=e.actor, reasons=e.reason) for e in events]
