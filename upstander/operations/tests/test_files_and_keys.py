"""Issue 11's smaller findings about files: who can read them, and two processes racing to create keys."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time

from upstander.operations.tests.helpers import REPO, command_env, upstander


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_file_and_the_data_directory_are_not_readable_by_other_local_users(tmp_path):
    """The attack: any local account on the server read the SQLite file (it was 0644, its folder 0755), and with
    it every clear-text fact about every case."""
    data_dir = tmp_path / "data"
    assert upstander(["migrate"], data_dir).returncode == 0
    assert _mode(data_dir) == 0o700
    assert _mode(data_dir / "upstander.sqlite3") == 0o600
    assert _mode(data_dir / "keys") == 0o700
    assert all(_mode(p) == 0o600 for p in (data_dir / "keys").iterdir())
    check = json.loads(upstander(["check", "--json"], data_dir).stdout)
    assert check["checks"]["permissions"]["ok"]


def test_migrate_tightens_a_data_directory_left_readable_by_an_earlier_version(tmp_path):
    assert upstander(["migrate"], tmp_path).returncode == 0
    (tmp_path / "upstander.sqlite3").chmod(0o644)
    tmp_path.chmod(0o755)
    check = json.loads(upstander(["check", "--json"], tmp_path).stdout)
    assert check["status"] == "error" and check["checks"]["permissions"]["readable_by_others"]
    assert upstander(["migrate"], tmp_path).returncode == 0
    assert _mode(tmp_path) == 0o700 and _mode(tmp_path / "upstander.sqlite3") == 0o600


RACER = """
import sys, time
from pathlib import Path
from upstander.lib.keyfiles import read_or_create
import secrets
start = float(sys.argv[2])
while time.time() < start:
    pass
print(read_or_create(Path(sys.argv[1]), lambda: secrets.token_hex(32).encode()).decode())
"""


def test_processes_racing_to_create_one_key_file_all_end_with_the_same_key(tmp_path):
    """The attack/accident: check-then-create with a fixed `.tmp` name let two processes starting together each
    write their own key, and one of them went on using a key that was then replaced on disk."""
    target = tmp_path / "receipt-pepper"
    start = time.time() + 1.5  # noqa: DTZ005 - a moment for the racers to wait for, not a date
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(target), str(start)], env=command_env(),
                               cwd=REPO, stdout=subprocess.PIPE, text=True) for _ in range(8)]
    keys = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert len(keys) == 1
    assert target.read_text() == keys.pop()
    assert [p.name for p in tmp_path.iterdir()] == ["receipt-pepper"]  # no temporary file left behind
    assert _mode(target) == 0o600


def test_two_processes_starting_together_on_a_fresh_data_dir_end_with_one_set_of_keys(tmp_path):
    env = command_env(tmp_path)
    both = [subprocess.Popen([sys.executable, "-m", "upstander.cli", "migrate"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in both]
    assert [rc for rc, _ in outcomes] == [0, 0], outcomes
    assert sum("New installation set up" in err for _, err in outcomes) == 1
    result = upstander(["check", "--json"], tmp_path)
    assert json.loads(result.stdout)["checks"]["installation"]["ok"], result.stdout
    assert not [p for p in (tmp_path / "keys").iterdir() if p.name.endswith(".tmp")]
