"""`upstander serve` finds gunicorn beside its own interpreter; `upstander demo` runs the scheduler (tick)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from upstander.commands.serve import gunicorn_command
from upstander.operations.tests.helpers import command_env, upstander


def test_serve_runs_gunicorn_with_its_own_interpreter_not_whatever_is_on_path():
    """The failure: `serve` looked gunicorn up on PATH and crashed under systemd, whose PATH has no virtualenv."""
    args = gunicorn_command(host="127.0.0.1", port=8123, workers=3, timeout=45, graceful_timeout=20, max_requests=100)
    assert args[:3] == [sys.executable, "-m", "gunicorn"]
    assert args[args.index("--workers") + 1] == "3" and args[args.index("--timeout") + 1] == "45"
    assert args[args.index("--access-logfile") + 1] == "/dev/null"


def test_serve_options_are_documented_in_its_help(tmp_path):
    result = upstander(["serve", "--help"], tmp_path)
    for option in ("--workers", "--timeout", "--graceful-timeout", "--max-requests"):
        assert option in result.stdout


def test_the_demo_runs_tick_in_the_background_and_says_so(tmp_path):
    """The failure (issue 12): the demo never ran tick, so breaches, escalations and monitoring showed zero."""
    assert upstander(["migrate"], tmp_path).returncode == 0
    script = ("from upstander.commands.demo_scheduler import start_tick_loop\n"
              "loop = start_tick_loop(3600)\n"
              "assert loop.ran.wait(120)\n"
              "loop.stop()\n")
    result = subprocess.run([sys.executable, "-c", script], env=command_env(tmp_path), capture_output=True, text=True,
                            timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    assert "Scheduler: `upstander tick` runs in the background now and every 60 minutes" in result.stdout
    assert "scheduler: tick 0 open case(s) checked" in result.stderr
    with sqlite3.connect(tmp_path / "upstander.sqlite3") as db:
        assert db.execute("SELECT runs FROM operations_scheduledrun WHERE job = 'tick'").fetchone() == (1,)
