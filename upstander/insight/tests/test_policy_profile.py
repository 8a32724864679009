"""The insight analyses take their numbers from the active policy profile (policy/*.toml, overridable per profile),
never from constants in code: the disclosure threshold, the attrition rules, the early-warning rules and the
deadlines timeliness counts against — and a deadline the profile does not have is not known, not a fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstander.insight import published
from upstander.insight.attrition import attrition
from upstander.insight.datasets import load
from upstander.insight.early_warning import load_policy
from upstander.insight.tests.test_analyses import planted_force, timely_dataset
from upstander.insight.timeliness import timeliness
from upstander.lib import policy

RULE = """
[kinds.violence]
label = "Violence"
keywords = ["VIOLENCE"]

[[rules]]
name = "one violence allegation in a year"
type = "count"
kinds = ["violence"]
months = 12
"""


@pytest.fixture
def profile(settings, tmp_path: Path):
    """A profile "strict" beside copies of the default policy files; returns a function writing one of its files."""
    base = Path(settings.POLICY_DIR)
    folder = tmp_path / "policy"
    (folder / "strict").mkdir(parents=True)
    for path in base.glob("*.toml"):
        (folder / path.name).write_bytes(path.read_bytes())
    settings.POLICY_DIR = folder
    settings.POLICY_PROFILE = "strict"
    policy._load.cache_clear()

    def write(name: str, text: str) -> None:
        (folder / "strict" / f"{name}.toml").write_text(text)

    yield write
    policy._load.cache_clear()


def test_the_profile_sets_the_disclosure_threshold_and_rounding(profile) -> None:
    assert published.count(15) == 15
    profile("disclosure", "suppress_below = 20\nround_to = 10\n")
    assert published.count(15) is None and published.count(26) == 30
    document = published.publishable("timeliness", timeliness(load(timely_dataset("profile-disclosure"))))
    assert document["disclosure_control"]["suppressed_below"] == 20
    assert document["durations"]["open_at_as_of"] is None  # 3 open: under 20


def test_early_warning_rules_come_from_the_profile_not_the_default_file(profile) -> None:
    """early_warning.py used to read policy/early_warning.toml directly, so a profile could not override it."""
    profile("early_warning", RULE)
    assert [rule.name for rule in load_policy().rules] == ["one violence allegation in a year"]


def test_promotion_follow_up_comes_from_the_profile(profile) -> None:
    data = load(planted_force("profile-promotion"))
    profile("attrition", "matched_peers = 3\nmin_cohort = 10\nmin_leavers = 5\nsurvival_at_years = [1]\n"
                         "promotion_within_days = 100\n")
    promotion = attrition(data, survival_analysis=False)["promotion"]
    assert "within 100 days" in promotion["definition"]
    assert all(row["numerator"] == row["denominator"] for row in promotion["rows"])  # promotions came 184 days later


def _without_clock(clocks: str, key: str) -> str:
    start = clocks.index(f'[[clock]]\nkey = "{key}"')
    end = clocks.index("[[clock]]", start + 1)
    return clocks[:start] + clocks[end:]


def test_deadlines_are_counted_against_the_profile_clocks(profile, settings) -> None:
    clocks = (Path(settings.POLICY_DIR) / "clocks.toml").read_text()
    assert 'period = { days = 7 }' in clocks
    profile("clocks", clocks.replace("period = { days = 7 }", "period = { days = 30 }", 1))
    overdue = timeliness(load(timely_dataset("profile-30-days")))["overdue"]
    assert overdue["acknowledge_within"] == "30 days"
    assert overdue["acknowledgement"]["late_or_overdue"]["numerator"] == 1  # only the one never acknowledged


def test_a_profile_without_the_acknowledge_clock_makes_that_deadline_not_known(profile, settings) -> None:
    """timeliness.py used to fall back to 7 days (and 3 months) when the profile had no such clock."""
    profile("clocks", _without_clock((Path(settings.POLICY_DIR) / "clocks.toml").read_text(), "acknowledge"))
    overdue = timeliness(load(timely_dataset("profile-no-ack")))["overdue"]
    assert overdue == {"missing": True, "missing_reason": "the policy profile has no 'acknowledge' clock"}
