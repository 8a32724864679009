"""Roster import: validation first, nothing written on any bad row, an upsert that can be rerun."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.people.commands import people as people_cli
from upstander.people.importing import import_files
from upstander.people.models import Command, HREvent, Location, Person, Shift, Team, Unit, UnitHistory
from upstander.people.tests.roster import TABLES, person, write_csv, write_csvs, write_xlsx

pytestmark = pytest.mark.django_db
IMPORT = Actor.system("import")


def dump() -> dict[str, list[dict]]:
    """Every row of every roster table, for comparing whole states."""
    models = [Command, Location, Shift, Unit, Team, Person, UnitHistory, HREvent]
    return {m.__name__: [dict(r) for r in m.objects.order_by("pk").values()] for m in models}


def test_it_imports_units_teams_people_and_hr_events_from_csv_files(tmp_path):
    outcome = import_files(write_csvs(tmp_path), actor=IMPORT)
    assert outcome.ok, outcome.errors
    assert outcome.result.as_dict()["people"] == {"created": 6, "updated": 0, "unchanged": 0}
    priya = Person.objects.get(number="1003")
    assert priya.team.code == "NE-R-A" and priya.team.shift.name == "A relief" and priya.unit.code == "NE-RESP"
    assert [p.number for p in priya.chain_of_command()] == ["1002", "1001"]
    response = Unit.objects.get(code="NE-RESP")
    assert response.parent.code == "NE" and response.head.number == "1001" and response.location.name == "Northgate Station"
    assert Unit.objects.get(code="PSD").is_professional_standards is True
    transfer = HREvent.objects.get(source_ref="HR-2")
    assert (transfer.kind, transfer.outcome, transfer.initiated_by.number) == ("transfer", "requested", "1004")
    assert UnitHistory.objects.get(person=priya).started_on.isoformat() == "2015-04-01"
    audit = AuditEvent.objects.filter(action="people.import")
    assert audit.count() == 1 and "people: 6 created" in audit.get().reason


def test_a_bad_row_changes_nothing_and_every_bad_row_is_named_with_its_line(tmp_path):
    import_files(write_csvs(tmp_path), actor=IMPORT)
    before, audit_before = dump(), AuditEvent.objects.count()
    tables = copy.deepcopy(TABLES)
    tables["people"][2]["given_name"] = "Priyanka"  # a good change that must not be written either
    tables["people"].append(person("1006", "Kim", "New", joined="31/02/2020"))  # line 8: no such date
    tables["people"].append(person("1007", "Jo", "Lost", team="NO-SUCH-TEAM", ethnicity="martian"))  # line 9
    tables["hr_events"][0]["rating"] = "7"  # line 2
    folder = tmp_path / "bad"
    folder.mkdir()
    outcome = import_files(write_csvs(folder, tables), actor=IMPORT)
    messages = [str(e) for e in outcome.errors]
    assert not outcome.ok and len(messages) == 3, messages
    assert messages[0].startswith("hr_events.csv line 2: rating 7 is outside 1–5")
    assert messages[1].startswith("people.csv line 8: joined_on “31/02/2020” is not a date")
    assert messages[2].startswith("people.csv line 9: ethnicity “martian” is not one of")
    assert dump() == before and AuditEvent.objects.count() == audit_before
    assert Person.objects.get(number="1003").given_name == "Priya"


def test_references_are_checked_against_the_import_and_the_roster(tmp_path):
    import_files(write_csvs(tmp_path), actor=IMPORT)
    rows = [person("1008", "Ann", "Other", team="NE-R-B", unit="PSD", manager="9999")]
    outcome = import_files([write_csv(tmp_path / "more.csv", rows)], actor=IMPORT)
    assert [str(e) for e in outcome.errors] == [
        "more.csv line 2: line_manager_number 9999: no such person in this import or the roster; "
        "team NE-R-B belongs to unit NE-RESP, not PSD"]
    events = [{"event_ref": "HR-9", "number": "1003", "kind": "transfer", "occurred_on": "2024-01-01"}]
    outcome = import_files([write_csv(tmp_path / "events.csv", events)], actor=IMPORT)
    assert [str(e) for e in outcome.errors] == ["events.csv line 2: a transfer needs to_unit"]


def test_a_loop_in_the_chain_of_command_is_refused(tmp_path):
    import_files(write_csvs(tmp_path), actor=IMPORT)
    rows = [person("1001", "Ada", "Inspector", rank="Inspector", team="", manager="1003", joined="2001-09-01")]
    outcome = import_files([write_csv(tmp_path / "loop.csv", rows)], actor=IMPORT)
    assert [str(e) for e in outcome.errors] == ["loop.csv line 2: line_manager_number makes a loop: 1001 would "
                                                "manage themselves"]


def test_importing_the_same_files_twice_gives_the_same_state(tmp_path):
    paths = write_csvs(tmp_path)
    import_files(paths, actor=IMPORT)
    first = dump()
    again = import_files(paths, actor=IMPORT)
    assert dump() == first
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.result.as_dict().values())


def test_a_changed_row_updates_in_place_and_moves_the_unit_history(tmp_path):
    import_files(write_csvs(tmp_path), actor=IMPORT)
    tables = copy.deepcopy(TABLES)
    tables["people"][3]["team_code"] = "NE-R-B"  # Dan moves to team B
    folder = tmp_path / "v2"
    folder.mkdir()
    outcome = import_files(write_csvs(folder, tables), actor=IMPORT, as_of=None)
    assert outcome.result.as_dict()["people"] == {"created": 0, "updated": 1, "unchanged": 5}
    dan = Person.objects.get(number="1004")
    history = list(UnitHistory.objects.filter(person=dan).order_by("started_on").values_list("team__code", "ended_on"))
    assert history[0][0] == "NE-R-A" and history[0][1] is not None and history[1] == ("NE-R-B", None)


def test_the_same_roster_from_an_xlsx_workbook_gives_the_same_state_as_from_csv(tmp_path):
    import_files(write_csvs(tmp_path), actor=IMPORT)
    from_csv = dump()
    outcome = import_files([write_xlsx(tmp_path / "roster.xlsx")], actor=IMPORT)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert all(c["created"] == 0 and c["updated"] == 0 for c in outcome.result.as_dict().values())
    assert dump() == from_csv


def test_a_bad_row_in_an_xlsx_sheet_is_named_with_its_sheet_and_line(tmp_path):
    tables = copy.deepcopy(TABLES)
    tables["people"][4]["kind"] = "volunteer"
    outcome = import_files([write_xlsx(tmp_path / "roster.xlsx", tables)], actor=IMPORT)
    assert [str(e) for e in outcome.errors] == [
        "roster.xlsx sheet people line 6: kind “volunteer” is not one of: officer, staff"]
    assert Person.objects.count() == 0


def test_an_unusable_file_or_header_is_reported_on_line_1(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a workbook")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("number,given_name\n1,Zoë\n".encode("latin-1"))
    header = tmp_path / "header.csv"
    header.write_text("number,kind,given_name,family_name,rank,joined_on,unit_code,ethnicity,sex,shoe_size\n")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("foo,bar\n1,2\n")
    outcome = import_files([junk, latin, header, unknown, tmp_path / "missing.csv"], actor=IMPORT)
    by_source = {e.source: (e.line, e.reason) for e in outcome.errors}
    assert by_source["junk.xlsx"][0] == 1 and "not a readable XLSX workbook" in by_source["junk.xlsx"][1]
    assert by_source["latin.csv"] == (1, "is not UTF-8 text (save the export as CSV UTF-8)")
    assert by_source["header.csv"] == (1, "unknown column shoe_size for the people table")
    assert by_source["unknown.csv"][0] == 1 and "names no roster table" in by_source["unknown.csv"][1]
    assert by_source[str(tmp_path / "missing.csv")][0] == 1


def test_the_command_lists_bad_rows_exits_non_zero_and_changes_nothing(tmp_path, installation):
    tables = copy.deepcopy(TABLES)
    tables["units"][1]["parent_code"] = "NOWHERE"
    paths = [str(p) for p in write_csvs(tmp_path, tables)]
    result = CliRunner().invoke(people_cli, ["import", *paths])
    assert result.exit_code == 1
    assert "units.csv line 3: parent_code NOWHERE: no such unit in this import or the roster" in result.stderr
    assert "Traceback" not in result.output and Unit.objects.count() == 0
    result = CliRunner().invoke(people_cli, ["import", *paths, "--json"])
    document = json.loads(result.stdout)
    assert result.exit_code == 1 and document["ok"] is False
    assert document["errors"] == [{"source": "units.csv", "line": 3,
                                   "reason": "parent_code NOWHERE: no such unit in this import or the roster"}]


def test_the_command_imports_and_reports_counts_as_json(tmp_path, installation):
    paths = [str(p) for p in write_csvs(tmp_path)]
    result = CliRunner().invoke(people_cli, ["import", *paths, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tables"]["hr_events"] == {"created": 3, "updated": 0, "unchanged": 0}
