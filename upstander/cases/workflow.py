"""The workflow as data: stages, named steps between them, the other case actions' stages and roles, routes and
reporter texts, from policy/workflow.toml of the active profile.

No stage key is written in code: the opening stage is the one marked `initial`, closed stages are `open = false`,
and each action finds where it leads in the policy. `problems()` checks a workflow file against the actions the code
knows (run as a Django system check, cases.E001), so a replacement profile fails when the server starts rather than
mid-case.

The reporter's timeline uses `reporter_text(stage)` and `outcome_text(outcome)`; staff pages use `stage_label`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from upstander.lib import policy

# The `who` vocabulary of policy/workflow.toml (cases/permissions.py decides what each means for an actor).
WHO = frozenset({"owner", "assessor", "investigator", "decision_maker", "supervisor", "overseer", "handler"})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    who: tuple[str, ...]
    reasons: bool
    flag_blocks: bool
    waits_for: tuple[str, ...] = ()
    late_after: str = ""


@dataclass(frozen=True)
class ActionRule:
    """Who may take an action that does not move the case, and at which stages (None: every open stage)."""

    action: str
    who: tuple[str, ...]
    stages: tuple[str, ...] | None
    closed_too: bool
    not_now: str


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


def initial_stage() -> str:
    """The stage a new case starts at: the one marked `initial = true`."""
    marked = [s["key"] for s in stages() if s.get("initial")]
    if len(marked) != 1:
        raise ValueError(f"policy/workflow.toml must mark exactly one stage `initial = true` (found {len(marked)})")
    return str(marked[0])


def open_stages() -> list[str]:
    return [s["key"] for s in stages() if s.get("open", True)]


def transitions() -> list[Transition]:
    return [
        Transition(action=str(t["action"]), sources=tuple(t["from"]), target=t["to"], who=tuple(t["who"]),
                   reasons=bool(t.get("reasons", False)), flag_blocks=bool(t.get("flag_blocks", True)),
                   waits_for=tuple(t.get("waits_for", ())), late_after=str(t.get("late_after", "")))
        for t in _workflow()["transition"]
    ]


def step(action: str, source: str) -> Transition | None:
    """The transition `action` takes from stage `source`, if the policy has one."""
    return next((t for t in transitions() if t.action == action and source in t.sources), None)


def next_stages(source: str) -> list[str]:
    return list(dict.fromkeys(t.target for t in transitions() if source in t.sources))


def actions_from(source: str) -> list[str]:
    """The steps that leave `source`, in the order the policy lists them."""
    return list(dict.fromkeys(t.action for t in transitions() if source in t.sources))


def targets_of(action: str) -> set[str]:
    return {t.target for t in transitions() if t.action == action}


def action_rule(action: str) -> ActionRule | None:
    rule = _workflow().get("action", {}).get(action)
    if rule is None:
        return None
    listed = rule.get("stages")
    return ActionRule(action=action, who=tuple(rule.get("who", ())), stages=tuple(listed) if listed is not None else None,
                      closed_too=bool(rule.get("closed_too", False)), not_now=str(rule.get("not_now", "")))


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


def problems(transition_actions: Iterable[str], other_actions: Iterable[str]) -> list[str]:
    """What is wrong with the active workflow file, for the actions the code knows (empty: nothing)."""
    found: list[str] = []
    keys = stage_keys()
    known = set(keys)
    try:
        initial_stage()
    except ValueError as exc:
        found.append(str(exc))
    if not [k for k in keys if not is_open(k)]:
        found.append("no stage is closed (`open = false`)")
    steps = transitions()
    transition_actions = set(transition_actions)
    for t in steps:
        if t.action not in transition_actions:
            found.append(f"transition to {t.target!r} takes the unknown action {t.action!r}")
        for stage in (*t.sources, t.target):
            if stage not in known:
                found.append(f"transition {t.action!r} names the unknown stage {stage!r}")
        found += [f"transition {t.action!r} names the unknown role {w!r}" for w in t.who if w not in WHO]
    for action in transition_actions:
        if not any(t.action == action for t in steps):
            found.append(f"no transition takes the action {action!r}")
    for action in other_actions:
        rule = action_rule(action)
        if rule is None:
            found.append(f"no [action.{action}] section")
            continue
        found += [f"[action.{action}] names the unknown stage {s!r}" for s in rule.stages or () if s not in known]
        found += [f"[action.{action}] names the unknown role {w!r}" for w in rule.who if w not in WHO]
    found += [f"route {r['key']!r} leads to the unknown stage {r.get('next')!r}" for r in routes() if r.get("next") not in known]
    return found
