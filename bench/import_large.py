"""Importing a large messy export (issue 14): `upstander insight import csv` with docs/examples/messy-export-mapping.toml
on a generated civilian-complaint-board release with 1,000,000 allegations against identified officers — header-less
yearly complaint files with month and year columns, a catch-all "UNKNOWN" officer on about 13% more rows (dropped by
the mapping), nine spellings of the findings matched by prefix and pattern, complainant ids rewritten by a pattern,
one row per officer per year in Latin-1 merged by id — end to end in its own process (start, strict reading with
DuckDB, mapping, the data-quality summary, Parquet writing), timed as the median of --runs runs with each run's peak
resident memory.

    .venv/bin/python bench/import_large.py [--allegations 1000000] [--runs 3]

Prints what it measured and the machine; results go in docs/benchmarks.md ("Imports"). Exits with status 1 if the
median run takes 60 s or more, or a run's peak memory reaches 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from patterns_chicago import ROOT, machine, run  # noqa: E402  (bench/ is not a package)

MAPPING = ROOT / "docs" / "examples" / "messy-export-mapping.toml"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DISPOSITIONS = ["Substantiated (Charges)", "Substantiated (Command Discipline A)",
                "SUBSTANTIATED (Formalized Training)", "Unsubstantiated", "Exonerated", "Unfounded",
                "Complaint Withdrawn", "Closed - Pending Litigation", "Miscellaneous - Subject Resigned"]
YEARS = list(range(2000, 2020))
LIMIT_SECONDS, LIMIT_MIB = 60, 1024


def _month_text(rng: np.random.Generator, months: np.ndarray) -> list[str]:
    style = rng.integers(0, 3, len(months))
    return [str(m) if s == 0 else MONTHS[m - 1] if s == 1 else MONTHS[m - 1][:3]
            for m, s in zip(months.tolist(), style.tolist(), strict=True)]


def _complaints(folder: Path, rng: np.random.Generator, numbers: np.ndarray) -> None:
    years = np.sort(rng.choice(YEARS, len(numbers)))
    months = rng.integers(1, 13, len(numbers))
    closed = rng.random(len(numbers)) < 0.8
    frame = pl.DataFrame({
        "complaint_no": numbers.astype(str), "month_received": _month_text(rng, months), "year_received": years,
        "month_closed": np.where(closed, rng.integers(1, 13, len(numbers)), 0),
        "year_closed": np.where(closed, years + rng.integers(1, 3, len(numbers)), 0),
        "fado_type": rng.choice(["Force", "Abuse of Authority", "Discourtesy"], len(numbers)),
    }).with_columns(pl.col("month_closed", "year_closed").cast(pl.Utf8).replace("0", None))
    (folder / "complaints").mkdir(parents=True)
    for (year,), part in frame.group_by("year_received", maintain_order=True):
        part.write_csv(folder / "complaints" / f"complaints_{year}.csv", include_header=False)


def _allegations(folder: Path, rng: np.random.Generator, numbers: np.ndarray, officers: np.ndarray,
                 count: int) -> None:
    per_complaint = rng.multinomial(count - len(numbers), [1 / len(numbers)] * len(numbers)) + 1
    complaint = np.repeat(numbers, per_complaint)
    officer = rng.choice(officers, count).astype(str)
    unknown = rng.choice(numbers, count // 8)
    complaint = np.concatenate([complaint, unknown])
    officer = np.concatenate([officer, np.full(len(unknown), "UNKNOWN")])
    disposition = rng.choice(DISPOSITIONS, len(complaint))
    penalty = np.where(np.char.startswith(np.char.lower(disposition.astype(str)), "substantiated"),
                       rng.choice(["Charges", "Command Discipline B", "Instructions", "No penalty"], len(complaint)),
                       "")
    pl.DataFrame({"complaint_no": complaint.astype(str), "officer_id": officer,
                  "fado_type": rng.choice(["Force", "Abuse of Authority"], len(complaint)),
                  "board_disposition": disposition, "penalty": penalty}) \
        .with_columns(pl.col("penalty").replace("", None)).write_csv(folder / "allegations.csv")


def _people_and_complainants(folder: Path, rng: np.random.Generator, numbers: np.ndarray,
                             officers: np.ndarray) -> None:
    rows = rng.integers(1, 4, len(officers))
    ids = np.repeat(officers, rows)
    rank = np.concatenate([["Police Officer", "Sergeant", "Lieutenant"][:n] for n in rows.tolist()])
    groups = np.repeat(rng.choice(["White", "Black", "Hispanic", "Asian", "Amérindien"], len(officers)), rows)
    text = pl.DataFrame({"officer_id": ids.astype(str), "year": 2019, "rank": rank, "ethnicity": groups,
                         "gender": np.repeat(rng.choice(["Male", "Female"], len(officers)), rows)}).write_csv()
    (folder / "officers.csv").write_bytes(text.encode("latin-1"))
    named = numbers[rng.random(len(numbers)) < 0.8]
    pl.DataFrame({"complaint_ref": [f"{y}-{n:07d}" for y, n in zip(rng.choice(YEARS, len(named)).tolist(),
                                                                     named.tolist(), strict=True)],
                  "gender": rng.choice(["Male", "Female", ""], len(named)),
                  "race": rng.choice(["White", "Black", "Hispanic", "Asian"], len(named))}) \
        .write_csv(folder / "complainants.csv")


def write_export(folder: Path, allegations: int, seed: int = 14) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    complaints = allegations * 10 // 21
    numbers = np.sort(rng.choice(np.arange(1000, complaints * 4), complaints, replace=False))
    officers = np.arange(100_000, 100_000 + max(40, allegations // 25))
    _complaints(folder, rng, numbers)
    _allegations(folder, rng, numbers, officers, allegations)
    _people_and_complainants(folder, rng, numbers, officers)
    return {"complaints": complaints, "officers": len(officers)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--allegations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    export = Path(tempfile.mkdtemp(prefix="upstander-bench-export-"))
    started = time.perf_counter()
    sizes = write_export(export, options.allegations)
    megabytes = sum(p.stat().st_size for p in export.rglob("*") if p.is_file()) / 2**20
    print(f"machine: {machine()}")
    print(f"export: {options.allegations:,} allegations, {sizes['complaints']:,} complaints, {sizes['officers']:,} "
          f"officers, {megabytes:.0f} MiB of CSV (written in {time.perf_counter() - started:.1f} s)")
    env = dict(os.environ, UPSTANDER_DATA_DIR=tempfile.mkdtemp(prefix="upstander-bench-import-"))
    args = ["insight", "import", "csv", "--mapping", str(MAPPING), str(export), "--name", "large", "--json"]
    runs = [run(args, env) for _ in range(options.runs)]
    times, peaks = [r[0] for r in runs], [r[1] for r in runs]
    summary = json.loads(runs[-1][2])
    print(f"import csv: median {statistics.median(times):.1f} s of {options.runs} "
          f"({', '.join(f'{t:.1f}' for t in times)}), CPU {statistics.median(r[3] for r in runs):.1f} s, "
          f"peak RSS {max(peaks):.0f} MiB")
    print(f"  rows {summary['rows']}")
    allegations = summary["quality"]["tables"]["allegations"]
    print(f"  allegations read {allegations['rows_read']:,}, kept {allegations['rows_kept']:,}; dropped "
          f"{allegations['dropped']}")
    if statistics.median(times) >= LIMIT_SECONDS or max(peaks) >= LIMIT_MIB:
        print(f"FAILED: over {LIMIT_SECONDS} s or {LIMIT_MIB} MiB")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
