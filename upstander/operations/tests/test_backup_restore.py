"""`upstander backup` and `upstander restore` as an operator runs them (issue 16): a report made through the real
intake pages survives a backup and a restore into a fresh data directory, receipt and audit chain included."""

from __future__ import annotations

import json

import pytest

from upstander.operations.tests.helpers import journey, upstander


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """An installation with one report and a checkpoint, its backup key, and a backup of it."""
    root = tmp_path_factory.mktemp("backup")
    live, secret, archive = root / "live", root / "offline" / "backup-secret", root / "one.upb"
    secret.parent.mkdir()
    assert upstander(["migrate"], live).returncode == 0
    made = upstander(["keys", "backup-keypair", "--secret-out", str(secret)], live)
    assert made.returncode == 0, made.stderr
    receipt = journey("submit", live)["receipt"]
    assert upstander(["audit", "checkpoint"], live).returncode == 0
    result = upstander(["backup", "--out", str(archive), "--json"], live)
    assert result.returncode == 0, result.stderr
    return {"root": root, "live": live, "secret": secret, "archive": archive, "receipt": receipt,
            "summary": json.loads(result.stdout)}


def test_a_report_made_through_the_intake_is_restored_into_a_fresh_data_dir_and_its_receipt_opens_it(backed_up):
    fresh = backed_up["root"] / "fresh"
    result = upstander(["restore", str(backed_up["archive"]), "--secret-file", str(backed_up["secret"])], fresh)
    assert result.returncode == 0, result.stderr
    assert "audit log intact" in result.stderr and "installation: ok" in result.stderr  # check and verify ran
    assert upstander(["audit", "verify"], fresh).returncode == 0
    opened = journey("open", fresh, receipt=backed_up["receipt"])
    assert opened["status"] == 302
    assert "Your report's timeline" in opened["page"]


def test_the_archive_is_encrypted_and_holds_no_recovery_secret(backed_up):
    data = backed_up["archive"].read_bytes()
    assert data.startswith(b"UPSEAL")
    pepper = (backed_up["live"] / "keys" / "receipt-pepper").read_bytes()
    assert pepper not in data and b"SQLite format" not in data
    assert backed_up["summary"]["database"] == "sqlite" and backed_up["summary"]["key_files"] >= 5


def test_restore_refuses_to_overwrite_a_live_installation_without_force(backed_up, tmp_path):
    other = tmp_path / "other"
    assert upstander(["migrate"], other).returncode == 0
    pepper = (other / "keys" / "receipt-pepper").read_bytes()
    result = upstander(["restore", str(backed_up["archive"]), "--secret-file", str(backed_up["secret"])], other)
    assert result.returncode == 1 and "--force" in result.stderr and "nothing was changed" in result.stderr
    assert (other / "keys" / "receipt-pepper").read_bytes() == pepper
    forced = upstander(["restore", str(backed_up["archive"]), "--secret-file", str(backed_up["secret"]), "--force"],
                       other)
    assert forced.returncode == 0, forced.stderr
    assert journey("open", other, receipt=backed_up["receipt"])["status"] == 302


def test_a_wrong_secret_or_a_cut_short_archive_is_refused_and_changes_nothing(backed_up, tmp_path):
    wrong = tmp_path / "wrong-secret"
    assert upstander(["migrate"], tmp_path / "elsewhere").returncode == 0
    assert upstander(["keys", "backup-keypair", "--secret-out", str(wrong)], tmp_path / "elsewhere").returncode == 0
    target = tmp_path / "target"
    result = upstander(["restore", str(backed_up["archive"]), "--secret-file", str(wrong)], target)
    assert result.returncode == 1 and "cannot open" in result.stderr
    cut = tmp_path / "cut.upb"
    cut.write_bytes(backed_up["archive"].read_bytes()[:-100])
    result = upstander(["restore", str(cut), "--secret-file", str(backed_up["secret"])], target)
    assert result.returncode == 1 and "truncated" in result.stderr
    assert not (target / "upstander.sqlite3").exists() and not (target / "keys").exists()


def test_backup_needs_the_backup_key_and_never_overwrites_a_file(backed_up, tmp_path):
    bare = tmp_path / "bare"
    assert upstander(["migrate"], bare).returncode == 0
    result = upstander(["backup", "--out", str(tmp_path / "x.upb")], bare)
    assert result.returncode == 1 and "upstander keys backup-keypair" in result.stderr
    result = upstander(["backup", "--out", str(backed_up["archive"])], backed_up["live"])
    assert result.returncode == 1 and "exists already" in result.stderr
