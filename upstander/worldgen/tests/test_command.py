"""`upstander worldgen` as a real process, on throwaway data dirs (always the embedded SQLite default).

Each data dir is migrated first, which is most of the time, so the checks share as few runs as they can."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

ARGS = ["worldgen", "--staff", "200", "--years", "2", "--seed", "42"]


def _env(data_dir) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "DATABASE_URL", "UPSTANDER_PRODUCTION"))}
    env["UPSTANDER_DATA_DIR"] = str(data_dir)
    return env


def _start(args, data_dir) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "upstander.cli", *args], env=_env(data_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _run(args, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "upstander.cli", *args], env=_env(data_dir), capture_output=True,
                          timeout=300)


def _rows(data_dir, table: str) -> int:
    with sqlite3.connect(data_dir / "upstander.sqlite3") as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            return 0  # killed before its schema was complete (a loaded machine): nothing was written either
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed table names


def _kill_while_writing(proc: subprocess.Popen) -> None:
    seen = b""
    deadline = time.monotonic() + 240
    os.set_blocking(proc.stderr.fileno(), False)
    while b"worldgen: writing" not in seen and proc.poll() is None and time.monotonic() < deadline:
        seen += proc.stderr.read() or b""
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be interrupted"


def test_one_seed_gives_the_same_truth_file_in_two_data_dirs_even_after_an_interrupted_run(tmp_path):
    fresh, recovered = tmp_path / "fresh", tmp_path / "recovered"
    for data_dir in (fresh, recovered):  # worldgen, like every command but migrate, needs an installation
        assert _run(["migrate"], data_dir).returncode == 0
    first = _start([*ARGS, "--out", str(tmp_path / "fresh.json"), "--json"], fresh)
    interrupted = _start(["worldgen", "--staff", "2500", "--years", "4", "--seed", "1"], recovered)
    _kill_while_writing(interrupted)
    assert _rows(recovered, "people_person") == 0  # the interrupted transaction left nothing behind

    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()[-2000:]
    summary = json.loads(out)  # exactly one JSON document on stdout
    assert summary["seed"] == 42 and summary["planted"]["crews"] >= 2
    assert b"worldgen: writing" in err  # the progress bar is on stderr

    second = _run([*ARGS, "--out", str(tmp_path / "recovered.json"), "--json"], recovered)
    assert second.returncode == 0, second.stderr.decode()[-2000:]
    assert _rows(recovered, "people_person") == json.loads(second.stdout)["rows"]["people.person"]

    one, two = (tmp_path / "fresh.json").read_bytes(), (tmp_path / "recovered.json").read_bytes()
    assert one == two
    truth = json.loads(one)
    assert truth["relative_rate"]["configured"] == 1.81 and truth["retaliation"]["excess_rate"] == 0.25
    assert truth["repeat_subjects"] and truth["crews"] and "retaliated_reporters" in truth
    assert str(tmp_path).encode() not in one  # no paths in the truth

    again = _run(ARGS, recovered)
    assert again.returncode == 1 and b"already holds a synthetic force" in again.stderr
