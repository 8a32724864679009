"""What an import refuses, and how: a broken row, a file in another encoding, a mistyped finding, a target word the
schema does not know, a date format that reads nothing. Each refusal names the file and line (or the mapping key),
quotes no row of the file, exits non-zero and leaves the dataset imported before exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from upstander.insight.commands import insight
from upstander.insight.datasets import dataset_path, load
from upstander.insight.importers.csv_mapping import MappingError, import_csv
from upstander.insight.importers.reading import CsvError
from upstander.insight.tests.exports import MESSY_MAPPING, SECRET, Truth, break_file, write_messy_export

FINDINGS = "[tables.allegations.values.finding]\n"


@pytest.fixture
def export(tmp_path: Path) -> tuple[Path, Truth]:
    folder = tmp_path / "export"
    return folder, write_messy_export(folder, per_year=40)


def run_import(folder: Path, name: str, mapping: Path = MESSY_MAPPING, *extra: str):
    return CliRunner().invoke(insight, ["import", "csv", "--mapping", str(mapping), str(folder), "--name", name,
                                        *extra])


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = MESSY_MAPPING.read_text()
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize("how", ["short", "extra", "quote"])
@pytest.mark.parametrize("file", ["allegations.csv", "complaints/complaints_2010.csv"])
def test_a_broken_row_is_refused_by_file_and_line_quoting_no_data_and_the_old_dataset_stays(
        export: tuple[Path, Truth], how: str, file: str) -> None:
    """An unterminated quote used to print a 165 KB traceback with officers' names; a short row was imported as a
    complaint with no id; an extra field gave a raw reader traceback."""
    folder, _ = export
    name = f"kept-{how}-{file.count('/')}"
    assert run_import(folder, name).exit_code == 0
    before = (dataset_path(name) / "meta.json").read_text()
    break_file(folder / file, how, line=3)
    result = run_import(folder, name)
    assert result.exit_code != 0
    assert f"{Path(file).name}, line 3:" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output
    assert "is as it was" in result.output
    assert (dataset_path(name) / "meta.json").read_text() == before
    assert load(name).complaints.height == 120


def test_a_latin1_file_without_its_encoding_is_refused_naming_the_encoding(export: tuple[Path, Truth],
                                                                            tmp_path: Path) -> None:
    """A Latin-1 file used to import with 'Am�rindien' as a group label."""
    folder, _ = export
    result = run_import(folder, "latin", variant(tmp_path, 'encoding = "latin-1"\n', ""))
    assert result.exit_code != 0
    assert "officers.csv, line" in result.output and "not valid UTF-8" in result.output
    assert 'encoding = "cp1252"' in result.output and "Amérindien" not in result.output


def test_a_utf16_file_is_read_by_its_byte_order_mark(export: tuple[Path, Truth]) -> None:
    """A UTF-16 file used to give a "more fields" traceback."""
    folder, truth = export
    text = (folder / "complainants.csv").read_text()
    (folder / "complainants.csv").write_bytes(text.encode("utf-16"))
    summary = import_csv(MESSY_MAPPING, folder, "utf16")
    assert summary["quality"]["tables"]["complainants"]["files"][0]["encoding"] == "utf-16"
    groups = set(load("utf16").complainants["ethnicity"].to_list())
    assert "Amérindien" in groups and summary["rows"]["complainants"] == truth.complainants


def test_a_windows_file_reads_with_its_encoding_named(export: tuple[Path, Truth], tmp_path: Path) -> None:
    folder, _ = export
    officers = (folder / "officers.csv").read_bytes().decode("latin-1").replace("Police Officer", "Officer’s aide")
    (folder / "officers.csv").write_bytes(officers.encode("cp1252"))
    import_csv(variant(tmp_path, 'encoding = "latin-1"', 'encoding = "cp1252"'), folder, "cp1252")
    people = load("cp1252").people
    assert "Officer’s aide" in set(people["rank"].to_list()) and "Amérindien" in set(people["ethnicity"].to_list())


def test_a_mistyped_finding_key_refuses_the_import_and_names_the_values_with_counts(
        export: tuple[Path, Truth], tmp_path: Path) -> None:
    """One mistyped key ("Substantiated (Charge)") silently cut a group's substantiated count from 2,675 to 1,552."""
    folder, _ = export
    mapping = variant(tmp_path, '"Substantiated*" = "substantiated"',
                      '"Substantiated (Charge)" = "substantiated"\n"Substantiated (Command Discipline A)" = '
                      '"substantiated"\n"SUBSTANTIATED (Formalized Training)" = "substantiated"')
    with pytest.raises(MappingError, match=r"allegations.finding .*'Substantiated \(Charges\)' \(\d+\)"):
        import_csv(mapping, folder, "typo")
    summary = import_csv(mapping, folder, "typo", allow_unmapped=True)
    lost = summary["quality"]["tables"]["allegations"]["unmapped_to_null"]["finding"]
    assert [v["value"] for v in lost] == ["Substantiated (Charges)"]
    assert any("were imported as not recorded: 'Substantiated (Charges)'" in w for w in summary["quality"]["warnings"])


def test_a_catch_all_imports_and_lists_what_fell_to_it(export: tuple[Path, Truth], tmp_path: Path) -> None:
    folder, _ = export
    mapping = variant(tmp_path, '"Substantiated*" = "substantiated"', '"_other" = "no_finding"')
    summary = import_csv(mapping, folder, "caught")
    caught = {v["value"] for v in summary["quality"]["tables"]["allegations"]["catch_all"]["finding"]}
    assert caught == {"Substantiated (Charges)", "Substantiated (Command Discipline A)",
                      "SUBSTANTIATED (Formalized Training)"}


def test_without_a_finding_map_the_raw_words_are_refused_not_counted_as_unsubstantiated(
        export: tuple[Path, Truth], tmp_path: Path) -> None:
    """With no finding map every substantiated rate used to be 0, shown as zero."""
    folder, _ = export
    text = MESSY_MAPPING.read_text()
    start = text.index(FINDINGS)
    end = text.index("[tables.allegations.values.theme]")
    mapping = tmp_path / "nomap.toml"
    mapping.write_text(text[:start] + text[end:])
    result = run_import(folder, "nomap", mapping)
    assert result.exit_code != 0 and "values read as no finding word" in result.output


def test_an_invalid_target_word_is_refused_naming_the_words_there_are(tmp_path: Path) -> None:
    mapping = variant(tmp_path, '"Unsubstantiated" = "not_substantiated"', '"Unsubstantiated" = "unsubstantiated"')
    with pytest.raises(MappingError, match="'unsubstantiated' is not a finding word: use one of substantiated, "
                                           "not_substantiated"):
        import_csv(mapping, tmp_path, "badword")


def test_an_unknown_mapping_key_is_refused(tmp_path: Path) -> None:
    mapping = variant(tmp_path, "[tables.complaints.columns]", "[tables.complaints.colums]")
    with pytest.raises(MappingError, match=r"\[tables.complaints\]: unknown key 'colums'"):
        import_csv(mapping, tmp_path, "badkey")


def test_a_date_format_that_reads_nothing_is_refused_showing_shapes_not_values(tmp_path: Path) -> None:
    """A wrong date format used to null every date, and windowed figures then said 0 officers, 0 complaints."""
    from upstander.insight.tests.test_csv_mapping import EXAMPLE, write_tidy_export

    folder = write_tidy_export(tmp_path)
    mapping = tmp_path / "iso.toml"
    mapping.write_text(EXAMPLE.read_text().replace('date_format = "%d/%m/%Y"', 'date_format = "%Y-%m-%d"'))
    with pytest.raises(MappingError) as refused:
        import_csv(mapping, folder, "wrongdates")
    message = str(refused.value)
    assert "complaints.received_date: 3 of 3 dates do not read" in message and "'99/99/9999'" in message
    assert "03/02/2023" not in message


def test_a_few_bad_dates_import_as_not_recorded_only_when_allowed_and_are_counted(tmp_path: Path) -> None:
    from upstander.insight.tests.test_csv_mapping import EXAMPLE, write_tidy_export

    folder = write_tidy_export(tmp_path)
    complaints = folder / "complaints.csv"
    complaints.write_text(complaints.read_text().replace("15/06/2023", "2023-06-15"))
    result = run_import(folder, "fewbad", EXAMPLE)
    assert result.exit_code != 0 and "1 of 3 dates do not read" in result.output
    result = run_import(folder, "fewbad", EXAMPLE, "--allow-bad-dates", "--json")
    assert result.exit_code == 0, result.output
    dates = json.loads(result.output)["quality"]["tables"]["complaints"]["dates"]["received_date"]
    assert (dates["day"], dates["unparsed"], dates["unparsed_shapes"]) == (2, 1, {"9999-99-99": 1})


def test_a_file_pattern_that_matches_nothing_is_refused(export: tuple[Path, Truth], tmp_path: Path) -> None:
    folder, _ = export
    mapping = variant(tmp_path, 'file = "complaints/complaints_*.csv"', 'file = "complaints/cases_*.csv"')
    with pytest.raises(CsvError, match="no such file"):
        import_csv(mapping, folder, "nofiles")


def test_a_utf8_file_with_a_byte_order_mark_is_read(export: tuple[Path, Truth]) -> None:
    folder, truth = export
    allegations = folder / "allegations.csv"
    allegations.write_bytes(b"\xef\xbb\xbf" + allegations.read_bytes())
    summary = import_csv(MESSY_MAPPING, folder, "bom")
    assert summary["quality"]["tables"]["allegations"]["files"][0]["encoding"] == "utf-8-sig"
    assert summary["rows"]["allegations"] == len(truth.allegations)
