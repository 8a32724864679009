"""Concentration, co-accusal pairs, crews, repeat witnesses and resignations under investigation: small datasets
with known answers, then the Chicago data against an independent DuckDB count over the raw files."""

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
from upstander.insight.pattern_commands import register
from upstander.insight.patterns import PatternOptions, patterns, resigned_under_investigation

CHICAGO = shared_data_dir() / "chicago-cpdp-2019"


def store(name: str, accused: dict[str, list[str]], *, received: dict[str, date] | None = None,
          source: dict[str, str] | None = None, substantiated: set[tuple[str, str]] = frozenset(),
          witnesses: list[tuple[str, str]] = (), people: list[dict] | None = None,
          closed: dict[str, date] | None = None) -> datasets.Dataset:
    """Save a dataset of complaints -> accused people through the real storage, and load it back."""
    received = received or {}
    complaints = pl.DataFrame([
        {"complaint_id": cid, "received_date": received.get(cid, date(2020, 1, 1)),
         "closed_date": (closed or {}).get(cid), "source": (source or {}).get(cid, "public")}
        for cid in accused
    ], schema={"complaint_id": pl.Utf8, "received_date": pl.Date, "closed_date": pl.Date, "source": pl.Utf8})
    allegations = pl.DataFrame([
        {"allegation_id": f"{cid}|{pid}", "complaint_id": cid, "person_id": pid, "category": "OTHER",
         "finding": "substantiated" if (cid, pid) in substantiated else "not_substantiated"}
        for cid, pids in accused.items() for pid in pids
    ])
    tables = {"complaints": complaints, "allegations": allegations,
              "witnesses": pl.DataFrame(list(witnesses), schema=["complaint_id", "person_id"], orient="row")}
    if people:
        tables["people"] = pl.DataFrame(people)
    datasets.save(name, tables, {"source": "test"})
    return datasets.load(name)


def test_concentration_is_the_share_held_by_the_top_ceil_percent_of_accused_people():
    # 20 people: p00 has 10 allegations, p01 has 5, the other 18 have one each -> 33 allegations.
    accused: dict[str, list[str]] = {}
    for i in range(10):
        accused[f"a{i}"] = ["p00"]
    for i in range(5):
        accused[f"b{i}"] = ["p01"]
    for i in range(2, 20):
        accused[f"c{i}"] = [f"p{i:02d}"]
    result = patterns(store("concentration", accused))
    assert (result["subjects"], result["complaints"], result["allegations"]) == (20, 33, 33)
    # top 1% and 5% of 20 people: ceil(0.2) = ceil(1.0) = 1 person; top 10%: 2 people.
    assert result["concentration"] == {"1": 10 / 33, "5": 10 / 33, "10": 15 / 33}


def test_an_allegation_is_a_person_complaint_pair_however_many_categories_it_has():
    accused = {"c1": ["p1", "p2"]}
    data = store("pairs-once", accused)
    doubled = data.allegations.vstack(data.allegations.with_columns(pl.lit("SECOND CATEGORY").alias("category")))
    datasets.save("pairs-doubled", {"complaints": data.complaints, "allegations": doubled}, {"source": "test"})
    result = patterns(datasets.load("pairs-doubled"))
    assert (result["subjects"], result["complaints"], result["allegations"]) == (2, 1, 2)


def test_pairs_count_complaints_together_and_complaints_over_max_group_are_left_out():
    crowd = ["a", "b"] + [f"x{i}" for i in range(9)]  # 11 accused
    accused = {"c1": ["a", "b", "c"], "c2": ["a", "b"], "c3": ["a", "b"], "c4": ["a", "b"], "c5": ["a", "c"],
               "c6": ["a", "c"], "big": crowd} | {f"de{n}": ["d", "e"] for n in range(5)}
    data = store("max-group", accused)
    default = patterns(data)
    # a-b: 4 (the big complaint left out), a-c: 3, b-c: 1, d-e: 5
    assert default["graph"]["complaints_excluded"] == 1 and default["graph"]["edges"] == 4
    assert default["coaccused_pairs"] == {"ge3": 3, "ge5": 1}
    wider = patterns(data, PatternOptions(max_group=11))
    # a-b: 5 now; the big complaint adds its 55 pairs, a-b among them
    assert wider["graph"]["complaints_excluded"] == 0 and wider["graph"]["edges"] == 4 + 55 - 1
    assert wider["coaccused_pairs"] == {"ge3": 3, "ge5": 2}


def test_planted_crews_are_recovered_among_background_co_accusals():
    rng = random.Random(8)
    planted = [[f"crew{k}-{i}" for i in range(size)] for k, size in enumerate([3, 4, 5, 6, 8])]
    loners = [f"officer{i}" for i in range(300)]
    accused: dict[str, list[str]] = {}
    for k, crew in enumerate(planted):
        for n in range(12):  # each crew is accused together, in varying sub-groups, on 12 complaints
            accused[f"crew{k}-complaint{n}"] = rng.sample(crew, rng.randint(min(3, len(crew)), len(crew)))
    for n in range(600):  # background: pairs and threes of random officers, occasionally with a crew member
        group = rng.sample(loners, rng.choice([1, 2, 2, 3]))
        if rng.random() < 0.1:
            group.append(rng.choice(rng.choice(planted)))
        accused[f"background{n}"] = group
    result = patterns(store("planted-crews", accused))
    found = sorted(sorted(crew["members"]) for crew in result["crews"])
    assert found == sorted(sorted(crew) for crew in planted)
    assert result["crew_totals"]["people"] == sum(len(c) for c in planted)


def test_crews_report_their_share_of_all_and_of_substantiated_allegations():
    accused = {f"k{n}": ["a", "b", "c"] for n in range(3)} | {"solo1": ["z"], "solo2": ["y"], "solo3": ["x"]}
    substantiated = {("k0", "a"), ("solo1", "z")}
    result = patterns(store("crew-shares", accused, substantiated=substantiated))
    (crew,) = result["crews"]
    assert crew["members"] == ["a", "b", "c"] and crew["allegations"] == 9 and crew["joint_complaints"] == 3
    assert crew["share_of_allegations"] == 9 / 12
    assert crew["share_of_substantiated"] == 1 / 2


def test_it_honours_the_window_and_the_source():
    accused = {"old": ["a", "b"], "new": ["a"], "staff": ["c"]}
    received = {"old": date(2015, 6, 1), "new": date(2021, 3, 1), "staff": date(2021, 4, 1)}
    data = store("window", accused, received=received, source={"staff": "internal"})
    recent = patterns(data, PatternOptions(date_from=date(2021, 1, 1), date_to=date(2021, 12, 31)))
    assert (recent["subjects"], recent["complaints"], recent["allegations"]) == (2, 2, 2)
    public = patterns(data, PatternOptions(source="public"))
    assert (public["subjects"], public["complaints"], public["allegations"]) == (2, 2, 3)


def test_witnesses_who_repeatedly_support_the_same_subject_are_listed():
    accused = {f"c{n}": ["s"] for n in range(4)} | {"c9": ["t"]}
    witnesses = [(f"c{n}", "w") for n in range(4)] + [("c0", "v"), ("c9", "w"), ("c0", "s")]
    result = patterns(store("witnesses", accused, witnesses=witnesses, substantiated={("c2", "s")}))
    assert result["witness_pairs"] == {"ge3": 1, "ge5": 0}
    assert result["repeat_witnesses"] == [{"witness": "w", "subject": "s", "complaints": 4, "substantiated": 1}]


def test_it_lists_people_who_left_while_an_allegation_was_open_with_what_happened():
    accused = {"before": ["p"], "open": ["p"], "after": ["p"], "pending": ["q"], "other": ["r"]}
    received = {"before": date(2019, 1, 1), "open": date(2019, 6, 1), "after": date(2020, 6, 1),
                "pending": date(2019, 9, 1), "other": date(2019, 1, 1)}
    closed = {"before": date(2019, 3, 1), "open": date(2020, 2, 1), "after": date(2020, 9, 1)}
    people = [{"person_id": "p", "left_date": date(2019, 12, 1)}, {"person_id": "q", "left_date": date(2020, 1, 1)},
              {"person_id": "r", "left_date": None}]
    data = store("resigned", accused, received=received, closed=closed, people=people,
                 substantiated={("open", "p")})
    result = resigned_under_investigation(data)
    assert [(row["person_id"], row["complaint_id"]) for row in result["list"]] == [("p", "open"), ("q", "pending")]
    assert (result["people"], result["allegations"], result["still_open"]) == (2, 2, 1)
    assert result["by_finding"] == {"not_substantiated": 1, "substantiated": 1}
    assert result["list"][0]["days_open_after_leaving"] == 62


def run_cli(*args: str) -> dict:
    group = click.Group("insight")
    register(group)
    outcome = CliRunner().invoke(group, list(args))
    assert outcome.exit_code == 0, outcome.output + str(outcome.exception)
    return json.loads(outcome.stdout)  # exactly one JSON document, nothing else on stdout


def test_the_command_writes_one_json_document_with_the_issue_keys():
    store("cli-small", {"c1": ["a", "b"], "c2": ["a", "b"], "c3": ["a", "b"]})
    result = run_cli("patterns", "--dataset", "cli-small", "--json")
    assert {"subjects", "complaints", "allegations", "concentration", "coaccused_pairs", "crews"} <= set(result)
    assert result["coaccused_pairs"] == {"ge3": 1, "ge5": 0}
    assert run_cli("resigned", "--dataset", "cli-small", "--json")["people"] == 0


# --- the Chicago data -----------------------------------------------------------------------------------------------


def imported_chicago() -> str:
    """The Chicago CPDP data imported through the real importer, once per test session (the data dir is the
    session's own): the early-warning tests use it too."""
    if not CHICAGO.is_dir():
        pytest.skip(f"{CHICAGO} is not here")
    from upstander.insight.importers.cpdp import import_cpdp

    if not any(d["name"] == CHICAGO_NAME for d in datasets.list_datasets()):
        import_cpdp(CHICAGO, CHICAGO_NAME)
    return CHICAGO_NAME


CHICAGO_NAME = "chicago-patterns"


@pytest.fixture(scope="session")
def chicago() -> str:
    return imported_chicago()


def independent_counts(date_from: str, date_to: str, source: str, max_group: int) -> dict:
    """The same definitions written again in SQL over the raw files (DuckDB), not through the importer."""
    import duckdb

    con = duckdb.connect()
    for view, name in (("accused", "complaints-accused.csv.gz"), ("complaints", "complaints-complaints.csv.gz"),
                       ("staff", "officer-filed-complaints__2017-09.csv.gz")):
        con.read_csv(str(CHICAGO / name), all_varchar=True).create_view(view)
    con.execute("""
        CREATE TEMP TABLE pairs AS
        SELECT DISTINCT CAST(CAST(a.UID AS DOUBLE) AS BIGINT) AS person, a.cr_id AS complaint
        FROM accused a
        JOIN complaints c ON c.cr_id = a.cr_id
        LEFT JOIN (SELECT DISTINCT cr_id FROM staff) s ON s.cr_id = a.cr_id
        WHERE CAST(c.complaint_date AS DATE) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
          AND ($3 = 'all' OR ($3 = 'internal') = (s.cr_id IS NOT NULL))
    """, [date_from, date_to, source])
    subjects, complaints, allegations = con.execute(
        "SELECT count(DISTINCT person), count(DISTINCT complaint), count(*) FROM pairs").fetchone()
    shares = {}
    for percent in (1, 5, 10):
        shares[str(percent)] = con.execute("""
            WITH per AS (SELECT person, count(*) AS n FROM pairs GROUP BY person),
                 ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r, count(*) OVER () AS people FROM per)
            SELECT sum(n) FILTER (WHERE r <= ceil(people * $1 / 100.0)) / sum(n) FROM ranked
        """, [percent]).fetchone()[0]
    ge3, ge5 = con.execute("""
        WITH small AS (SELECT complaint FROM pairs GROUP BY complaint HAVING count(*) BETWEEN 2 AND $1),
             members AS (SELECT p.* FROM pairs p JOIN small USING (complaint)),
             together AS (SELECT x.person AS a, y.person AS b, count(*) AS w
                          FROM members x JOIN members y ON x.complaint = y.complaint AND x.person < y.person
                          GROUP BY 1, 2)
        SELECT count(*) FILTER (WHERE w >= 3), count(*) FILTER (WHERE w >= 5) FROM together
    """, [max_group]).fetchone()
    return {"subjects": subjects, "complaints": complaints, "allegations": allegations, "concentration": shares,
            "coaccused_pairs": {"ge3": ge3, "ge5": ge5}}


@pytest.mark.parametrize(("date_from", "date_to", "source", "max_group"), [
    ("1960-01-01", "2030-12-31", "all", 10),
    ("2005-01-01", "2014-12-31", "public", 6),
])
def test_chicago_counts_agree_with_an_independent_count_of_the_raw_files(chicago, date_from, date_to, source,
                                                                           max_group):
    result = run_cli("patterns", "--dataset", chicago, "--from", date_from, "--to", date_to, "--source", source,
                     "--max-group", str(max_group), "--json")
    expected = independent_counts(date_from, date_to, source, max_group)
    for key in ("subjects", "complaints", "allegations", "coaccused_pairs"):
        assert result[key] == expected[key], key
    assert result["concentration"] == pytest.approx(expected["concentration"], abs=1e-12)
    assert result["crew_totals"]["count"] > 0 and 0 < result["crew_totals"]["share_of_allegations"] < 1
