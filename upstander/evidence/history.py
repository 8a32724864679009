"""The subject's history on the case page: how many chat messages a person confirmed as racist, sexist, … were sent
by each subject, in this case and in other cases the viewer may see. Counts only, never the messages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from upstander.cases.access import visible_cases
from upstander.cases.models import Case
from upstander.evidence.access import subjects_of
from upstander.evidence.classifier.data import CATEGORIES
from upstander.evidence.models import ChatMessage, FlagState
from upstander.evidence.review import category_label
from upstander.people.models import Person


@dataclass
class ConfirmedCounts:
    person: Person
    this_case: list[tuple[str, int]] = field(default_factory=list)  # (category label, count), in policy order
    other_cases: list[tuple[str, int]] = field(default_factory=list)


def _ordered(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(category_label(c), counts[c]) for c in CATEGORIES if counts.get(c)]


def confirmed_counts(case: Case, actor) -> list[ConfirmedCounts]:
    """For each subject of the case: confirmed chat messages by category, here and in other visible cases."""
    people = {p.pk: p for p in Person.objects.filter(pk__in=subjects_of(case))}
    if not people:
        return []
    rows = (ChatMessage.objects.filter(state=FlagState.CONFIRMED, sender__person_id__in=people,
                                       export__case__in=visible_cases(actor))
            .values("sender__person_id", "export__case_id", "category").annotate(n=Count("id")))
    here: dict[int, dict[str, int]] = defaultdict(dict)
    elsewhere: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        target = here if row["export__case_id"] == case.pk else elsewhere
        target[row["sender__person_id"]][row["category"]] = (target[row["sender__person_id"]].get(row["category"], 0)
                                                             + row["n"])
    return [ConfirmedCounts(p, _ordered(here.get(pk, {})), _ordered(elsewhere.get(pk, {})))
            for pk, p in sorted(people.items(), key=lambda item: (item[1].family_name, item[1].given_name))]
