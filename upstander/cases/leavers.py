"""Leavers under investigation: resigning or retiring while an allegation is open does not end the case.

A Decision records, once per open allegation, that the case continues to a former-officer outcome ("would have
been dismissed", which the workflow pairs with a barred-list referral). A death ends proceedings; every other way of
leaving leaves the case running. The case's stages are the workflow's; nothing here moves them.

The roster (people) tells the case workflow who left through its hook (people/hooks.py: people sits below cases and
never imports it); `on_people_left` is connected there in CasesConfig.ready. A leaving date recorded in the system
and one arriving through the HR feed have the same effect.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet

from upstander.accounts.permissions import LEAVER_RECORDERS, require_role
from upstander.audit.log import record
from upstander.cases.models import Allegation, Decision
from upstander.lib import clock
from upstander.people.choices import LeavingReason
from upstander.people.models import Person

FORMER_OFFICER_DECISION = "former_officer"
# A death ends proceedings; every other way of leaving leaves the case running.
ENDS_PROCEEDINGS = {LeavingReason.DIED}
_IN_LIST = 5000  # bounded IN lists: a full roster import may bring thousands of leaving dates


def open_allegations_against(person: Person) -> QuerySet[Allegation]:
    return (Allegation.objects.filter(subject=person, case__closed_on__isnull=True, outcome="")
            .select_related("case").order_by("case__opened_on", "pk"))


def _accused_leavers(numbers: Sequence[str]) -> list[Person]:
    accused: set[int] = set()
    for start in range(0, len(numbers), _IN_LIST):
        accused.update(Allegation.objects.filter(subject__number__in=numbers[start:start + _IN_LIST],
                                                 case__closed_on__isnull=True, outcome="")
                       .values_list("subject_id", flat=True))
    return list(Person.objects.filter(pk__in=accused, left_on__isnull=False).order_by("pk"))


def do_continue_cases_of_leavers(*, actor, numbers: Sequence[str]) -> int:
    """For each of these people who left while the subject of open allegations, record once per allegation that the
    case continues as a former-officer case. Idempotent. Returns how many decisions were recorded."""
    who = require_role(actor, LEAVER_RECORDERS, "record that someone left").label
    recorded = 0
    with transaction.atomic():
        for person in _accused_leavers(list(numbers)):
            if person.left_on is None or person.leaving_reason in ENDS_PROCEEDINGS:
                continue
            how = LeavingReason(person.leaving_reason).label.lower() if person.leaving_reason else "left"
            for allegation in open_allegations_against(person):
                if Decision.objects.filter(allegation=allegation, kind=FORMER_OFFICER_DECISION).exists():
                    continue
                Decision.objects.create(
                    case=allegation.case, allegation=allegation, kind=FORMER_OFFICER_DECISION, value="continues",
                    reasons=f"The subject {how} on {person.left_on.isoformat()} while under investigation. The case "
                            "continues to a former-officer outcome; a finding that they would have been dismissed "
                            "carries a barred-list referral.",
                    decided_by=who, at=clock.now())
                record(actor, "case.former_officer", allegation.case,
                       reason=f"subject left ({person.leaving_reason or 'left'}); the case continues")
                recorded += 1
    return recorded


def on_people_left(sender, *, actor, numbers: Sequence[str], **kwargs) -> int:
    """Receiver of people.hooks.people_left (connected in CasesConfig.ready)."""
    return do_continue_cases_of_leavers(actor=actor, numbers=numbers)
