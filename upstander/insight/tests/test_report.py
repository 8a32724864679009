"""The published report: under disclosure control, signed by the overseer, and `insight verify` refuses anything
that is not exactly what was signed — naming the file."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from upstander.insight.commands import insight
from upstander.insight.publish import MANIFEST, SIGNATURE
from upstander.insight.tests.test_fairness import small_dataset
from upstander.lib import crypto


@pytest.fixture(scope="module")
def signed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    small_dataset("report-small")
    out = tmp_path_factory.mktemp("reports") / "report"
    result = CliRunner().invoke(insight, ["report", "--dataset", "report-small", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["out"] == str(out)
    return out


@pytest.fixture
def report(signed_report: Path, tmp_path: Path) -> Path:
    """A fresh copy to tamper with."""
    return Path(shutil.copytree(signed_report, tmp_path / "copy"))


def verify(folder: Path, *extra: str):
    return CliRunner().invoke(insight, ["verify", str(folder), *extra])


def test_the_report_has_html_pdf_charts_and_data_all_in_the_signed_manifest(signed_report: Path) -> None:
    manifest = json.loads((signed_report / MANIFEST).read_text())
    files = {p.relative_to(signed_report).as_posix() for p in signed_report.rglob("*") if p.is_file()}
    assert set(manifest["files"]) == files - {MANIFEST, SIGNATURE}
    assert {"report.html", "report.pdf", "data/fairness_ethnicity.json"} <= set(manifest["files"])
    assert any(name.startswith("charts/") and name.endswith(".svg") for name in manifest["files"])
    assert (signed_report / "report.pdf").read_bytes().startswith(b"%PDF")
    html = (signed_report / "report.html").read_text()
    assert "<script" not in html and 'src="charts/' in html
    assert "not recorded in this dataset" in html  # stages and sections the small dataset cannot support


def test_an_untouched_report_verifies(signed_report: Path) -> None:
    result = verify(signed_report)
    assert result.exit_code == 0, result.output
    assert "exactly what was signed" in result.output


@pytest.mark.parametrize("name", ["report.pdf", "report.html", "data/fairness_ethnicity.json"])
def test_one_changed_byte_fails_verification_naming_the_file(report: Path, name: str) -> None:
    path = report / name
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content))
    result = verify(report)
    assert result.exit_code == 1
    assert f"{name}: differs from what was signed" in result.output


def test_an_added_or_removed_file_fails_verification(report: Path) -> None:
    (report / "data" / "extra.csv").write_text("group,numerator\nWhite,3\n")
    (report / "report.pdf").unlink()
    result = verify(report, "--json")
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    assert "data/extra.csv: not in the signed manifest" in problems
    assert "report.pdf: missing" in problems


def test_a_manifest_re_signed_with_another_key_fails_against_the_overseers_key(report: Path, tmp_path: Path) -> None:
    """The attack: change a figure, recompute the manifest, sign it with one's own key and ship that key inside the
    folder. Verification uses the force's key from the data dir, never one found in the folder."""
    (report / "data" / "outcomes.json").write_text("{}\n")
    manifest = json.loads((report / MANIFEST).read_text())
    manifest["files"]["data/outcomes.json"] = crypto.sha256_hex(b"{}\n")
    body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (report / MANIFEST).write_bytes(body)
    forger = crypto.new_signing_key()
    (report / SIGNATURE).write_text(crypto.b64(crypto.sign(forger.private, body)) + "\n")
    result = verify(report)
    assert result.exit_code == 1
    assert "manifest.json: the signature does not match" in result.output

    (report / "forger.pub").write_text(crypto.b64(forger.public))
    refused = verify(report, "--key", str(report / "forger.pub"))
    assert refused.exit_code == 1 and "must not come from inside the report folder" in refused.output
    outside = tmp_path / "forger.pub"
    outside.write_text(crypto.b64(forger.public))
    (report / "forger.pub").unlink()
    assert verify(report, "--key", str(outside)).exit_code == 0  # the forger's own key does verify his own copy


def test_published_counts_are_suppressed_under_ten_and_rounded(signed_report: Path) -> None:
    for path in (signed_report / "data").glob("*.csv"):
        with path.open() as handle:
            for row in csv.DictReader(handle):
                years = "person-year" in path.name  # denominators there are person-years, rounded to 10
                for column in ("numerator",) if years else ("numerator", "denominator"):
                    if row.get(column):
                        assert int(row[column]) >= 10 and int(row[column]) % 5 == 0, (path.name, row)
    parquet = pl.read_parquet(signed_report / "data" / "fairness-ethnicity-rates.parquet")
    with (signed_report / "data" / "fairness-ethnicity-rates.csv").open() as handle:
        assert [r["group"] for r in csv.DictReader(handle)] == parquet["group"].to_list()
    fairness = json.loads((signed_report / "data" / "fairness_ethnicity.json").read_text())
    assert fairness["disclosure_control"]["suppressed_below"] == 10
    assert all(r["numerator"] is None for r in fairness["rates"])  # every count in the small dataset is < 10


def test_a_report_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    small_dataset("report-refused")
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(insight, ["report", "--dataset", "report-refused", "--out", str(tmp_path),
                                          "--no-pdf"])
    assert result.exit_code == 1 and "not an empty folder" in result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_published_data_quality_summary_protects_counts_but_not_the_values_they_count() -> None:
    from upstander.insight.published import publishable_quality

    meta = {"source": "csv", "mapping": "m.toml", "mapping_sha256": "ab" * 32, "quality": {
        "tables": {"people": {"rows_read": 1234, "conflicts": {"rank": 3},
                              "values": {"birth_year": {"values": [{"value": "1981", "became": 1981, "rows": 3,
                                                                    "how": "as written"}]}}}},
        "warnings": ["3 people.birth_year values became the catch-all value: '1981' (3)"]}}
    published = publishable_quality(meta)
    people = published["quality"]["tables"]["people"]
    assert people["rows_read"] == 1235 and people["conflicts"] == {"rank": None}
    assert people["values"]["birth_year"]["values"] == [{"value": "1981", "became": 1981, "rows": None,
                                                         "how": "as written"}]
    assert "warnings" not in published["quality"] and published["mapping_sha256"] == "ab" * 32
