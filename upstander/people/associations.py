"""Declared interests as the conflict rules see them: what two people share.

Two people share an association when both declared the same body (lodge, business, other) — compared after
normalising case, punctuation, a leading "the" and common suffixes such as "Ltd" or "No. 123" spelled differently —
or when either declared a relationship at work naming the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from upstander.people.choices import AssociationKind
from upstander.people.models import DeclaredAssociation, Person

_SUFFIXES = re.compile(r"\b(ltd|limited|plc|llp|inc|co)\b")


def normalise_body(body: str) -> str:
    text = re.sub(r"[^a-z0-9]+", " ", (body or "").lower())
    text = _SUFFIXES.sub(" ", text)
    text = re.sub(r"\bno\s+(\d+)\b", r"\1", text)  # "Lodge No. 123" and "Lodge 123"
    text = re.sub(r"^\s*the\s+", "", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class SharedAssociation:
    kind: str  # an AssociationKind value
    body: str  # as the first person declared it (a relationship: the declaration's description)
    description: str  # a plain sentence fragment, e.g. 'lodge or other hierarchical society "Unity Lodge"'

    def __str__(self) -> str:
        return self.description


def live_associations(person: Person, on: date | None = None) -> list[DeclaredAssociation]:
    """Declarations in force on `on` (default: those not ended). Declared after `on` do not count."""
    query = DeclaredAssociation.objects.filter(person=person)
    if on is None:
        query = query.filter(ended_on__isnull=True)
    else:
        query = query.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), declared_on__lte=on)
    return list(query.order_by("declared_on", "pk"))


def shared_associations(person_a: Person, person_b: Person, on: date | None = None) -> list[SharedAssociation]:
    """What `person_a` and `person_b` share, from both sides' declarations; empty when nothing is shared.
    Called by the workflow's conflict rules (cases/conflicts.py) and shown, e.g., as "they share {item}"."""
    if person_a.pk == person_b.pk:
        return []
    mine, theirs = live_associations(person_a, on), live_associations(person_b, on)
    shared: list[SharedAssociation] = []
    relationship = next((a for a in mine if a.kind == AssociationKind.RELATIONSHIP and a.counterpart_id == person_b.pk),
                        None) or next((a for a in theirs if a.kind == AssociationKind.RELATIONSHIP
                                       and a.counterpart_id == person_a.pk), None)
    if relationship is not None:
        shared.append(SharedAssociation(AssociationKind.RELATIONSHIP, relationship.body,
                                        f"a declared relationship at work between {person_a.full_name} and "
                                        f"{person_b.full_name}"))
    their_bodies = {(a.kind, normalise_body(a.body)) for a in theirs if a.kind != AssociationKind.RELATIONSHIP}
    seen: set[tuple[str, str]] = set()
    for a in mine:
        key = (a.kind, normalise_body(a.body))
        if a.kind == AssociationKind.RELATIONSHIP or key not in their_bodies or key in seen or not key[1]:
            continue
        seen.add(key)
        label = AssociationKind(a.kind).label.lower()
        shared.append(SharedAssociation(a.kind, a.body, f"{label} “{a.body}”"))
    return shared
