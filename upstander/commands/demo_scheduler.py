"""The demo's scheduler: `upstander tick` in the background, as a systemd timer runs it in production, so clock
breaches, escalations and retaliation monitoring show in the demo without a hidden command (issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import click

TICK_TIMEOUT = 1800


def _summary(stdout: str) -> str:
    try:
        doc = json.loads(stdout)
    except ValueError:
        return "done"
    return (f"{doc.get('cases_checked', 0)} open case(s) checked, {doc.get('breaches_open', 0)} breach(es) open, "
            f"{doc.get('escalated_to_supervisor', 0) + doc.get('escalated_to_overseer', 0)} escalated, "
            f"{doc.get('retaliation', {}).get('alerts_opened', 0)} retaliation alert(s) opened")


class TickLoop(threading.Thread):
    """Runs `upstander tick` as its own process now and then every `every` seconds, until stopped."""

    def __init__(self, every: int) -> None:
        super().__init__(name="demo-tick", daemon=True)
        self.every = every
        self.stopped = threading.Event()
        self.ran = threading.Event()  # set after each run has been reported

    def run_once(self) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "upstander.cli", "tick", "--json"], env=dict(os.environ),
                              capture_output=True, text=True, timeout=TICK_TIMEOUT, check=False)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                result = self.run_once()
                line = _summary(result.stdout) if result.returncode == 0 else \
                    f"failed (exit {result.returncode}): {result.stderr.strip()[-300:]}"
            except subprocess.TimeoutExpired:
                line = f"still running after {TICK_TIMEOUT} s; stopped"
            click.echo(f"scheduler: tick {line}", err=True)
            self.ran.set()
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()


def start_tick_loop(every: int) -> TickLoop | None:
    """Start the loop and say so on stdout; `every` 0 turns it off (and says how to run tick by hand)."""
    if every <= 0:
        click.echo("Scheduler: off (--tick-every 0). Run `upstander tick` to escalate clock breaches.")
        return None
    loop = TickLoop(every)
    loop.start()
    if every % 60:
        often = f"{every} seconds"
    else:
        often = "minute" if every == 60 else f"{every // 60} minutes"
    click.echo(f"Scheduler: `upstander tick` runs in the background now and every {often} (change with "
               "--tick-every SECONDS), as the systemd timer does in production: clock breaches, escalations and "
               "retaliation monitoring update by themselves.")
    return loop
