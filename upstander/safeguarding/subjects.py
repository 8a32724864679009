"""Measures against the subject, and leavers under investigation.

Restricted duties and suspension are recorded as HR events against the subject. Resigning or retiring while an
allegation is open does not end the case: a Decision records that it continues to a former-officer outcome
("would have been dismissed", which the workflow pairs with a barred-list referral). The case's stages are the
workflow's; nothing here moves them.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from upstander.audit.log import actor_of, record
from upstander.people.actions import HR_RECORDERS, _require, do_record_hr_event
from upstander.people.choices import HREventKind, LeavingReason
from upstander.people.models import HREvent, Person

SUBJECT_MEASURES = {HREventKind.RESTRICTED_DUTIES, HREventKind.SUSPENDED}
FORMER_OFFICER_DECISION = "former_officer"
# A death ends proceedings; every other way of leaving leaves the case running.
ENDS_PROCEEDINGS = {LeavingReason.DIED}


def do_record_subject_measure(*, actor, person: Person, kind: str, on: date | None = None, case=None,
                              reason: str = "") -> HREvent:
    """Restricted duties or suspension of a subject, as an HR event (and so part of the subject's record)."""
    if kind not in SUBJECT_MEASURES:
        raise ValidationError("a measure against a subject is restricted duties or suspension")
    why = (f"{case.code}: " if case is not None else "") + (reason or kind.replace("_", " "))
    return do_record_hr_event(actor=actor, person=person, kind=kind, occurred_on=on or timezone.localdate(), reason=why)


def open_allegations_against(person: Person):
    from upstander.cases.models import Allegation

    return (Allegation.objects.filter(subject=person, case__closed_on__isnull=True, outcome="")
            .select_related("case").order_by("case__opened_on", "pk"))


def continue_cases_of_leavers(*, actor, people: list[Person]) -> int:
    """For each leaver with open allegations, record once per allegation that the case continues as a
    former-officer case. Called by do_record_leaving and after roster imports that bring leaving dates.
    Returns how many decisions were recorded."""
    from upstander.cases.models import Decision

    recorded = 0
    with transaction.atomic():
        for person in people:
            if person.left_on is None or person.leaving_reason in ENDS_PROCEEDINGS:
                continue
            for allegation in open_allegations_against(person):
                if Decision.objects.filter(allegation=allegation, kind=FORMER_OFFICER_DECISION).exists():
                    continue
                how = LeavingReason(person.leaving_reason).label.lower() if person.leaving_reason else "left"
                Decision.objects.create(
                    case=allegation.case, allegation=allegation, kind=FORMER_OFFICER_DECISION, value="continues",
                    reasons=f"The subject {how} on {person.left_on.isoformat()} while under investigation. The case "
                            "continues to a former-officer outcome; a finding that they would have been dismissed "
                            "carries a barred-list referral.",
                    decided_by=actor_of(actor).label, at=timezone.now())
                record(actor, "case.former_officer", allegation.case,
                       reason=f"subject left ({person.leaving_reason or 'left'}); the case continues")
                recorded += 1
    return recorded


def do_record_leaving(*, actor, person: Person, on: date, reason: str) -> HREvent:
    """The person left (resigned, retired, …) on `on`. Records the HR event and the leaving date; if they are the
    subject of open allegations, their cases continue as former-officer cases."""
    _require(actor, HR_RECORDERS, "record that someone left")
    reason = LeavingReason(reason)
    if on < person.joined_on:
        raise ValidationError("they cannot leave before they joined")
    with transaction.atomic():
        event = do_record_hr_event(actor=actor, person=person, kind=HREventKind.LEFT, occurred_on=on,
                                   leaving_reason=reason, reason=f"left: {reason}")
        person.left_on, person.leaving_reason = on, reason
        person.save(update_fields=["left_on", "leaving_reason"])
        continue_cases_of_leavers(actor=actor, people=[person])
    return event
