"""How long `upstander evidence review EXPORT --json` takes on a 100,000-message chat, and its peak memory.

    .venv/bin/python bench/evidence_review.py [--messages 100000] [--runs 3] [--format whatsapp|slack|teams]

Writes a WhatsApp (or Slack, or Teams) export of N messages: every text of the development split of
../shared/data/abuse-train (4,122 posts, 121 characters on average) and short everyday chat lines, alternately, from
twelve senders over a year. Then runs the real command in a fresh process, N times, and reports the median wall
time, the CPU time it used (which a busy machine inflates less) and the largest peak resident memory (the
largest ru_maxrss of the command and its workers): parsing, classifying every message, and writing
the JSON document, Django start-up included. The issue's bar: under 60 s on this machine's 2 cores, under 1 GiB."""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from upstander.evidence import render  # noqa: E402
from upstander.evidence.classifier.data import load  # noqa: E402
from upstander.evidence.render import Line  # noqa: E402

EVERYDAY = ["morning all", "who's on lates?", "see you at the nick", "kit check at 6", "anyone want a brew",
            "traffic on the A40 is terrible", "back in the office tomorrow", "lol", "ok", "nice one",
            "on my way", "cheers mate", "can someone cover my shift friday", "👍", "haha classic"]
SENDERS = ["Dave Smith", "Gina Green", "+44 7700 900123", "Sgt Jones 🚓", "Priya", "Mo", "Kate O'Brien", "Jo",
           "Tom", "Sam", "Alex", "Chris"]


def chat(count: int) -> list[Line]:
    texts = [row.text for row in load("dev")]
    moment = datetime(2021, 1, 1, 7, 0)
    lines = []
    for i in range(count):
        moment += timedelta(seconds=300 + (i * 37) % 200)
        text = texts[(i // 2) % len(texts)] if i % 2 else EVERYDAY[i % len(EVERYDAY)]
        lines.append(Line(SENDERS[(i * 7) % len(SENDERS)], moment, text))
    return lines


def write(lines: list[Line], form: str, folder: Path) -> Path:
    if form == "slack":
        path = folder / "slack.zip"
        path.write_bytes(render.zipped(render.slack_files(lines)))
    elif form == "teams":
        path = folder / "messages.json"
        path.write_bytes(render.teams(lines))
    else:
        path = folder / "WhatsApp Chat with Relief.txt"
        path.write_bytes(render.whatsapp(lines))
    return path


def _tree_pss_kib(pid: int) -> int:
    """Memory of a process and all its descendants: the sum of their proportional set sizes (/proc/PID/smaps_rollup),
    so the pages forked workers share with their parent are counted once, not once per process."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_once(path: Path, data_dir: Path) -> tuple[float, float, int, int, int]:
    """Wall time, CPU time (user + system, the command and its workers), the largest single process's peak
    resident memory (KiB), the largest proportional memory of the whole process tree seen while it ran (KiB, sampled
    every 0.5 s), JSON bytes."""
    env = {**os.environ, "UPSTANDER_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen([sys.executable, "-m", "upstander.cli", "evidence", "review", str(path), "--json"],
                                   env=env, stdout=out, stderr=subprocess.DEVNULL)
        tree_peak = 0
        while process.poll() is None:
            tree_peak = max(tree_peak, _tree_pss_kib(process.pid))
            time.sleep(0.5)
        wall = time.perf_counter() - start
        if process.returncode:
            raise SystemExit(f"the command failed ({process.returncode})")
        size = out.tell()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss, tree_peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=["whatsapp", "slack", "teams"], default="whatsapp")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write(chat(args.messages), args.format, folder)
        print(f"{args.format} export of {args.messages} messages: {path.stat().st_size / 1e6:.1f} MB")
        walls, cpus, peaks, trees = [], [], [], []
        for run in range(args.runs):
            wall, cpu, peak_kib, tree_kib, out = run_once(path, folder / f"data{run}")
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(peak_kib)
            trees.append(tree_kib)
            print(f"  run {run + 1}: {wall:.1f} s wall, {cpu:.1f} s CPU, JSON {out / 1e6:.1f} MB", flush=True)
    load_avg = os.getloadavg()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {load_avg[0]:.1f} at the end")
    print(f"median of {args.runs}: {statistics.median(walls):.1f} s wall, {statistics.median(cpus):.1f} s CPU; "
          f"peak resident memory {max(peaks) / 1024:.0f} MiB in one process, {max(trees) / 1024:.0f} MiB summed over "
          "the command and its workers")


if __name__ == "__main__":
    main()
