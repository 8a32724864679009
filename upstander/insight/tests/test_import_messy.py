"""A civilian complaint board's release as such releases are written — header-less yearly files, month and year
columns, a catch-all officer, many spellings of one finding, prefixed complainant ids, one row per officer per year
in Latin-1 — imported with docs/examples/messy-export-mapping.toml and checked against the truth it was written
from; every figure the data cannot support is withheld, never given as a plausible wrong number."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from upstander.insight.datasets import DatasetError, load
from upstander.insight.early_warning import CannotTrain, early_warning
from upstander.insight.importers.csv_mapping import import_csv
from upstander.insight.patterns import patterns
from upstander.insight.tests.exports import MESSY_MAPPING, Truth, write_messy_export
from upstander.insight.timeliness import timeliness


@pytest.fixture
def export(tmp_path: Path) -> tuple[Path, Truth]:
    folder = tmp_path / "export"
    return folder, write_messy_export(folder)


def mapping_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = MESSY_MAPPING.read_text()
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new))
    return path


def test_the_messy_example_mapping_imports_the_release_as_it_is(export: tuple[Path, Truth]) -> None:
    folder, truth = export
    summary = import_csv(MESSY_MAPPING, folder, "board")
    quality = summary["quality"]["tables"]
    assert summary["rows"]["complaints"] == len(truth.received)
    assert summary["rows"]["allegations"] == len(truth.allegations)
    assert quality["allegations"]["dropped"] == [{"rule": "drop where 'officer_id' is 'UNKNOWN'",
                                                  "rows": truth.unknown_officer_rows}]
    assert [f["file"] for f in quality["complaints"]["files"]] == [f"complaints_{y}.csv" for y in (2009, 2010, 2011)]
    data = load("board")
    findings = Counter(f for _, _, f in truth.allegations)
    assert Counter(data.allegations["finding"].to_list()) == findings
    people = {r["person_id"]: r for r in data.people.to_dicts()}
    assert {p: (r["rank"], r["ethnicity"]) for p, r in people.items()} == {
        p: (rank, group) for p, (rank, group, _) in truth.officers.items()}
    assert "Amérindien" in {r["ethnicity"] for r in people.values()}
    assert data.complainants.height == truth.complainants
    assert data.complainants.join(data.complaints, on="complaint_id", how="anti").height == 0
    assert summary["quality"]["orphans"] == [] or all(o["table"] == "complaints"
                                                      for o in summary["quality"]["orphans"])


def test_the_summary_lists_every_coded_value_and_what_it_became(export: tuple[Path, Truth]) -> None:
    folder, _ = export
    quality = import_csv(MESSY_MAPPING, folder, "board-values")["quality"]
    listed = {v["value"]: (v["became"], v["how"]) for v in quality["tables"]["allegations"]["values"]["finding"]["values"]}
    assert listed["Substantiated (Command Discipline A)"] == ("substantiated", "prefix")
    assert listed["SUBSTANTIATED (Formalized Training)"] == ("substantiated", "prefix")
    assert listed["Closed - Pending Litigation"] == ("no_finding", "pattern")
    assert listed["Unsubstantiated"] == ("not_substantiated", "exact")
    assert quality["tables"]["allegations"]["catch_all"]["theme"][0]["value"] == "Abuse of Authority"
    received = quality["tables"]["complaints"]["dates"]["received_date"]
    assert (received["month"], received["day"], received["unparsed"]) == (360, 0, 0)
    merged = quality["tables"]["people"]
    assert merged["duplicates_merged"] == sum(rows - 1 for _, _, rows in export[1].officers.values())
    assert merged["conflicts"] == {"rank": sum(1 for _, _, rows in export[1].officers.values() if rows > 1)}


@pytest.mark.parametrize(("start", "end"), [(dt.date(2010, 6, 1), dt.date(2010, 12, 31)),
                                            (dt.date(2009, 2, 1), dt.date(2011, 1, 31)),
                                            (dt.date(2011, 3, 1), None)])
def test_windowed_figures_match_an_independent_count_at_month_precision(export: tuple[Path, Truth], start: dt.date,
                                                                         end: dt.date | None) -> None:
    folder, truth = export
    import_csv(MESSY_MAPPING, folder, "board-window")
    data = load("board-window", start, end)
    last = (end.year, end.month) if end else (9999, 12)
    kept = {n for n, ym in truth.received.items() if (start.year, start.month) <= ym <= last}
    units = {(c, p) for c, p, _ in truth.allegations if c in kept}
    substantiated = {(c, p) for c, p, f in truth.allegations if c in kept and f == "substantiated"}
    document = patterns(data)
    assert set(data.complaints["complaint_id"].to_list()) == kept
    assert (document["allegations"], document["substantiated"]) == (len(units), len(substantiated))
    assert document["subjects"] == len({p for _, p in units})


def test_a_window_that_cuts_through_a_month_is_refused_with_bounds_that_can_be_counted(
        export: tuple[Path, Truth]) -> None:
    folder, _ = export
    import_csv(MESSY_MAPPING, folder, "board-cut")
    with pytest.raises(DatasetError, match=r"dated only to the month.*--from 2010-06-01 --to 2010-09-30"):
        load("board-cut", dt.date(2010, 6, 15), dt.date(2010, 9, 20))


def test_year_only_dates_are_counted_by_year_and_refuse_a_window_from_june(export: tuple[Path, Truth],
                                                                            tmp_path: Path) -> None:
    """A month-and-year export mapped as year only: every complaint dated 1 January was the bug; now the year is
    the precision, a June window is refused and a whole year counts every complaint of it."""
    folder, truth = export
    mapping = mapping_variant(tmp_path, 'year = "year_received"\nmonth = "month_received"', 'year = "year_received"')
    import_csv(mapping, folder, "board-years")
    with pytest.raises(DatasetError, match="dated only to the year"):
        load("board-years", dt.date(2010, 6, 1))
    year = load("board-years", dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    assert year.complaints.height == sum(1 for y, _ in truth.received.values() if y == 2010)


def test_time_measures_are_withheld_on_month_dates_with_the_reason(export: tuple[Path, Truth]) -> None:
    folder, _ = export
    import_csv(MESSY_MAPPING, folder, "board-time")
    document = timeliness(load("board-time"))
    assert document["durations"]["missing"] is True
    assert "known only to the month or year" in document["durations"]["missing_reason"]


def test_without_witness_data_repeat_witnesses_are_not_known_rather_than_zero(export: tuple[Path, Truth]) -> None:
    folder, _ = export
    import_csv(MESSY_MAPPING, folder, "board-witness")
    document = patterns(load("board-witness"))
    assert document["witness_pairs"]["ge3"] is None and document["witness_pairs"]["missing"] is True
    assert document["repeat_witnesses"] is None


def test_early_warning_without_outcome_dates_says_what_is_missing(export: tuple[Path, Truth], tmp_path: Path) -> None:
    folder, _ = export
    mapping = mapping_variant(tmp_path, '[tables.complaints.dates.closed_date]\nyear = "year_closed"\n'
                                        'month = "month_closed"\n', "")
    import_csv(mapping, folder, "board-no-outcomes")
    with pytest.raises(CannotTrain, match="records no outcome or closing dates.*--outcome any"):
        early_warning(load("board-no-outcomes"), train_to=2011, horizon=1, snapshots=1)


def test_ids_written_differently_join_nothing_and_the_summary_says_so(export: tuple[Path, Truth],
                                                                      tmp_path: Path) -> None:
    folder, truth = export
    mapping = mapping_variant(tmp_path, "[tables.complainants.ids]\ncomplaint_id = '^\\d{4}-0*(\\d+)$'", "")
    quality = import_csv(mapping, folder, "board-noids")["quality"]
    assert {"table": "complainants", "column": "complaint_id", "rows": truth.complainants, "of": truth.complainants,
            "meaning": "name a complaint that is not in complaints"} in quality["orphans"]
    assert any(w.startswith("100% of complainants rows") for w in quality["warnings"])


def test_the_published_report_carries_the_summary_and_the_mapping_hash(export: tuple[Path, Truth],
                                                                       tmp_path: Path) -> None:
    import json

    from upstander.insight.publish import write_report

    folder, _ = export
    import_csv(MESSY_MAPPING, folder, "board-report")
    out = tmp_path / "report"
    write_report(load("board-report"), out, adjusted=False, pdf=False)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["report"]["mapping_sha256"] == hashlib.sha256(MESSY_MAPPING.read_bytes()).hexdigest()
    dropped = manifest["report"]["data_quality"]["tables"]["allegations"]["dropped"][0]
    assert dropped["rule"] == "drop where 'officer_id' is 'UNKNOWN'" and dropped["rows"] % 5 == 0
    assert "data/data_quality.json" in manifest["files"]
    html = (out / "report.html").read_text()
    assert "values that fell to the catch-all" in html and "Abuse of Authority" in html
    assert "Time to close is withheld" in html
