"""The Chicago CPDP data through the real importer and `insight fairness --json`, checked against an independent
count of the same definitions written with nothing but the csv module over the raw files."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import json
from collections import defaultdict

import pytest
from click.testing import CliRunner

from upstander.env import shared_data_dir
from upstander.insight.commands import insight
from upstander.insight.datasets import load

CHICAGO = shared_data_dir() / "chicago-cpdp-2019"
NAME = "chicago-insight"
NOT_RECORDED = "(not recorded)"


@pytest.fixture(scope="session")
def chicago() -> str:
    """Imported once per test session, through the command."""
    if not CHICAGO.is_dir():
        pytest.skip(f"{CHICAGO} is not here")
    result = CliRunner().invoke(insight, ["import", "cpdp", str(CHICAGO), "--name", NAME, "--json"])
    assert result.exit_code == 0, result.output
    return NAME


@functools.cache
def rows(name: str) -> list[dict[str, str]]:
    with gzip.open(CHICAGO / name, "rt", newline="") as handle:
        return list(csv.DictReader(handle))


def clean_id(text: str) -> str:
    text = text.strip()
    return str(int(float(text))) if text.replace(".", "", 1).isdigit() else text


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def independent_count(date_from: dt.date | None, date_to: dt.date | None, source: str) -> dict:
    """Per race: workforce in the window, officers with an allegation in the window, and allegations (distinct
    officer × complaint) in the window with how many were sustained (SU) and investigated (SU/NS/UN/EX)."""
    officer_filed = {clean_id(r["cr_id"]) for r in rows("officer-filed-complaints__2017-09.csv.gz")}
    kept = set()
    for complaint in rows("complaints-complaints.csv.gz"):
        cr_id, received = clean_id(complaint["cr_id"]), day(complaint["complaint_date"])
        if (date_from or date_to) and received is None:
            continue
        if (date_from and received < date_from) or (date_to and received > date_to):
            continue
        if source != "all" and (cr_id in officer_filed) != (source == "internal"):
            continue
        kept.add(cr_id)
    race, in_window = {}, set()
    for profile in rows("final-profiles.csv.gz"):
        uid = clean_id(profile["UID"])
        race[uid] = profile["race"].strip() or NOT_RECORDED
        appointed, resigned = day(profile["appointed_date"]), day(profile["resignation_date"])
        if (date_to is None or appointed is None or appointed <= date_to) and \
                (date_from is None or resigned is None or resigned >= date_from):
            in_window.add(uid)
    findings: dict[tuple[str, str], str] = {}
    for accused in rows("complaints-accused.csv.gz"):
        cr_id = clean_id(accused["cr_id"])
        if cr_id in kept:
            findings[(cr_id, clean_id(accused["UID"]))] = accused["final_finding"].strip()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for uid in in_window:
        counts[race[uid]]["workforce"] += 1
    for uid in {uid for _, uid in findings} & in_window:
        counts[race[uid]]["accused_people"] += 1
    for (_, uid), finding in findings.items():
        group = race.get(uid, NOT_RECORDED)
        counts[group]["allegations"] += 1
        counts[group]["substantiated"] += finding == "SU"
        counts[group]["investigated"] += finding in ("SU", "NS", "UN", "EX")
    return counts


def fairness_json(*args: str) -> dict:
    result = CliRunner().invoke(insight, ["fairness", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # exactly one JSON document


@pytest.mark.parametrize(("date_from", "date_to", "source"), [
    (None, None, "all"),
    ("2010-01-01", "2015-12-31", "public"),
    ("2000-01-01", "2017-12-31", "internal"),
])
def test_fairness_counts_agree_with_an_independent_count_of_the_raw_files(chicago, date_from, date_to, source):
    window = [*(["--from", date_from] if date_from else []), *(["--to", date_to] if date_to else [])]
    document = fairness_json("--dataset", chicago, "--by", "ethnicity", "--source", source, *window)
    expected = independent_count(day(date_from or ""), day(date_to or ""), source)

    rates = {(r["stage"], r["group"]): r for r in document["rates"]}
    assert len(rates) == len(document["rates"]), "one row per stage and group"
    assert {stage for stage, _ in rates} == {s["stage"] for s in document["stages"]}
    for group, count in expected.items():
        allegation = rates[("allegation", group)]
        assert allegation["basis"] == "per_head"
        assert (allegation["numerator"], allegation["denominator"]) == (count["accused_people"], count["workforce"])
        substantiated = rates[("substantiated", group)]
        assert substantiated["basis"] == "per_allegation"
        if count["allegations"]:
            assert (substantiated["numerator"], substantiated["denominator"]) == \
                (count["substantiated"], count["allegations"]), group
            assert rates[("investigated", group)]["numerator"] == count["investigated"]
    assert document["reference"] == "WHITE"
    for stage in ("assessed_misconduct", "proceedings"):  # not recorded in CPDP: missing, never zero
        assert all(r["missing"] and r["numerator"] is None for r in document["rates"] if r["stage"] == stage)


def test_the_chicago_import_keeps_the_definitions_of_the_issue(chicago):
    data = load(chicago)
    assert data.complaints.height == 181412 and data.allegations.height == 244436
    assert data.allegations["allegation_id"].n_unique() == data.allegations.height
    assert set(data.complaints["source"].unique()) == {"public", "internal"}
    assert data.complaints.filter(source="internal").height == 13231
    assert data.allegations.filter(finding="substantiated").height == 21427  # every SU row
    assert "130469" in set(data.allegations["person_id"].to_list())  # "130469.0" normalised
    assert data.meta["workforce_known"] is True
    assert data.meta["stages_available"] == ["allegation", "investigated", "substantiated", "sanction", "dismissal"]
    handovers = data.complaints.filter(complaint_id="1088791")["handovers"].to_list()
    assert handovers == [0]  # one investigator and one supervising investigator: no handover


def test_every_insight_command_writes_one_json_document_on_the_chicago_data(chicago):
    runner = CliRunner()
    for command in (["outcomes", "--published"], ["attrition"], ["timeliness"], ["fairness", "--by", "sex"]):
        result = runner.invoke(insight, [*command, "--dataset", chicago, "--from", "2014-01-01", "--json"])
        assert result.exit_code == 0, (command, result.output)
        document = json.loads(result.output)
        assert document["dataset"] == chicago and document["from"] == "2014-01-01"
    outcomes = json.loads(runner.invoke(insight, ["outcomes", "--dataset", chicago, "--json"]).output)
    sexual = next(r for r in outcomes["by_theme"]["rows"] if r["group"] == "sexual_misconduct")
    assert sexual["denominator"] == 445 and sexual["numerator"] + 0 <= sexual["denominator"]
    assert all("numerator" in r and "denominator" in r for r in outcomes["by_complainant_sex"]["rows"])


def test_an_unknown_dataset_is_a_clean_error() -> None:
    result = CliRunner().invoke(insight, ["fairness", "--dataset", "no-such-data", "--json"])
    assert result.exit_code == 1
    assert "no dataset named 'no-such-data'" in result.output


def test_the_chicago_import_says_what_every_finding_became_and_what_joins_nothing(chicago):
    quality = load(chicago).meta["quality"]
    findings = {v["value"]: (v["became"], v["rows"]) for v in quality["tables"]["allegations"]["values"]["finding"]
                ["values"]}
    assert findings["SU"] == ("substantiated", 21427) and findings["NAF"][0] == "no_finding"
    assert findings[None] == (None, sum(1 for r in rows("complaints-accused.csv.gz") if not r["final_finding"].strip()))
    received = quality["tables"]["complaints"]["dates"]["received_date"]
    assert (received["day"], received["unparsed"]) == (181412, 0)
    known = {r["cr_id"].split(".")[0] for r in rows("complaints-complaints.csv.gz")}
    lost = sum(1 for r in rows("complaints-complainants.csv.gz") if r["cr_id"].split(".")[0] not in known)
    complainants = next(o for o in quality["orphans"] if o["table"] == "complainants")
    assert complainants["rows"] == lost and any(w.startswith("30% of complainants") for w in quality["warnings"])
