"""Every staff lookup of a person's record goes through here. Deny by default: a person sees and keeps their own
declared interests; supervisors and the overseer anyone's; everyone else gets 404, not even that the person exists.
Opening someone else's record is audited.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.http import Http404

from upstander.accounts.models import User
from upstander.accounts.permissions import DECLARATION_READERS
from upstander.audit.log import record
from upstander.people.models import DeclaredAssociation, Person


def _uuid(public_id, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(f"No such {what}") from None


def get_person_for(actor, public_id, *, write: bool = False) -> Person:
    """The person, for themselves or a supervisor or the overseer. Someone else's record opened to read is audited;
    with `write` the action that follows writes its own event."""
    person = Person.objects.filter(public_id=_uuid(public_id, "person")).first()
    if person is None or not isinstance(actor, User) or not actor.is_authenticated:
        raise Http404("No such person")
    own = actor.person_id == person.pk
    if not (own or actor.role in DECLARATION_READERS):
        raise Http404("No such person")
    if not own and not write:
        with transaction.atomic():
            record(actor, "people.record.view", person)
    return person


def get_association_for(actor, person: Person, public_id) -> DeclaredAssociation:
    """One of `person`'s declarations, once `person` came through get_person_for."""
    association = DeclaredAssociation.objects.filter(public_id=_uuid(public_id, "declaration"), person=person).first()
    if association is None or (actor.person_id != person.pk and actor.role not in DECLARATION_READERS):
        raise Http404("No such declaration")
    return association
