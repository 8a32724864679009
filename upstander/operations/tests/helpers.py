"""Helpers for the operations tests: run the `upstander` command as a real process on throwaway data dirs, and walk
a reporter through the real intake pages in such a process (`python -m upstander.operations.tests.helpers`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def command_env(data_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """The suite's environment without its database settings (so a command uses its own SQLite data dir)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PG", "DATABASE_URL", "UPSTANDER_PRODUCTION", "DJANGO_SETTINGS_MODULE",
                                "UPSTANDER_TEST"))}
    env["PYTHONPATH"] = str(REPO)
    if data_dir is not None:
        env["UPSTANDER_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def upstander(args: list[str], data_dir: Path | None = None, *, env: dict | None = None, cwd: Path | None = None,
              stdin: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "upstander.cli", *args], env=env or command_env(data_dir),
                          cwd=cwd, input=stdin, capture_output=True, text=True, timeout=timeout, check=False)


def journey(action: str, data_dir: Path, *, env: dict | None = None, receipt: str = "") -> dict:
    """Run this module in a fresh process against `data_dir`: `submit` a report (returns its receipt) or `open` a
    receipt (returns what the status page shows)."""
    result = subprocess.run([sys.executable, "-m", "upstander.operations.tests.helpers", action, receipt],
                            env=env or command_env(data_dir), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _main(action: str, receipt: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    import django

    django.setup()
    from django.test import Client

    from upstander.testing.journeys import Answers, Journey, come_back

    if action == "submit":
        return {"receipt": Journey(Client(), Answers(narrative="The inspector shouts at the women on the team.")).run()}
    client = Client()
    back = come_back(client, receipt)
    page = client.get("/report/status") if back.status_code == 302 else back
    return {"status": back.status_code, "page": page.content.decode()}


if __name__ == "__main__":
    print(json.dumps(_main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")))  # noqa: T201
