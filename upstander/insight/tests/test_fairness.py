"""Disproportionality: the Katz interval, the `substantiated` definition, per head against per allegation, and
stages the dataset does not record."""

from __future__ import annotations

import datetime as dt
import json
import math

import polars as pl
import pytest
from click.testing import CliRunner

from upstander.insight.commands import insight
from upstander.insight.datasets import load, save
from upstander.insight.fairness import choose_reference, fairness, katz_interval, white_label


def test_the_katz_interval_of_a_hand_checked_two_by_two_table() -> None:
    """20 of 100 against 10 of 100: RR 2, SE(ln RR) = sqrt(1/20 − 1/100 + 1/10 − 1/100) = sqrt(0.13) = 0.36056,
    so the interval is 2·exp(∓1.95996 × 0.36056) = 0.98656 … 4.05448."""
    rr, low, high = katz_interval(20, 100, 10, 100)
    assert rr == 2.0
    assert low == pytest.approx(0.98656, abs=1e-5)
    assert high == pytest.approx(4.05448, abs=1e-5)


def test_the_katz_interval_is_undefined_without_events() -> None:
    assert katz_interval(0, 50, 10, 100) == (0.0, None, None)
    assert katz_interval(5, 50, 0, 100) == (None, None, None)


def test_the_reference_is_the_datasets_own_white_label() -> None:
    assert white_label(["BLACK", "HISPANIC", "WHITE"]) == "WHITE"
    assert white_label(["Black", "White British", "Asian"]) == "White British"
    assert white_label(["White British", "White Irish"]) is None  # ambiguous: the analyst must choose
    people = pl.DataFrame({"ethnicity": ["WHITE", "WHITE", "BLACK"], "sex": ["MALE", "MALE", "FEMALE"]})
    assert choose_reference("ethnicity_sex", people, ["BLACK / FEMALE", "WHITE / MALE"], None) == "WHITE / MALE"
    assert choose_reference("ethnicity", people, ["BLACK", "WHITE"], "black") == "BLACK"


PEOPLE = [
    # person, sex, ethnicity, in workforce, appointed, left
    ("p1", "M", "White", True, "2010-01-01", None),
    ("p2", "F", "White", True, "2012-01-01", None),
    ("p6", "F", "White", True, "2012-01-01", "2019-06-30"),  # left before the window
    ("p3", "M", "Black", True, "2015-01-01", None),
    ("p4", "F", "Black", True, "2016-01-01", None),
    ("p5", "M", "Black", False, None, None),  # accused but not in the workforce (e.g. another force)
]
COMPLAINTS = [("c1", "2020-01-10", "public"), ("c2", "2020-02-01", "public"), ("c3", "2020-03-01", "internal"),
              ("c4", "2021-05-01", "public")]
ALLEGATIONS = [
    # complaint, person, category, finding, sanctioned
    ("c1", "p3", "force", "substantiated", True),
    ("c1", "p3", "racism", "not_substantiated", False),  # same person and complaint: one allegation unit
    ("c1", "p1", "force", None, None),  # no finding recorded: still in the denominator
    ("c2", "p3", "force", "no_finding", False),
    ("c3", "p4", "bullying", "substantiated", True),
    ("c2", "p5", "force", "substantiated", False),
    ("c4", "p1", "force", "unfounded", False),
    ("c4", "p2", "force", "substantiated", True),
]


def small_dataset(name: str, *, workforce_known: bool = True) -> str:
    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    tables = {
        "people": pl.DataFrame([{"person_id": p, "sex": s, "ethnicity": e, "in_workforce": w,
                                 "appointed_date": day(a), "left_date": day(left)}
                                for p, s, e, w, a, left in PEOPLE]),
        "complaints": pl.DataFrame([{"complaint_id": c, "received_date": day(d), "source": src}
                                    for c, d, src in COMPLAINTS]),
        "allegations": pl.DataFrame([{"allegation_id": f"a{i}", "complaint_id": c, "person_id": p, "category": cat,
                                      "finding": f, "sanctioned": s, "dismissed": False if s is not None else None}
                                     for i, (c, p, cat, f, s) in enumerate(ALLEGATIONS)]),
    }
    save(name, tables, {"source": "test", "workforce_known": workforce_known})
    return name


def by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["stage"], r["group"]): r for r in rows}


def test_substantiated_counts_person_complaint_pairs_over_every_allegation_in_the_window() -> None:
    document = fairness(load(small_dataset("fair-small")), by="ethnicity")
    rates = by_key(document["rates"])
    black, white = rates[("substantiated", "Black")], rates[("substantiated", "White")]
    # Black: (c1,p3) substantiated once despite two categories, (c2,p3) no finding, (c3,p4), (c2,p5): 3 of 4.
    assert (black["numerator"], black["denominator"]) == (3, 4)
    # White: (c1,p1) with no finding recorded, (c4,p1) unfounded, (c4,p2) substantiated: 1 of 3.
    assert (white["numerator"], white["denominator"]) == (1, 3)
    assert black["relative_rate"] == pytest.approx((3 / 4) / (1 / 3))
    assert white["reference"] is True and white["relative_rate"] == 1.0
    assert black["basis"] == "per_allegation"


def test_per_head_rates_count_distinct_people_of_the_workforce_in_the_window() -> None:
    document = fairness(load(small_dataset("fair-head"), dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
                        by="ethnicity")
    per_head = by_key(document["rates_per_head"])
    # White in the window: p1, p2 (p6 left in 2019); accused in 2020: p1 only (c4 is 2021).
    assert (per_head[("allegation", "White")]["numerator"], per_head[("allegation", "White")]["denominator"]) == (1, 2)
    # Black workforce: p3, p4 (p5 is not in the workforce, so not counted per head).
    assert (per_head[("allegation", "Black")]["numerator"], per_head[("allegation", "Black")]["denominator"]) == (2, 2)
    assert (per_head[("substantiated", "Black")]["numerator"]) == 2
    assert by_key(document["rates"])[("allegation", "White")]["basis"] == "per_head"
    per_allegation = by_key(document["rates_per_allegation"])
    assert per_allegation[("substantiated", "White")]["denominator"] == 1  # the window drops c4


def test_a_stage_the_dataset_does_not_record_is_missing_not_zero() -> None:
    document = fairness(load(small_dataset("fair-missing")), by="sex")
    rates = by_key(document["rates"])
    stages = {r["stage"] for r in document["rates"]}
    groups = {r["group"] for r in document["rates"]}
    assert len(document["rates"]) == len(stages) * len(groups) == 7 * 2
    for stage in ("assessed_misconduct", "investigated", "proceedings"):
        row = rates[(stage, "F")]
        assert row["missing"] is True and row["numerator"] is None and row["rate"] is None
    assert rates[("sanction", "F")]["missing"] is False and rates[("sanction", "F")]["numerator"] == 2
    assert document["reference"] == "M"


def test_without_a_known_workforce_per_head_rates_are_missing() -> None:
    document = fairness(load(small_dataset("fair-noworkforce", workforce_known=False)), by="ethnicity")
    rates = by_key(document["rates"])
    assert rates[("allegation", "Black")]["missing"] is True
    assert "workforce" in rates[("allegation", "Black")]["missing_reason"]
    assert rates[("substantiated", "Black")]["numerator"] == 3


def test_the_command_prints_one_document_with_every_field_the_issue_names() -> None:
    small_dataset("fair-cli")
    result = CliRunner().invoke(insight, ["fairness", "--dataset", "fair-cli", "--by", "ethnicity_sex", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    for row in document["rates"]:
        assert {"stage", "group", "numerator", "denominator", "rate", "relative_rate", "ci_low", "ci_high"} <= set(row)
    assert "Black / M" in {r["group"] for r in document["rates"]}
    assert document["reference"] == "White / F"  # the sex most common among White people here


def test_per_person_year_rates_divide_allegations_by_years_employed_in_the_window() -> None:
    document = fairness(load(small_dataset("fair-years"), dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
                        by="ethnicity")
    rows = by_key(document["rates_per_person_year"])
    black, white = rows[("allegation", "Black")], rows[("allegation", "White")]
    # Black workforce p3, p4 employed all 366 days of 2020; their allegations (c1,p3), (c2,p3), (c3,p4) — p5 is not
    # in the workforce. White: p1, p2 (p6 left in 2019); one allegation (c1,p1).
    assert black["numerator"] == 3 and black["denominator"] == pytest.approx(2 * 366 / 365.25)
    assert white["numerator"] == 1 and white["denominator"] == pytest.approx(2 * 366 / 365.25)
    assert black["relative_rate"] == pytest.approx(3.0)
    assert black["ci_low"] == pytest.approx(3 * math.exp(-1.959964 * math.sqrt(1 / 3 + 1)), rel=1e-5)
    assert document["person_years_period"] == {"from": "2020-01-01", "to": "2020-12-31"}


def test_staff_kind_restricts_people_and_the_allegations_against_them() -> None:
    small_dataset("fair-kind")
    data = load("fair-kind")
    people = data.people.with_columns(pl.when(pl.col("person_id") == "p3").then(pl.lit("staff"))
                                      .otherwise(pl.lit("officer")).alias("staff_kind"))
    save("fair-kind", {"people": people, "complaints": data.complaints, "allegations": data.allegations},
         {"source": "test", "workforce_known": True})
    officers = by_key(fairness(load("fair-kind"), by="ethnicity", staff_kind="officer")["rates"])
    assert (officers[("substantiated", "Black")]["numerator"], officers[("substantiated", "Black")]["denominator"]) \
        == (2, 2)  # (c3,p4) and (c2,p5): p3's allegations are against a member of police staff
    assert officers[("allegation", "Black")]["denominator"] == 1
