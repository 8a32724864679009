"""Mandatory referral (policy/referral.toml): which allegations must go to the independent body, and whether they
have. Actions call `check_referrals` before local handling, any other route, or closure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from upstander.lib import policy

REFERRAL_DECISION = "referral_decision"  # Decision.kind of the overseer's recorded decision on a referral


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    categories: frozenset[str] = frozenset()
    requires_possible_crime: bool = False


class ReferralRequired(PermissionDenied):
    """Refused: an allegation meets the mandatory referral criteria and has neither a referral nor an overseer
    decision. The message names the allegations and criteria."""


def body_name() -> str:
    return str(policy.load("referral").get("body", "the independent body"))


def criteria() -> list[Criterion]:
    listed = [
        Criterion(key=c["key"], label=c["label"], categories=frozenset(c.get("categories", [])),
                  requires_possible_crime=bool(c.get("requires_possible_crime", False)))
        for c in policy.load("referral").get("criterion", [])
    ]
    covered = {cat for c in listed for cat in c.categories}
    # Categories marked for mandatory referral in categories.toml qualify even where no criterion names them.
    for cat in policy.categories():
        if cat.get("mandatory_referral") and cat["key"] not in covered:
            listed.append(Criterion(key=f"category:{cat['key']}", label=f"{cat['label']} (a mandatory-referral category)",
                                    categories=frozenset({cat["key"]})))
    return listed


def criterion_choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in criteria() if not c.key.startswith("category:")]


def criteria_met(*, category: str, possible_crime: bool, recorded: list[str] | tuple[str, ...] = ()) -> list[Criterion]:
    met = []
    for c in criteria():
        if c.key in recorded:
            met.append(c)
        elif category in c.categories and (possible_crime or not c.requires_possible_crime):
            met.append(c)
    return met


def allegation_criteria(allegation) -> list[Criterion]:
    return criteria_met(category=allegation.category, possible_crime=allegation.possible_crime,
                        recorded=list(allegation.referral_criteria or []))


def is_satisfied(allegation) -> bool:
    """Referred, or the overseer has recorded a decision about it."""
    from upstander.cases.models import Decision, Referral

    return (Referral.objects.filter(allegation=allegation).exists()
            or Decision.objects.filter(allegation=allegation, kind=REFERRAL_DECISION).exists())


def unmet(case) -> list[tuple[Any, list[Criterion]]]:
    """Allegations of the case that must be referred and are not (nor decided on by the overseer)."""
    result = []
    for allegation in case.allegations.select_related("subject").order_by("id"):
        met = allegation_criteria(allegation)
        if met and not is_satisfied(allegation):
            result.append((allegation, met))
    return result


def missing_referrals(case, doing: str) -> str:
    """Why `doing` (e.g. "local handling", "closing the case") must wait for a referral, or "" when nothing is missing."""
    missing = unmet(case)
    if not missing:
        return ""
    parts = []
    for allegation, met in missing:
        who = allegation.subject.full_name if allegation.subject else "an unidentified subject"
        parts.append(f"{policy.category_label(allegation.category)} against {who} ({'; '.join(c.label for c in met)})")
    return (f"Refused: {doing} needs a referral to {body_name()} or a recorded decision of the overseer first, because "
            f"these allegations meet the mandatory referral criteria: {', '.join(parts)}.")


def check_referrals(case, doing: str) -> None:
    """Refuse `doing` while a qualifying allegation is unreferred."""
    missing = missing_referrals(case, doing)
    if missing:
        raise ReferralRequired(missing)
