"""The workflow as data: stages, transitions, routes and reporter texts from policy/workflow.toml.

The reporter's timeline uses `reporter_text(stage)` and `outcome_text(outcome)`; staff pages use `stage_label`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from upstander.lib import policy


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    who: tuple[str, ...]
    reasons: bool
    flag_blocks: bool


def _workflow() -> dict[str, Any]:
    return policy.load("workflow")


def stages() -> list[dict[str, Any]]:
    return list(_workflow()["stage"])


def stage_keys() -> list[str]:
    return [s["key"] for s in stages()]


def _stage(key: str) -> dict[str, Any] | None:
    return next((s for s in stages() if s["key"] == key), None)


def stage_label(key: str) -> str:
    stage = _stage(key)
    return str(stage["label"]) if stage else key.replace("_", " ")


def reporter_text(stage_key: str) -> str:
    """The plain-language line the reporter's timeline shows for a milestone (a StageEvent's stage)."""
    stage = _stage(stage_key)
    return str(stage.get("reporter_text", "")) if stage else ""


def outcome_text(outcome: str) -> str:
    """The plain-language line for an allegation's outcome (an `outcome` Decision's value)."""
    return str(_workflow().get("outcome_text", {}).get(outcome, ""))


def route_reporter_text(route_key: str) -> str:
    route = route_for(route_key)
    return str(route.get("reporter_text", "")) if route else ""


def is_open(stage_key: str) -> bool:
    stage = _stage(stage_key)
    return bool(stage.get("open", True)) if stage else True


def transitions() -> list[Transition]:
    return [
        Transition(sources=tuple(t["from"]), target=t["to"], who=tuple(t["who"]), reasons=bool(t.get("reasons", False)),
                   flag_blocks=bool(t.get("flag_blocks", True)))
        for t in _workflow()["transition"]
    ]


def transition(source: str, target: str) -> Transition | None:
    return next((t for t in transitions() if source in t.sources and t.target == target), None)


def next_stages(source: str) -> list[str]:
    return [t.target for t in transitions() if source in t.sources]


def routes() -> list[dict[str, Any]]:
    return list(_workflow()["route"])


def route_for(key: str) -> dict[str, Any] | None:
    return next((r for r in routes() if r["key"] == key), None)


def severity_rank(severity: str) -> int:
    order = list(_workflow()["severity"]["order"])
    return order.index(severity) if severity in order else -1


def proceedings_kinds() -> list[str]:
    return list(_workflow()["proceedings"]["kinds"])


def leavers_only_outcomes() -> set[str]:
    return set(_workflow()["outcomes"]["leavers_only"])


def barred_list_outcomes() -> set[str]:
    return set(_workflow()["outcomes"]["barred_list"])
