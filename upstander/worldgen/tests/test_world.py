"""The synthetic force as built in memory (no database): structure, realism and the planted patterns."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from upstander.people.choices import ethnic_group
from upstander.worldgen import truth as truth_file
from upstander.worldgen.build import build_world
from upstander.worldgen.config import WorldConfig
from upstander.worldgen.plant import chain_ok

ORGS = {"force": 1, "overseer": 2, "custodians": 3}


def build(staff=600, years=4, seed=3, **options):
    cfg = WorldConfig(staff=staff, years=years, seed=seed, **options)
    world, builder = build_world(cfg, {}, ORGS)
    return world, builder, truth_file.assemble(world, builder, {})


@pytest.fixture(scope="module")
def made():
    return build()


def test_the_same_seed_builds_the_same_world_and_truth_bytes():
    first, second = build(staff=300, years=3, seed=9), build(staff=300, years=3, seed=9)
    assert truth_file.dumps(first[2]) == truth_file.dumps(second[2])
    assert [p.public_id for p in first[0].people] == [p.public_id for p in second[0].people]
    assert first[0].rows["case"] == second[0].rows["case"]


def test_another_seed_builds_another_world():
    assert truth_file.dumps(build(staff=300, years=3, seed=1)[2]) != truth_file.dumps(build(staff=300, years=3, seed=2)[2])


def test_the_end_date_is_an_option_not_today(made):
    world, _, truth = made
    assert truth["window"]["to"] == "2026-06-30"
    other = build(staff=300, years=3, seed=3, end_date=date(2020, 3, 31))[2]
    assert other["window"] == {"from": "2017-04-01", "to": "2020-03-31"}


def test_the_headcount_in_post_is_the_staff_asked_for_and_leavers_come_on_top(made):
    world, _, truth = made
    assert len(world.current()) == truth["organisation"]["in_post"] == 600
    assert truth["organisation"]["leavers"] > 0


def test_the_workforce_has_realistic_proportions():
    world, _, _ = build(staff=3000, years=2, seed=4)
    in_post = world.current()
    officers = [p for p in in_post if p.kind == "officer"]
    assert 0.55 < len(officers) / len(in_post) < 0.66
    ranks = Counter(p.rank for p in officers)
    assert 0.70 < ranks["Constable"] / len(officers) < 0.82
    assert 0.11 < ranks["Sergeant"] / len(officers) < 0.17
    assert 0.03 < ranks["Inspector"] / len(officers) < 0.07
    groups = Counter(ethnic_group(p.ethnicity) for p in in_post)
    assert 0.75 < groups["White"] / len(in_post) < 0.85
    assert 0.02 < groups["Black"] / len(in_post) < 0.06
    assert 0.22 < sum(p.sex == "female" for p in officers) / len(officers) < 0.36


def test_line_managers_form_a_chain_of_command_without_cycles_up_to_one_head(made):
    world, _, _ = made
    assert chain_ok(world)
    in_post = world.current()
    tops = [p for p in in_post if p.manager is None]
    assert len(tops) == 1
    for p in in_post:
        if p.manager is not None:
            boss = world.by_id[p.manager]
            assert boss.left is None
            if p.kind == "officer" and boss.kind == "officer":
                assert boss.level > p.level, (p.rank, boss.rank)


def test_units_have_heads_teams_of_ten_to_twenty_and_one_professional_standards_unit(made):
    world, _, _ = made
    assert sum(u.kind == "psu" for u in world.units) == 1
    assert all(u.head is not None for u in world.units)
    sizes = Counter(p.team for p in world.current())
    officer_teams = [sizes[t.id] for t in world.teams if t.kind == "officer" and sizes[t.id]]
    assert 9 <= sorted(officer_teams)[len(officer_teams) // 2] <= 20


def test_unit_history_is_continuous_and_ends_in_the_current_team(made):
    world, _, _ = made
    for p in world.people:
        starts = [s[0] for s in p.stints]
        assert starts == sorted(starts) and starts[0] == p.joined
        assert p.stints[-1][2] == p.team or p.left is not None


def test_every_case_has_stage_events_starting_with_received(made):
    world, _, _ = made
    stages: dict[int, list[str]] = {}
    for _id, case_id, stage, _at, _actor, _reason in world.rows["stage"]:
        stages.setdefault(case_id, []).append(stage)
    for row in world.rows["case"]:
        assert stages[row[0]][0] == "received"
        assert stages[row[0]][-1] == row[6]  # the case's state is its last stage


def test_reports_come_from_every_channel_and_mode_across_the_categories(made):
    world, _, _ = made
    reports = world.rows["report"]
    assert {r[2] for r in reports} >= {"public_complaint", "colleague", "online", "listening_circle"}
    assert {r[3] for r in reports} == {"named", "confidential", "anonymous"}
    assert len({c for r in reports for c in r[7]}) >= 12
    assert any(r[4] == "independent" for r in reports)


def test_some_cases_are_open_and_some_have_been_waiting_a_long_time(made):
    world, _, _ = made
    end = world.cfg.end
    open_cases = [row for row in world.rows["case"] if row[9] is None]
    assert open_cases
    assert any(row[6] in ("received", "acknowledged", "assessed") for row in open_cases)
    assert any(end - row[7] > 180 for row in open_cases)


def test_every_mention_names_its_true_person_in_the_truth(made):
    world, _, truth = made
    numbers = {p.number for p in world.people}
    assert len(truth["mentions"]) == len(world.rows["mention"])
    assert set(truth["mentions"].values()) <= numbers


def test_repeat_subjects_were_never_linked_before_and_named_differently_each_time(made):
    _, _, truth = made
    assert len(truth["repeat_subjects"]) >= 2
    for subject in truth["repeat_subjects"]:
        earlier, last = subject["mentions"][:-1], subject["mentions"][-1]
        assert len(earlier) >= 3 and not any(m["linked"] for m in earlier) and last["linked"]
        assert all(m["name"] != subject["name"] or m["number"] != subject["person"] for m in earlier)
        assert len({(m["name"], m["number"], m["unit"]) for m in earlier}) == len(earlier)


def test_every_planted_crew_was_accused_together_at_least_three_times(made):
    world, builder, truth = made
    by_number = {p.number: p.id for p in world.people}
    assert len(truth["crews"]) >= 2
    for crew in truth["crews"]:
        members = {by_number[n] for n in crew["members"]}
        together = [b.code for b in builder.built if members <= set(b.subjects)]
        assert len(together) >= 3 and set(crew["cases"]) <= set(together)


def test_planted_victims_still_work_alongside_the_subject_they_reported(made):
    world, _, truth = made
    planted = [v for v in truth["victims_alongside_subject"] if v["planted"]]
    assert len(planted) >= 2
    by_number = {p.number: p for p in world.people}
    for v in planted:
        assert by_number[v["victim"]].team == by_number[v["subject"]].team


def test_officers_resigned_while_under_investigation(made):
    world, _, truth = made
    planted = [r for r in truth["resigned_under_investigation"] if r["planted"]]
    assert len(planted) >= 2
    by_number = {p.number: p for p in world.people}
    for r in planted:
        person = by_number[r["person"]]
        assert person.leaving_reason == "resigned" and person.kind == "officer"
        assert r["investigation_from"] <= r["resigned_on"]


def test_many_handover_cases_passed_through_five_or_more_owners(made):
    _, _, truth = made
    planted = [c for c in truth["many_handover_cases"] if c["planted"]]
    assert len(planted) >= 2 and all(c["owners"] >= 6 for c in planted)


def test_retaliation_follows_the_report_and_scales_with_the_excess_rate():
    world, _, truth = build(staff=600, years=4, seed=3, retaliation_excess=1.0)
    assert truth["retaliated_reporters"]
    for r in truth["retaliated_reporters"]:
        assert r["on"] > r["reported_on"]
        assert r["detriment"] in ("transfer", "blocked_promotion", "counter_allegation")
    assert {r["detriment"] for r in truth["retaliated_reporters"]} == {"transfer", "blocked_promotion",
                                                                       "counter_allegation"}
    assert build(staff=600, years=4, seed=3, retaliation_excess=0.0)[2]["retaliated_reporters"] == []
    assert chain_ok(world)


def test_the_configured_relative_rate_is_in_the_truth_and_moves_the_realised_rate():
    low = build(staff=2000, years=5, seed=8, relative_rate=1.0)[2]["relative_rate"]
    high = build(staff=2000, years=5, seed=8, relative_rate=4.0)[2]["relative_rate"]
    assert low["configured"] == 1.0 and high["configured"] == 4.0
    assert high["realised"] > low["realised"] * 2


@pytest.mark.parametrize(("staff", "years"), [(100, 1), (100, 40), (150, 2)])
def test_even_a_tiny_or_long_world_has_every_planted_pattern(staff, years):
    world, _, truth = build(staff=staff, years=years, seed=1)
    assert len(world.current()) == staff
    assert len(truth["repeat_subjects"]) >= 2 and len(truth["crews"]) >= 2
    assert len(truth["many_handover_cases"]) >= 2
    assert sum(v["planted"] for v in truth["victims_alongside_subject"]) >= 2
    assert sum(r["planted"] for r in truth["resigned_under_investigation"]) >= 2
    assert chain_ok(world)
