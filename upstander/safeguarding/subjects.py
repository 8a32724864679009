"""Measures against the subject: restricted duties and suspension, recorded as HR events against the subject (and so
part of their record). A subject who leaves while under investigation is the roster's to record
(people.actions.do_record_leaving) and the case workflow's to continue (cases/leavers.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from upstander.lib import clock
from upstander.people.actions import do_record_hr_event
from upstander.people.choices import HREventKind
from upstander.people.models import HREvent, Person

SUBJECT_MEASURES = {HREventKind.RESTRICTED_DUTIES, HREventKind.SUSPENDED}


def do_record_subject_measure(*, actor, person: Person, kind: str, on: date | None = None, case=None,
                              reason: str = "") -> HREvent:
    """Restricted duties or suspension of a subject, as an HR event (and so part of the subject's record)."""
    if kind not in SUBJECT_MEASURES:
        raise ValidationError("a measure against a subject is restricted duties or suspension")
    why = (f"{case.code}: " if case is not None else "") + (reason or kind.replace("_", " "))
    return do_record_hr_event(actor=actor, person=person, kind=kind, occurred_on=on or clock.today(), reason=why)
