"""The planted differences the insight reports must find (issue 7), built in memory: the relative rate with an exact
null, leaving after reporting, and women's complaints reaching case to answer less often."""

from __future__ import annotations

from collections import Counter

import pytest

from upstander.worldgen.background import internal_misconduct_counts
from upstander.worldgen.config import WorldConfig
from upstander.worldgen.tests.test_world import build


def test_a_null_world_gets_no_top_up_so_every_group_is_drawn_alike():
    world, _, truth = build(staff=1500, years=4, seed=5, relative_rate=1.0)
    top_up = truth["relative_rate"]["top_up"]
    assert top_up["group"] is None and top_up["allegations"] == 0
    assert top_up["other_per_officer_year"] > 0  # there were allegations to correct for, and none was added
    # The counts in the truth are the generator's own, from every allegation assessed as misconduct.
    stats = internal_misconduct_counts(world)
    assert truth["relative_rate"]["black"]["allegations"] == stats["Black"][0]


def test_the_top_up_goes_to_whichever_side_is_short_and_only_by_the_pooled_other_rate():
    for rate, side in ((1.81, "Black"), (0.5, "every group but Black")):
        _, _, truth = build(staff=1500, years=4, seed=5, relative_rate=rate)
        top_up = truth["relative_rate"]["top_up"]
        assert top_up["group"] == side
        assert top_up["allegations"] > 0
        pi, share = top_up["other_per_officer_year"], top_up["assessed_share"]
        extra = (rate - 1) * pi if rate > 1 else pi * (1 - rate) / rate
        assert top_up["rate_per_officer_year"] == pytest.approx(extra / share, rel=1e-3)
        assert 0.8 < share <= 1


def _first_reports(world) -> dict[int, int]:
    """Independently of the truth: each linked staff reporter's first report day, from the rows to be written."""
    received = {row[0]: row[8] for row in world.rows["report"]}
    first: dict[int, int] = {}
    for _id, report_id, person_id in world.rows["reporterlink"]:
        first[person_id] = min(received[report_id], first.get(person_id, received[report_id]))
    return first


def test_colleagues_about_to_leave_are_more_often_the_ones_who_reported():
    ratios = {}
    for ratio in (1.0, 3.0):
        world, _, truth = build(staff=1500, years=5, seed=2, reporter_attrition=ratio)
        planted = truth["attrition_after_reporting"]
        first = _first_reports(world)
        left = sum(1 for pid, day in first.items() if world.by_id[pid].left is not None
                   and day < world.by_id[pid].left <= day + 730
                   and world.by_id[pid].leaving_reason not in ("died", "dismissed"))
        assert planted["reporters"] == len(first) and planted["left_within"] == left
        assert planted["configured_ratio"] == ratio and planted["within_days"] == 730
        ratios[ratio] = planted["realised_ratio"]
    assert ratios[3.0] > 1.6
    assert ratios[3.0] > ratios[1.0] + 0.5


def test_womens_complaints_reach_case_to_answer_less_often_by_the_configured_factor():
    factors = {}
    for factor in (1.0, 0.3):
        world, _, truth = build(staff=2000, years=5, seed=4, female_case_to_answer=factor)
        planted = truth["female_case_to_answer"]
        assert planted["configured_factor"] == factor
        factors[factor] = planted["realised_factor"]
        # Recount from the rows: every case-to-answer decision, by the sex the report records.
        sex_of_case = {row[13]: row[14] for row in world.rows["report"]}
        decided: Counter = Counter()
        for row in world.rows["decision"]:
            if row[3] == "case_to_answer":
                decided[(sex_of_case[row[1]], row[4])] += 1
        women = decided[("female", "case_to_answer")] / (decided[("female", "case_to_answer")]
                                                         + decided[("female", "no_case_to_answer")])
        men = decided[("male", "case_to_answer")] / (decided[("male", "case_to_answer")]
                                                     + decided[("male", "no_case_to_answer")])
        if factor < 1:
            assert women < 0.6 * men
    assert factors[0.3] < 0.6 < 0.75 < factors[1.0]


def test_the_truth_records_every_planted_option_and_bad_values_are_refused():
    _, _, truth = build(staff=300, years=2, seed=1)
    assert truth["configured"] == {"relative_rate": 1.81, "retaliation_excess": 0.25, "reporter_attrition": 3.0,
                                   "female_case_to_answer": 0.6}
    for bad in ({"reporter_attrition": 0}, {"female_case_to_answer": -0.1}, {"female_case_to_answer": 2.0}):
        with pytest.raises(ValueError):
            WorldConfig(staff=300, years=2, seed=1, **bad)
