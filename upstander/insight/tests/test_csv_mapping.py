"""The CSV importer reads a force's own export through the documented example mapping (docs/examples)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from upstander.env import repo_root
from upstander.insight.commands import insight
from upstander.insight.datasets import DatasetError, load
from upstander.insight.importers.csv_mapping import MappingError, check_mapping, import_csv

EXAMPLE = repo_root() / "docs" / "examples" / "complaints-mapping.toml"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_tidy_export(tmp_path: Path) -> Path:
    """The four-file force export docs/examples/complaints-mapping.toml maps."""
    write_csv(tmp_path / "complaints.csv",
              ["case_ref", "date_received", "date_of_incident", "date_closed", "origin", "main_category",
               "handling_unit", "owner_changes"],
              [["PS-1", "03/02/2023", "01/02/2023", "10/03/2024", "Member of public", "Excessive force", "PSD", "2"],
               ["PS-2", "15/06/2023", "", "", "Colleague", "Sexual misconduct", "PSD", ""],
               ["PS-3", "01/01/2024", "31/12/2023", "05/05/2024", "Staff", "Racism", "BCU North", "0"]])
    write_csv(tmp_path / "officers.csv",
              ["officer_ref", "sex", "ethnicity", "rank", "unit", "year_of_birth", "joined", "left",
               "leaving_reason"],
              [["101", "Female", "Black", "Constable", "BCU North", "1990", "2015-09-01", "", ""],
               ["102.0", "Male", "White", "Sergeant", "BCU North", "1980", "2005-04-01", "2024-06-30", "Resigned"],
               ["103", "Male", "Asian", "Constable", "BCU South", "", "2019-01-07", "", ""]])
    write_csv(tmp_path / "allegations.csv",
              ["case_ref", "officer_ref", "allegation_type", "severity", "investigated", "finding", "hearing_held",
               "outcome", "outcome_date"],
              [["PS-1", "102", "Excessive force", "Gross misconduct", "Y", "Case to answer", "Misconduct hearing",
                "Dismissed", "10/03/2024"],
               ["PS-1", "103", "Excessive force", "Misconduct", "Y", "Not upheld", "None", "No further action", ""],
               ["PS-2", "102", "Sexual misconduct", "Misconduct", "N", "", "", "", ""],
               ["PS-3", "101", "Racism", "No case to answer", "Local resolution", "Withdrawn", "None", "", ""],
               ["", "101", "Racism", "", "", "", "", "", ""]])
    write_csv(tmp_path / "complainants.csv", ["case_ref", "sex", "ethnicity", "is_officer"],
              [["PS-1", "Male", "Black", "no"], ["PS-2", "Female", "White", "yes"]])
    return tmp_path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_tidy_export(tmp_path)


def test_the_example_mapping_imports_a_force_export(export: Path) -> None:
    summary = import_csv(EXAMPLE, export, "csv-example")
    assert summary["rows"]["complaints"] == 3
    assert summary["rows"]["allegations"] == 4  # the row without a case reference is skipped

    data = load("csv-example")
    complaints = {row["complaint_id"]: row for row in data.complaints.to_dicts()}
    assert complaints["PS-1"]["received_date"] == dt.date(2023, 2, 3)
    assert complaints["PS-2"]["source"] == "internal" and complaints["PS-1"]["source"] == "public"
    assert complaints["PS-1"]["handovers"] == 2 and complaints["PS-2"]["handovers"] is None

    people = {row["person_id"]: row for row in data.people.to_dicts()}
    assert set(people) == {"101", "102", "103"}  # "102.0" normalised
    assert people["102"]["left_date"] == dt.date(2024, 6, 30) and people["102"]["in_workforce"] is True

    allegations = {(r["complaint_id"], r["person_id"]): r for r in data.allegations.to_dicts()}
    dismissed = allegations[("PS-1", "102")]
    assert dismissed["finding"] == "substantiated" and dismissed["dismissed"] is True
    assert dismissed["sanctioned"] is True and dismissed["sanction"] == "Dismissed"
    assert dismissed["assessed_misconduct"] is True and dismissed["proceedings"] is True
    assert dismissed["theme"] == "violence" and dismissed["outcome_date"] == dt.date(2024, 3, 10)
    cleared = allegations[("PS-1", "103")]
    assert cleared["finding"] == "not_substantiated" and cleared["sanction"] is None and cleared["sanctioned"] is False
    pending = allegations[("PS-2", "102")]
    assert pending["finding"] is None and pending["investigated"] is False and pending["sanctioned"] is None
    resolved = allegations[("PS-3", "101")]
    assert resolved["finding"] == "no_finding" and resolved["investigated"] is False
    assert resolved["assessed_misconduct"] is False and resolved["theme"] == "racism"
    assert data.complainants.filter(is_staff=True)["complaint_id"].to_list() == ["PS-2"]
    assert data.meta["workforce_known"] is True


def test_the_import_command_loads_through_the_mapping_and_windows_apply(export: Path) -> None:
    result = CliRunner().invoke(insight, ["import", "csv", "--mapping", str(EXAMPLE), str(export),
                                          "--name", "csv-cli", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"]["people"] == 3
    data = load("csv-cli", dt.date(2023, 6, 15), dt.date(2023, 12, 31), source="internal")
    assert data.complaints["complaint_id"].to_list() == ["PS-2"]
    assert data.allegations["complaint_id"].to_list() == ["PS-2"]


def test_it_names_the_missing_column_of_a_wrong_export(export: Path) -> None:
    (export / "officers.csv").write_text("ref,sex\n1,Male\n")
    with pytest.raises(DatasetError, match="officer_ref"):
        import_csv(EXAMPLE, export, "csv-broken")


def test_it_refuses_a_mapping_to_a_column_the_schema_does_not_have() -> None:
    with pytest.raises(MappingError, match="'victim_name' is not a column of complaints"):
        check_mapping({"tables": {"complaints": {"file": "c.csv", "columns": {"victim_name": "name"}}}})


def test_reimport_replaces_the_dataset_whole_and_leaves_no_temporary_folder(export: Path) -> None:
    from upstander.insight.datasets import dataset_path, list_datasets

    import_csv(EXAMPLE, export, "csv-again")
    for name in ("complaints.csv", "allegations.csv"):  # keep the header, replace every case with PS-9
        lines = (export / name).read_text().splitlines()
        (export / name).write_text(lines[0] + "\n" + lines[1].replace("PS-1", "PS-9") + "\n")
    import_csv(EXAMPLE, export, "csv-again")
    data = load("csv-again")
    assert data.complaints["complaint_id"].to_list() == ["PS-9"]
    assert data.allegations["complaint_id"].to_list() == ["PS-9"]
    assert not [p for p in dataset_path("csv-again").parent.iterdir() if p.name.startswith(".csv-again.")]
    assert "csv-again" in {d["name"] for d in list_datasets()}


def test_a_folder_without_meta_is_an_interrupted_write_and_not_a_dataset(export: Path) -> None:
    from upstander.insight.datasets import dataset_path, list_datasets

    half = dataset_path("half-written")
    half.mkdir(parents=True)
    (half / "complaints.parquet").write_bytes(b"")
    assert "half-written" not in {d["name"] for d in list_datasets()}
    with pytest.raises(DatasetError, match="no dataset named 'half-written'"):
        load("half-written")


def test_the_mapping_reference_in_the_docs_is_a_mapping_the_importer_accepts() -> None:
    import tomllib

    text = (repo_root() / "docs" / "import-formats.md").read_text()
    reference = text[text.index("#### The mapping"):]
    start = reference.index("```toml") + len("```toml")
    check_mapping(tomllib.loads(reference[start:reference.index("```", start)]))


def test_partial_dates_are_kept_with_their_precision(export: Path, tmp_path: Path) -> None:
    complaints = export / "complaints.csv"
    complaints.write_text(complaints.read_text().replace("15/06/2023", "06/2023").replace("01/01/2024", "2024"))
    mapping = tmp_path / "partial.toml"
    mapping.write_text(EXAMPLE.read_text().replace("[tables.complaints.columns]",
                                                   '[tables.complaints.dates]\nreceived_date = ["%d/%m/%Y", "%m/%Y", '
                                                   '"%Y"]\n\n[tables.complaints.columns]'))
    summary = import_csv(mapping, export, "csv-partial")
    dates = summary["quality"]["tables"]["complaints"]["dates"]["received_date"]
    assert (dates["day"], dates["month"], dates["year"], dates["unparsed"]) == (1, 1, 1, 0)
    rows = {r["complaint_id"]: (r["received_date"], r["received_date_precision"])
            for r in load("csv-partial").complaints.to_dicts()}
    assert rows == {"PS-1": (dt.date(2023, 2, 3), "day"), "PS-2": (dt.date(2023, 6, 1), "month"),
                    "PS-3": (dt.date(2024, 1, 1), "year")}
    assert load("csv-partial", dt.date(2023, 6, 1), dt.date(2023, 6, 30)).complaints["complaint_id"].to_list() == [
        "PS-2"]
    with pytest.raises(DatasetError, match="dated only to the year"):
        load("csv-partial", dt.date(2024, 3, 1))


def test_a_dataset_stored_before_versions_is_replaced_whole_by_the_next_import(export: Path) -> None:
    import shutil

    from upstander.insight.datasets import dataset_path

    import_csv(EXAMPLE, export, "csv-legacy")
    link = dataset_path("csv-legacy")
    version = link.resolve()
    link.unlink()
    shutil.copytree(version, link)  # a plain folder, as datasets were stored before
    shutil.rmtree(version)
    import_csv(EXAMPLE, export, "csv-legacy")
    assert link.is_symlink() and load("csv-legacy").complaints.height == 3
    assert [p.name for p in link.parent.iterdir() if p.name.startswith(".csv-legacy")] == [link.resolve().name]
