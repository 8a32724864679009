"""What custody reads from policy/: break-glass rules (break_glass.toml) and retention (categories.toml)."""

from __future__ import annotations

from dataclasses import dataclass

from upstander.lib import policy


@dataclass(frozen=True)
class BreakGlassPolicy:
    require_second_approval: bool
    approver_roles: frozenset[str]
    request_valid_hours: int
    min_reason_length: int


def break_glass() -> BreakGlassPolicy:
    raw = policy.load("break_glass")
    return BreakGlassPolicy(
        # Fail closed: a missing setting means a second person must approve.
        require_second_approval=bool(raw.get("require_second_approval", True)),
        approver_roles=frozenset(raw.get("approver_roles", ["custodian", "overseer"])),
        request_valid_hours=int(raw.get("request_valid_hours", 72)),
        min_reason_length=int(raw.get("min_reason_length", 20)),
    )


def retention_years() -> dict[str, int]:
    """Category key -> years a closed case's content is kept."""
    return {c["key"]: int(c["retention_years"]) for c in policy.categories() if "retention_years" in c}


def retention_years_for(categories: set[str]) -> int:
    """The longest period of any of the case's categories. An unknown or missing category keeps the content for
    the longest period in the policy: when unsure, keep rather than destroy."""
    table = retention_years()
    longest = max(table.values())
    known = [table[c] for c in categories if c in table]
    if not known or len(known) < len([c for c in categories if c]):
        return longest
    return max(known)
