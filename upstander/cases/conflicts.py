"""Independent assessors: who may not assess, investigate or decide a case, and why.

A person is refused when they are a subject or the reporter, are named in the case, are in the chain of command of
a subject or of the reporter, work in the same operational unit as a subject or the reporter, or share a declared
association with a subject — unless the overseer has recorded an override with reasons (ConflictOverride).
The reporter is never named in a refusal: the link from a report to a staff reporter is protected (DESIGN.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from upstander.people.associations import shared_associations


@dataclass(frozen=True)
class Conflict:
    code: str
    reason: str


class ConflictOfInterest(PermissionDenied):
    def __init__(self, message: str, conflicts: list[Conflict]):
        super().__init__(message)
        self.conflicts = conflicts


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _case_people(case):
    """(subjects, reporters, named) roster people of the case."""
    from upstander.cases.models import ReporterLink, SubjectMention
    from upstander.people.models import Person

    subjects = {a.subject for a in case.allegations.select_related("subject__unit", "subject__line_manager") if a.subject}
    mention_ids = SubjectMention.objects.filter(report__case=case, person__isnull=False).values_list("person_id", flat=True)
    named = set(Person.objects.filter(id__in=list(mention_ids)).select_related("unit")) | subjects
    reporter_ids = ReporterLink.objects.filter(report__case=case).values_list("person_id", flat=True)
    reporters = set(Person.objects.filter(id__in=list(reporter_ids)).select_related("unit", "line_manager"))
    return subjects, reporters, named


def _named_as_written(case, person) -> bool:
    """An unresolved mention whose written number or full name is this person's."""
    from upstander.cases.models import SubjectMention

    full = _norm(f"{person.given_name} {person.family_name}")
    for name, number in SubjectMention.objects.filter(report__case=case).values_list("name_as_written", "number_as_written"):
        if number and _norm(number) == _norm(person.number):
            return True
        if name and _norm(name) == full:
            return True
    return False


def conflicts_for(case, person) -> list[Conflict]:
    """Every reason `person` is not independent of `case` (empty: independent)."""
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


def check_independent(case, person, role_label: str) -> list[Conflict]:
    """Raise ConflictOfInterest unless the person is independent or the overseer overrode these conflicts for this
    case and role. Returns the overridden conflicts (empty when there were none)."""
    from upstander.cases.models import ConflictOverride

    found = conflicts_for(case, person)
    if not found:
        return []
    if ConflictOverride.objects.filter(case=case, person=person, role=role_label).exists():
        return found
    raise ConflictOfInterest(
        f"Refused: {person.full_name} cannot be the {role_label.replace('_', '-')} on this case because "
        + "; ".join(c.reason for c in found) + ". The overseer may record an override with reasons.", found)
