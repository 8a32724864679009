"""What the reporter reads about their report's progress, in plain language, from policy/workflow.toml: one line per
stage reached (`[[stage]] reporter_text`), per way of dealing with it (`[[route]] reporter_text`) and per outcome
(`[outcome_text]`). The reporter side reads them here, not through the staff side's workflow module, so that it
depends on policy and never on the case workflow's code. A stage, route or outcome without a text shows nothing."""

from __future__ import annotations

from upstander.lib import policy


def _text_of(section: str, key: str) -> str:
    entry = next((e for e in policy.load("workflow").get(section, []) if e.get("key") == key), None)
    return str(entry.get("reporter_text", "")) if entry else ""


def stage_text(stage_key: str) -> str:
    return _text_of("stage", stage_key)


def route_text(route_key: str) -> str:
    return _text_of("route", route_key)


def outcome_text(outcome: str) -> str:
    return str(policy.load("workflow").get("outcome_text", {}).get(outcome, ""))
