"""Outcomes, attrition and timeliness on small datasets with known answers or planted effects."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
from click.testing import CliRunner

from upstander.insight.attrition import attrition
from upstander.insight.commands import insight
from upstander.insight.datasets import load, save
from upstander.insight.outcomes import outcomes
from upstander.insight.timeliness import timeliness

START = dt.date(2015, 1, 1)


def planted_force(name: str, seed: int = 7) -> str:
    """600 officers; 200 of them accused in 2016–2017, who then leave at three times their peers' hazard; women
    complainants' complaints substantiated at a third of men's rate; promotion boards where Black officers who
    pass are promoted less often, and 50 who reported in 2018 are never promoted after passing."""
    rng = np.random.default_rng(seed)
    n = 600
    ids = [f"o{i}" for i in range(n)]
    appointed = [START - dt.timedelta(days=int(d)) for d in rng.integers(0, 3650, n)]
    accused = set(rng.choice(n, 200, replace=False).tolist())
    index = {i: START + dt.timedelta(days=365 + int(rng.integers(0, 700))) for i in accused}
    left = []
    for i in range(n):
        origin = index.get(i, START + dt.timedelta(days=365 + int(rng.integers(0, 700))))
        years = rng.exponential(4.0 if i in accused else 12.0)
        date = origin + dt.timedelta(days=int(years * 365))
        left.append(date if date <= dt.date(2024, 12, 31) else None)
    people = pl.DataFrame({"person_id": ids, "sex": rng.choice(["Female", "Male"], n).tolist(),
                           "ethnicity": rng.choice(["White", "Black"], n, p=[0.7, 0.3]).tolist(),
                           "rank": ["Constable"] * n, "appointed_date": appointed, "left_date": left,
                           "left_reason": ["resigned" if d else None for d in left], "in_workforce": [True] * n})
    complaints, allegations, complainants = [], [], []
    for k, i in enumerate(sorted(accused)):
        woman = k % 2 == 0
        substantiated = rng.random() < (0.1 if woman else 0.3)
        received = index[i]
        complaints.append({"complaint_id": f"c{k}", "received_date": received, "source": "public",
                           "closed_date": received + dt.timedelta(days=int(rng.integers(30, 400)))})
        allegations.append({"allegation_id": f"a{k}", "complaint_id": f"c{k}", "person_id": ids[i],
                            "theme": "sexual_misconduct" if k % 3 == 0 else "violence",
                            "finding": "substantiated" if substantiated else "not_substantiated"})
        complainants.append({"complaint_id": f"c{k}", "sex": "Female" if woman else "Male", "ethnicity": "White"})
    boards = []
    for i in range(0, n, 2):
        black = people["ethnicity"][i] == "Black"
        boards.append({"person_id": ids[i], "kind": "promotion_board", "outcome": "passed",
                       "date": dt.date(2019, 3, 1)})
        if rng.random() < (0.3 if black else 0.8):
            boards.append({"person_id": ids[i], "kind": "promoted", "date": dt.date(2019, 9, 1)})
    # Officers 0, 2, 4, … 98 reported something in 2018, before their board: none of them was promoted.
    complaints.append({"complaint_id": "staff-report", "received_date": dt.date(2018, 5, 1), "source": "internal"})
    reporters = [{"complaint_id": "staff-report", "person_id": ids[i], "reported_date": dt.date(2018, 5, 1)}
                 for i in range(0, 100, 2)]
    boards = [b for b in boards if not (b["kind"] == "promoted" and b["person_id"] in {r["person_id"]
                                                                                         for r in reporters})]
    save(name, {"people": people, "complaints": pl.DataFrame(complaints), "allegations": pl.DataFrame(allegations),
                "complainants": pl.DataFrame(complainants), "hr_events": pl.DataFrame(boards),
                "reporters": pl.DataFrame(reporters)},
         {"source": "test", "workforce_known": True, "as_of": "2024-12-31"})
    return name


def test_the_planted_attrition_after_being_accused_is_found() -> None:
    document = attrition(load(planted_force("planted-attrition")), by="ethnicity")
    accused = document["after_accused"]
    assert accused["missing"] is False
    assert accused["cox"]["hazard_ratio"] > 1.5 and accused["cox"]["ci_low"] > 1
    exposed, peers = accused["cohorts"]["exposed"], accused["cohorts"]["peers"]
    assert exposed["n"] == 200 and peers["n"] > 100
    assert exposed["survival_at"]["2"]["survival"] < peers["survival_at"]["2"]["survival"]
    first = exposed["curve"][4]
    assert first["ci_low"] <= first["survival"] <= first["ci_high"]
    reporting = document["after_reporting"]  # 50 reporters with no planted effect on leaving
    assert reporting["missing"] or 0 < reporting["cohorts"]["exposed"]["n"] <= 50  # those still serving then
    leaving = {r["group"]: r for r in document["leaving"]["rows"]}
    assert leaving["White"]["denominator"] + leaving["Black"]["denominator"] == 600


def test_passed_the_board_but_not_promoted_is_counted_by_group() -> None:
    data = load(planted_force("planted-promotion"))
    rows = {r["group"]: r for r in attrition(data, survival_analysis=False)["promotion"]["rows"]}
    boards = data.hr_events.filter(kind="promotion_board").join(data.people, on="person_id")
    promoted = set(data.hr_events.filter(kind="promoted")["person_id"].to_list())
    for group in ("White", "Black"):
        passed = boards.filter(ethnicity=group)["person_id"].to_list()
        assert rows[group]["denominator"] == len(passed)
        assert rows[group]["numerator"] == len([p for p in passed if p not in promoted])
    assert rows["Black"]["relative_rate"] > 1 and rows["Black"]["significant"]
    by_reporting = {r["group"]: r for r in attrition(data, survival_analysis=False)["promotion"]["by_reporting"]}
    assert by_reporting["reported before the board"]["numerator"] == 50
    assert by_reporting["reported before the board"]["denominator"] == 50
    assert by_reporting["did not report before the board"]["denominator"] == 250


def test_the_planted_difference_in_complainant_outcomes_is_found() -> None:
    document = outcomes(load(planted_force("planted-outcomes")))
    by_sex = {r["group"]: r for r in document["by_complainant_sex"]["rows"]}
    assert document["by_complainant_sex"]["reference"] == "Male"
    assert by_sex["Female"]["denominator"] == 100 and by_sex["Male"]["denominator"] == 100
    assert by_sex["Female"]["relative_rate"] < 1 and by_sex["Female"]["ci_high"] < 1
    assert by_sex["Female"]["closed"] == 100 and by_sex["Female"]["median_days"] is not None
    themes = {r["group"] for r in document["by_theme"]["rows"]}
    assert themes == {"sexual_misconduct", "violence"}
    assert document["by_complainant_ethnicity"]["rows"][0]["group"] == "White"


def timely_dataset(name: str) -> str:
    """Four complaints with known answers: open 100, 400 and 800 days, one closed after 50; acknowledged in 2 and
    20 days, one never."""
    as_of = dt.date(2024, 6, 30)
    days_ago = lambda n: as_of - dt.timedelta(days=n)  # noqa: E731
    complaints = pl.DataFrame([
        {"complaint_id": "open-100", "received_date": days_ago(100), "handovers": 0},
        {"complaint_id": "open-400", "received_date": days_ago(400), "handovers": 1},
        {"complaint_id": "open-800", "received_date": days_ago(800), "handovers": 4},
        {"complaint_id": "closed-50", "received_date": days_ago(500), "closed_date": days_ago(450), "handovers": 2},
    ])
    events = pl.DataFrame([
        {"complaint_id": "open-100", "stage": "received", "date": days_ago(100)},
        {"complaint_id": "open-100", "stage": "acknowledged", "date": days_ago(98)},
        {"complaint_id": "open-400", "stage": "received", "date": days_ago(400)},
        {"complaint_id": "open-400", "stage": "acknowledged", "date": days_ago(380)},  # 20 days: late
        {"complaint_id": "open-800", "stage": "received", "date": days_ago(800)},  # never acknowledged: overdue
        {"complaint_id": "closed-50", "stage": "received", "date": days_ago(500)},
        {"complaint_id": "closed-50", "stage": "acknowledged", "date": days_ago(499)},
        {"complaint_id": "closed-50", "stage": "closed", "date": days_ago(450)},
    ])
    save(name, {"complaints": complaints, "stage_events": events}, {"source": "test", "as_of": as_of})
    return name


def test_timeliness_counts_old_open_cases_handovers_and_late_acknowledgements() -> None:
    document = timeliness(load(timely_dataset("timely")))
    durations = document["durations"]
    assert durations["open_at_as_of"] == 3
    assert (durations["open_over_12_months"]["numerator"], durations["open_over_12_months"]["denominator"]) == (2, 3)
    assert durations["open_over_2_years"]["numerator"] == 1
    assert durations["took_over_12_months"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    assert durations["time_to_close"]["median_days"] == 50
    assert document["handovers"]["distribution"] == {"0": 1, "1": 1, "2": 1, "3+": 1}
    assert document["handovers"]["two_or_more"]["numerator"] == 2
    assert document["accounts_per_victim"]["missing"] is True
    acknowledgement = document["overdue"]["acknowledgement"]
    assert acknowledgement["late_or_overdue"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    assert acknowledgement["overdue_now"] == 1
    stages = {r["stage"]: r for r in document["time_in_stage"]["rows"]}
    assert stages["received"]["median_days"] == 2 and stages["received"]["ongoing"] == 1  # stays of 2, 20 and 1 days


def test_published_views_hide_small_counts_in_every_command() -> None:
    planted_force("planted-published")
    runner = CliRunner()
    for command in ("outcomes", "attrition", "timeliness"):
        result = runner.invoke(insight, [command, "--dataset", "planted-published", "--published", "--json"])
        assert result.exit_code == 0, result.output
        document = json.loads(result.output)
        assert document["disclosure_control"]["rounded_to"] == 5
        text = json.dumps(document)
        assert '"numerator": 1,' not in text and '"numerator": 3,' not in text
