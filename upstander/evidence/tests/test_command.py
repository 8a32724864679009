"""`upstander evidence review PATH --json`: exactly one JSON document on stdout, progress on stderr; a clear error
for a file it cannot read; with --case, the export is attached as the case page would."""

from __future__ import annotations

import json

from click.testing import CliRunner

from upstander.audit.models import AuditEvent
from upstander.evidence import render
from upstander.evidence.command import evidence, folder_as_zip
from upstander.evidence.models import ChatExport
from upstander.evidence.tests.conftest import FLAGGED_BY_DYER, relief_chat


def test_the_review_writes_one_json_document_with_senders_and_flags(tmp_path):
    path = tmp_path / "WhatsApp Chat with Relief B.txt"
    path.write_bytes(render.whatsapp(relief_chat()))
    result = CliRunner().invoke(evidence, ["review", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["format"] == "whatsapp" and document["messages"] == 12 and document["unreadable_lines"] == 0
    assert document["senders"]["Dezza Dyer 🚓"] == {category: 1 for _, category in FLAGGED_BY_DYER}
    assert document["senders"]["Gina Green"] == {}
    flags = {f["text"]: f for f in document["flags"]}
    for text, category in FLAGGED_BY_DYER:
        assert flags[text]["category"] == category and flags[text]["sender"] == "Dezza Dyer 🚓"
        assert 0.5 <= flags[text]["score"] <= 1 and flags[text]["at"].startswith("2021-03-14T")
    assert result.stdout.count("\n") == 1  # one document; progress (on a terminal) goes to stderr


def test_a_month_first_override_is_obeyed(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_bytes(b"05/03/2021, 10:00 - Dave: one\n06/03/2021, 10:00 - Dave: two\n")
    document = json.loads(CliRunner().invoke(evidence, ["review", str(path), "--json", "--month-first"]).stdout)
    assert document["notes"][0].endswith("dates read month-first (as asked)")


def test_an_unreadable_file_gets_one_json_error_and_a_failing_exit(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Shopping list\nmilk\n")
    result = CliRunner().invoke(evidence, ["review", str(path), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"ok": False, "error": f"{path.name}: this is not a WhatsApp chat export: no "
                                         "line starts with a date and time like “31/12/2020, 23:59 - Name:” or "
                                         "“[31/12/2020, 23:59:59] Name:”"}


def test_with_a_case_the_export_is_attached_and_its_hash_audited(opened, tmp_path):
    case = opened()
    folder = tmp_path / "slack-export"
    for name, data in render.slack_files(relief_chat()).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    result = CliRunner().invoke(evidence, ["review", str(folder), "--json", "--case", case.code])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    export = ChatExport.objects.get(case=case)
    assert document["sha256"] == export.sha256 and export.format == "slack" and export.message_count == 12
    assert folder_as_zip(folder) == folder_as_zip(folder)  # the same folder always hashes the same
    event = AuditEvent.objects.get(action="evidence.attach")
    assert event.actor == "system:evidence" and export.sha256 in event.reason
