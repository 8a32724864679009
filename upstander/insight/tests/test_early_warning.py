"""Early warning: rules read from the policy file, features that cannot see the future, the comparison at the same
number of people flagged, and on the Chicago data the model against every rule at one cut-off."""

from __future__ import annotations

import json
import random
from datetime import date

import click
import polars as pl
import pytest
from click.testing import CliRunner

from upstander.env import shared_data_dir
from upstander.insight import datasets
from upstander.insight.early_warning import (
    Rule,
    early_warning,
    features,
    history,
    load_policy,
    population,
    rule_flags,
)
from upstander.insight.pattern_commands import register

CHICAGO = shared_data_dir() / "chicago-cpdp-2019"
POLICY = load_policy()


def store(name: str, rows: list[dict], people: list[dict] | None = None) -> datasets.Dataset:
    """rows: one allegation each (complaint_id, person_id, received, category, theme, substantiated, closed)."""
    complaints = pl.DataFrame([
        {"complaint_id": r["complaint_id"], "received_date": r["received"], "closed_date": r.get("closed"),
         "source": r.get("source", "public")} for r in rows
    ], schema={"complaint_id": pl.Utf8, "received_date": pl.Date, "closed_date": pl.Date, "source": pl.Utf8}
    ).unique("complaint_id", keep="first")
    allegations = pl.DataFrame([
        {"allegation_id": f"{r['complaint_id']}|{r['person_id']}|{i}", "complaint_id": r["complaint_id"],
         "person_id": r["person_id"], "category": r.get("category", "OTHER"), "theme": r.get("theme"),
         "finding": "substantiated" if r.get("substantiated") else "not_substantiated"} for i, r in enumerate(rows)
    ], schema={"allegation_id": pl.Utf8, "complaint_id": pl.Utf8, "person_id": pl.Utf8, "category": pl.Utf8,
               "theme": pl.Utf8, "finding": pl.Utf8})
    tables = {"complaints": complaints, "allegations": allegations}
    if people is not None:
        tables["people"] = pl.DataFrame(people, schema={"person_id": pl.Utf8, "appointed_date": pl.Date,
                                                        "left_date": pl.Date, "birth_year": pl.Int32})
    datasets.save(name, tables, {"source": "test"})
    return datasets.load(name)


def allegation(n: int, person: str, received: date, **extra) -> dict:
    return {"complaint_id": f"c{n}", "person_id": person, "received": received, **extra}


def test_keywords_map_free_text_and_upstander_category_keys_to_kinds():
    texts = ["EXCESSIVE FORCE:  DOMESTIC", "SEXUAL ORIENTATION", "CONDUCT UNBECOMING (OFF DUTY): SEXUAL MISCONDUCT",
             "ARRESTEE - DURING ARREST", "RAPE/SEX OFFENSES", "INVENTORY PROCEDURES"]
    rows = [allegation(i, "p", date(2020, 1, 1), category=text) for i, text in enumerate(texts)]
    rows.append(allegation(99, "p", date(2020, 1, 1), category="Anything at all", theme="domestic_abuse"))
    pairs = history(store("kinds", rows), POLICY).sort("complaint_id")
    kinds = {cid: {k for k in POLICY.kinds if flags[f"k_{k}"]}
             for cid, flags in zip(pairs["complaint_id"], pairs.iter_rows(named=True), strict=True)}
    assert kinds == {"c0": {"domestic", "violence"}, "c1": set(), "c2": {"sexual"}, "c3": {"violence"},
                     "c4": {"sexual"}, "c5": set(), "c99": {"domestic"}}


def test_a_count_rule_counts_allegations_in_the_months_before_the_cutoff():
    at = date(2020, 12, 31)
    rows = [allegation(1, "busy", date(2020, 1, 5)), allegation(2, "busy", date(2020, 6, 1)),
            allegation(3, "busy", date(2020, 12, 31)), allegation(4, "busy", date(2021, 1, 1)),
            allegation(5, "spread", date(2019, 12, 31)), allegation(6, "spread", date(2020, 6, 1)),
            allegation(7, "spread", date(2020, 7, 1))]
    pairs = history(store("count-rule", rows), POLICY)
    people = pl.Series(["busy", "spread"])
    rule = Rule(name="3 in 12 months", type="count", months=12, min=3)
    assert rule_flags(rule, pairs, people, at) == {"busy"}
    assert rule_flags(rule, pairs, people, date(2021, 5, 31)) == {"busy"}  # after 2020-05-31, up to 2021-05-31
    assert rule_flags(rule, pairs, people, date(2021, 6, 1)) == set()  # 2020-06-01 is no longer after the start


def test_the_two_kinds_rule_needs_two_different_kinds_and_the_any_combination_rule_does_not():
    at = date(2020, 12, 31)
    rows = [allegation(1, "violent", date(2020, 1, 1), category="EXCESSIVE FORCE: NO ARREST"),
            allegation(2, "violent", date(2020, 2, 1), category="UNNECESSARY PHYSICAL CONTACT - ON DUTY"),
            allegation(3, "mixed", date(2018, 1, 1), category="DOMESTIC ALTERCATION/INCIDENT - OFF DUTY"),
            allegation(4, "mixed", date(2020, 2, 1), category="EXCESSIVE FORCE: NO ARREST"),
            allegation(5, "other", date(2020, 2, 1), category="ILLEGAL ARREST"),
            allegation(6, "other", date(2020, 3, 1), category="ILLEGAL ARREST")]
    pairs = history(store("kinds-rule", rows), POLICY)
    people = pl.Series(["violent", "mixed", "other"])
    rules = {r.name: r for r in POLICY.rules}
    any_two = rules["any 2 of sexual misconduct, domestic abuse and violence in 5 years"]
    two_kinds = rules["2 different kinds of sexual misconduct, domestic abuse and violence in 5 years"]
    assert rule_flags(any_two, pairs, people, at) == {"violent", "mixed"}
    assert rule_flags(two_kinds, pairs, people, at) == {"mixed"}


def test_the_top_percent_rule_flags_ties_at_the_boundary_and_nobody_without_allegations():
    at = date(2020, 12, 31)
    counts = {"a": 4, "b": 2, "c": 2, "d": 1}
    rows, n = [], 0
    for person, count in counts.items():
        for _ in range(count):
            n += 1
            rows.append(allegation(n, person, date(2020, 6, 1)))
    pairs = history(store("top-percent", rows), POLICY)
    people = pl.Series([*counts, *[f"quiet{i}" for i in range(16)]])  # 20 people
    ten = Rule(name="top 10%", type="top_percent", months=12, percent=10)  # 2 people: a, then b and c tie
    assert rule_flags(ten, pairs, people, at) == {"a", "b", "c"}
    everyone = Rule(name="top 50%", type="top_percent", months=12, percent=50)
    assert rule_flags(everyone, pairs, people, at) == set(counts)


def test_features_and_population_at_a_date_cannot_see_anything_after_it():
    at = date(2015, 12, 31)
    people = [{"person_id": "p", "appointed_date": date(2005, 1, 1), "left_date": None, "birth_year": 1980},
              {"person_id": "q", "appointed_date": date(2005, 1, 1), "left_date": None, "birth_year": 1975}]
    past = [allegation(1, "p", date(2014, 1, 1), closed=date(2015, 6, 1), substantiated=True),
            allegation(1, "q", date(2014, 1, 1), closed=date(2015, 6, 1)),
            allegation(2, "p", date(2015, 3, 1), closed=date(2017, 1, 1), substantiated=True)]
    future = [allegation(3, "p", date(2016, 2, 1), substantiated=True), allegation(4, "q", date(2017, 1, 1))]
    before = store("no-future", past, people)
    after = store("with-future", past + future, people)
    frames = []
    for data in (before, after):
        pairs = history(data, POLICY)
        frames.append(features(data, pairs, population(data, pairs, at), at, POLICY))
    assert frames[0].equals(frames[1])
    p = frames[0].filter(pl.col("person_id") == "p").row(0, named=True)
    # c2's finding was only known in 2017: substantiated once, and one allegation still open, at the end of 2015
    assert (p["n_all"], p["sub_all"], p["open_now"], p["co_people"]) == (2, 1, 1, 1)
    assert p["service_years"] == pytest.approx(11, abs=0.01) and p["age"] == 35


def test_the_population_is_the_workforce_at_the_cutoff():
    people = [{"person_id": "serving", "appointed_date": date(2000, 1, 1), "left_date": None},
              {"person_id": "left", "appointed_date": date(2000, 1, 1), "left_date": date(2010, 6, 1)},
              {"person_id": "later", "appointed_date": date(2011, 1, 1), "left_date": None},
              {"person_id": "undated-active", "appointed_date": None, "left_date": None},
              {"person_id": "undated-quiet", "appointed_date": None, "left_date": None}]
    rows = [allegation(1, "undated-active", date(2009, 1, 1)), allegation(2, "unlisted", date(2008, 1, 1)),
            allegation(3, "undated-quiet", date(2001, 1, 1))]
    data = store("population", rows, [p | {"birth_year": None} for p in people])
    pairs = history(data, POLICY)
    assert population(data, pairs, date(2010, 12, 31)).to_list() == ["serving", "undated-active", "unlisted"]


def synthetic_force(name: str, seed: int = 3) -> datasets.Dataset:
    """300 officers with a hidden propensity; each year they draw allegations in proportion to it."""
    rng = random.Random(seed)
    categories = ["EXCESSIVE FORCE: NO ARREST", "ILLEGAL ARREST", "DOMESTIC", "SEXUAL MISCONDUCT",
                  "INVENTORY PROCEDURES", "USE OF PROFANITY"]
    rows, people, n = [], [], 0
    for i in range(300):
        person = f"officer{i:03d}"
        propensity = rng.expovariate(1.0) ** 2 * 0.6
        people.append({"person_id": person, "appointed_date": date(1990 + i % 10, 1, 1), "left_date": None,
                       "birth_year": 1965 + i % 20})
        for year in range(2000, 2014):
            for _ in range(sum(rng.random() < propensity / 4 for _ in range(4))):
                n += 1
                received = date(year, rng.randint(1, 12), rng.randint(1, 28))
                rows.append(allegation(n, person, received, category=rng.choice(categories),
                                       substantiated=rng.random() < 0.1 + 0.2 * min(propensity, 1),
                                       closed=date(year + 1, received.month, received.day)))
    return store(name, rows, people)


def test_the_model_is_compared_with_each_rule_at_the_same_number_of_people_flagged():
    data = synthetic_force("synthetic-force")
    result = early_warning(data, train_to=2010, horizon=2, outcome="any", snapshots=3)
    assert (result["cutoff"], result["horizon"], result["outcome"]) == ("2010-12-31", 2, "any")
    assert result["population"] == 300 and 0 < result["positives"] < 300
    assert result["model"]["auc"] > 0.7
    assert [r["name"] for r in result["rules"]] == [r.name for r in POLICY.rules]
    for rule in result["rules"]:
        model = rule["model_at_same_flagged"]
        assert rule["true_positives"] + rule["false_positives"] == rule["flagged"]
        assert model["true_positives"] + model["false_positives"] == rule["flagged"]
        if rule["flagged"]:
            assert rule["precision"] == rule["true_positives"] / rule["flagged"]
            assert model["recall"] == model["true_positives"] / result["positives"]


def test_the_command_writes_one_json_document():
    synthetic_force("synthetic-cli", seed=4)
    group = click.Group("insight")
    register(group)
    outcome = CliRunner().invoke(group, ["early-warning", "--dataset", "synthetic-cli", "--train-to", "2010",
                                         "--horizon", "2", "--snapshots", "2", "--top", "5", "--json"])
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(outcome.stdout)
    assert {"cutoff", "horizon", "outcome", "positives", "model", "rules"} <= set(result)
    assert len(result["highest_risk"]) == 5


def test_it_refuses_a_cutoff_with_no_history_to_learn_from():
    synthetic_force("synthetic-early", seed=5)
    group = click.Group("insight")
    register(group)
    outcome = CliRunner().invoke(group, ["early-warning", "--dataset", "synthetic-early", "--train-to", "1999",
                                         "--json"])
    assert outcome.exit_code == 1 and "no allegation was received in the training windows" in outcome.output


# --- the Chicago data -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chicago_ew() -> datasets.Dataset:
    from upstander.insight.tests.test_patterns import imported_chicago

    return datasets.load(imported_chicago())


def independent_positives(cutoff: str, start: str, end: str) -> int:
    """People in the workforce at the cut-off with a sustained allegation received in [start, end], counted in SQL
    over the raw files."""
    import duckdb

    con = duckdb.connect()
    for view, name in (("accused", "complaints-accused.csv.gz"), ("complaints", "complaints-complaints.csv.gz"),
                       ("profiles", "final-profiles.csv.gz")):
        con.read_csv(str(CHICAGO / name), all_varchar=True).create_view(view)
    return con.execute("""
        WITH alleg AS (
            SELECT CAST(CAST(a.UID AS DOUBLE) AS BIGINT) AS uid, a.final_finding AS finding,
                   CAST(c.complaint_date AS DATE) AS received
            FROM accused a JOIN complaints c ON c.cr_id = a.cr_id),
        workforce AS (
            SELECT CAST(CAST(p.UID AS DOUBLE) AS BIGINT) AS uid FROM profiles p
            WHERE (p.resignation_date IS NULL OR CAST(p.resignation_date AS DATE) > CAST($1 AS DATE))
              AND (CAST(p.appointed_date AS DATE) <= CAST($1 AS DATE)
                   OR (p.appointed_date IS NULL AND CAST(CAST(p.UID AS DOUBLE) AS BIGINT) IN (
                       SELECT uid FROM alleg WHERE received <= CAST($1 AS DATE)
                                               AND received > CAST($1 AS DATE) - INTERVAL 5 YEAR))))
        SELECT count(DISTINCT uid) FROM alleg JOIN workforce USING (uid)
        WHERE finding = 'SU' AND received BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)
    """, [cutoff, start, end]).fetchone()[0]


def test_on_chicago_the_model_finds_at_least_as_many_as_every_rule_at_the_same_number_flagged(chicago_ew):
    result = early_warning(chicago_ew, train_to=2012, horizon=2)
    assert result["positives"] == independent_positives("2012-12-31", "2013-01-01", "2014-12-31")
    assert result["model"]["auc"] > 0.6
    for rule in result["rules"]:
        assert rule["flagged"] > 0, rule["name"]
        assert rule["model_at_same_flagged"]["true_positives"] >= rule["true_positives"], rule["name"]
