"""The `upstander` command, run as a real process against throwaway data dirs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from upstander.cli import SUBCOMMANDS


def run(args, data_dir, **extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "DATABASE_URL", "UPSTANDER_PRODUCTION"))}
    env.update({"UPSTANDER_DATA_DIR": str(data_dir), **extra_env})
    return subprocess.run([sys.executable, "-m", "upstander.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_every_subcommand_has_help(tmp_path):
    top = run(["--help"], tmp_path)
    assert top.returncode == 0
    for name in SUBCOMMANDS:
        assert f"  {name} " in top.stdout, f"{name} is missing from upstander --help"
        result = run([name, "--help"], tmp_path)
        assert result.returncode == 0, (name, result.stderr)
        assert "Usage:" in result.stdout


def test_check_on_an_empty_data_dir_fails_and_says_what_to_do(tmp_path):
    result = run(["check"], tmp_path / "empty")
    assert result.returncode == 1
    assert "upstander migrate" in result.stderr
    assert not (tmp_path / "empty").exists()  # checking creates nothing


def test_migrate_makes_an_empty_data_dir_ready_and_check_then_passes_with_clean_json(tmp_path):
    assert run(["migrate"], tmp_path).returncode == 0
    assert run(["migrate"], tmp_path).returncode == 0  # idempotent
    result = run(["check", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert doc["status"] == "ok"
    assert set(doc["checks"]) == {"database", "migrations", "installation", "keys", "permissions"}


def test_serve_refuses_to_start_without_a_secret_key_database_and_keys(tmp_path):
    result = run(["serve"], tmp_path)
    assert result.returncode == 2
    for needed in ("UPSTANDER_SECRET_KEY", "DATABASE_URL", "UPSTANDER_FORCE_SIGNING_KEY_FILE"):
        assert needed in result.stderr


def test_production_mode_refuses_a_missing_secret_key_with_a_message(tmp_path):
    result = run(["check"], tmp_path, UPSTANDER_PRODUCTION="1")
    assert result.returncode == 2
    assert "UPSTANDER_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_setting_fails_loudly(tmp_path):
    result = run(["check"], tmp_path, UPSTANDER_DEBUG="perhaps")
    assert result.returncode == 2
    assert "UPSTANDER_DEBUG" in result.stderr


@pytest.mark.parametrize("interrupt_after", ["keys"])
def test_an_interrupted_set_up_is_completed_by_the_next_command(tmp_path, interrupt_after):
    # Simulate a run killed after the key files were written but before the database existed.
    (tmp_path / "keys").mkdir(parents=True)
    (tmp_path / "keys" / "receipt-pepper.tmp").write_bytes(b"half")
    assert run(["migrate"], tmp_path).returncode == 0
    assert run(["check"], tmp_path).returncode == 0
