"""Fail closed (issue 16): commands refuse a data dir or database without an installation, never make keys for an
installation that has other keys, and name a key that does not belong to the database. Real processes throughout."""

from __future__ import annotations

import shutil
from pathlib import Path

from upstander.operations.tests.helpers import REPO, command_env, upstander


def _tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def test_tick_from_cron_in_an_empty_directory_exits_non_zero_and_creates_nothing(tmp_path):
    """The attack/accident: cron runs `upstander tick` with an almost empty environment (no UPSTANDER_DATA_DIR,
    no DATABASE_URL). It used to create a fresh SQLite database with new keys in ./var, exit 0 and check 0 cases."""
    cron_env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)}
    result = upstander(["tick"], env=cron_env, cwd=tmp_path)
    assert result.returncode != 0
    assert _tree(tmp_path) == []
    assert "No Upstander installation" in result.stderr
    assert "UPSTANDER_DATA_DIR" in result.stderr and "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_but_demo_migrate_and_keys_init_refuses_a_data_dir_without_an_installation(tmp_path):
    data_dir = tmp_path / "nothing-here"
    for args in (["audit", "verify"], ["audit", "checkpoint"], ["keys", "status"], ["intake", "sweep"],
                 ["worldgen", "--staff", "100"], ["backup", "--out", str(tmp_path / "b.upb")], ["totp", "admin"],
                 ["keys", "backup-keypair"]):
        result = upstander(args, data_dir)
        assert result.returncode == 2, (args, result.stderr)
        assert "No Upstander installation" in result.stderr and "upstander migrate" in result.stderr, args
    assert not data_dir.exists()
    assert _tree(tmp_path) == []


def test_keys_init_against_a_restored_database_with_an_empty_key_folder_refuses_and_says_to_restore_the_keys(tmp_path):
    """The accident: a database restored without its key folder. `keys init` said "Keys are in place." and made a
    new receipt pepper and signing key, after which every receipt was "not recognised" and `audit verify` blamed
    the audit log."""
    assert upstander(["migrate"], tmp_path).returncode == 0
    shutil.rmtree(tmp_path / "keys")
    (tmp_path / "keys").mkdir(mode=0o700)
    for args in (["keys", "init"], ["migrate"], ["demo", "--no-serve", "--staff", "100"]):
        result = upstander(args, tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "no keys were made" in result.stderr and "restore" in result.stderr.lower()
        assert "receipt pepper" in result.stderr
    assert list((tmp_path / "keys").iterdir()) == []


def test_a_wrong_receipt_pepper_is_named_as_a_key_mix_up_not_as_audit_tampering(tmp_path):
    assert upstander(["migrate"], tmp_path).returncode == 0
    pepper = tmp_path / "keys" / "receipt-pepper"
    pepper.write_bytes(b"\x01" * 32)
    result = upstander(["audit", "verify"], tmp_path)
    assert result.returncode == 2
    assert "the receipt pepper" in result.stderr and "does not belong to this database" in result.stderr
    assert "not tampering" in result.stderr and "first broken link" not in result.stdout + result.stderr


def test_a_signing_key_from_another_installation_is_named_as_such(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for data_dir in (one, two):
        assert upstander(["migrate"], data_dir).returncode == 0
    for name in ("force-signing.key", "force-signing.pub"):
        shutil.copy(two / "keys" / name, one / "keys" / name)
    result = upstander(["audit", "verify"], one)
    assert result.returncode == 2
    assert "signing key" in result.stderr and "does not belong to this database" in result.stderr
    assert "receipt pepper" not in result.stderr


def test_key_files_of_an_installation_are_not_adopted_by_an_empty_database(tmp_path):
    """The accident: `keys init` run with the production key paths but without DATABASE_URL built a throwaway
    database for them. Key files that record an installation are refused by any database without it."""
    assert upstander(["migrate"], tmp_path / "real").returncode == 0
    keys = tmp_path / "real" / "keys"
    env = command_env(tmp_path / "throwaway", UPSTANDER_RECEIPT_PEPPER_FILE=str(keys / "receipt-pepper"),
                      UPSTANDER_FORCE_SIGNING_KEY_FILE=str(keys / "force-signing.key"),
                      UPSTANDER_FORCE_SIGNING_PUBLIC_FILE=str(keys / "force-signing.pub"))
    result = upstander(["keys", "init"], env=env)
    assert result.returncode == 2
    assert "belong to installation" in result.stderr and "DATABASE_URL" in result.stderr


def test_migrate_makes_a_key_folder_that_does_not_exist_instead_of_crashing_with_a_traceback(tmp_path):
    folder = tmp_path / "no-such-folder"
    env = command_env(tmp_path / "data", UPSTANDER_FORCE_SIGNING_KEY_FILE=str(folder / "signing.key"),
                      UPSTANDER_FORCE_SIGNING_PUBLIC_FILE=str(folder / "signing.pub"))
    result = upstander(["migrate"], env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700) and (folder / "signing.key").stat().st_mode & 0o077 == 0
    assert upstander(["audit", "verify"], env=env).returncode == 0


def test_a_database_made_before_installation_records_is_adopted_with_its_own_keys(tmp_path):
    """Upgrading: `migrate` on a database that holds data but no installation row keeps the keys it finds."""
    import sqlite3

    assert upstander(["migrate"], tmp_path).returncode == 0
    pepper = (tmp_path / "keys" / "receipt-pepper").read_bytes()
    with sqlite3.connect(tmp_path / "upstander.sqlite3") as db:  # as the database was before this version
        db.execute("DELETE FROM operations_installation")
    (tmp_path / "keys" / "installation.json").unlink()
    result = upstander(["migrate"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "keys" / "receipt-pepper").read_bytes() == pepper
    assert upstander(["audit", "verify"], tmp_path).returncode == 0

