"""The subject's structured history on the case page: dates, categories, severities, findings and outcomes of
earlier allegations against the same person — never narratives. Matters on the independent route that the overseer
has not released stay hidden from the force."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from upstander.accounts.models import Role
from upstander.cases import workflow
from upstander.cases.models import Allegation, Case
from upstander.lib.policy import category_label
from upstander.reports.visibility import case_released_to_force


@dataclass
class PriorAllegation:
    came_to_attention_on: date
    category: str
    severity: str
    finding: str
    outcome: str
    outcome_on: date | None
    stage: str


@dataclass
class SubjectHistory:
    subject: object
    earlier: list[PriorAllegation] = field(default_factory=list)


def for_case(case: Case, actor) -> list[SubjectHistory]:
    subjects = {a.subject_id: a.subject for a in case.allegations.select_related("subject__unit") if a.subject is not None}
    histories = []
    for subject in sorted(subjects.values(), key=lambda p: (p.family_name, p.given_name)):  # type: ignore[union-attr]
        earlier = Allegation.objects.filter(subject=subject).exclude(case=case).select_related("case")
        if getattr(actor, "role", None) != Role.OVERSEER:
            earlier = earlier.filter(case_released_to_force(via="case"))
        rows = [
            PriorAllegation(
                came_to_attention_on=a.case.came_to_attention_on, category=category_label(a.category),
                severity=a.get_severity_display() if a.severity else "", finding=a.get_finding_display() if a.finding else "",
                outcome=a.get_outcome_display() if a.outcome else "", outcome_on=a.outcome_on,
                stage=workflow.stage_label(a.case.state))
            for a in earlier.order_by("case__came_to_attention_on", "id")
        ]
        histories.append(SubjectHistory(subject=subject, earlier=rows))
    return histories
