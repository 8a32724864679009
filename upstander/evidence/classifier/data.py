"""The labelled training and development rows in ../shared/data/abuse-train/ (see its SOURCE.md), read as they are.

Label conventions, mapped honestly (SOURCE.md's mapping rules, not ours): each row has one primary `category`
(one of CATEGORIES or "none") and `also`, the other categories its source's labels support (EDOS threats are also
sexist; EDOS "dehumanising and objectifying" posts are also sexual; ConvAbuse sexual harassment may also be sexist).
The one-vs-rest training counts a row as a positive for its primary category and for its `also` categories, so
the sexist detector learns that threats against women are sexist too; scoring always uses the primary category."""

from __future__ import annotations

import csv
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("racist", "sexist", "homophobic_transphobic", "religious", "ableist", "violent_threat", "sexual",
              "offensive_not_hate")
HATE = ("racist", "sexist", "homophobic_transphobic", "religious", "ableist")
NONE = "none"
REPOSITORY = Path(__file__).resolve().parents[3]
DATA_DIR = REPOSITORY.parent / "shared" / "data" / "abuse-train"


@dataclass(frozen=True)
class Row:
    id: str
    source: str
    category: str
    also: tuple[str, ...]
    text: str


def _rows(handle) -> list[Row]:
    return [Row(r["id"], r["source"], r["category"], tuple(a for a in r["also"].split(",") if a), r["text"])
            for r in csv.DictReader(handle, delimiter="\t")]


def load(split: str, data_dir: Path = DATA_DIR) -> list[Row]:
    """split: "train" or "dev"."""
    if split == "train":
        with gzip.open(data_dir / "train.tsv.gz", "rt", encoding="utf-8", newline="") as handle:
            return _rows(handle)
    with open(data_dir / "dev.tsv", encoding="utf-8", newline="") as handle:
        return _rows(handle)


def digest(rows: list[Row]) -> str:
    """A fingerprint of the texts and labels, so a test can tell when the shipped model is older than its data."""
    return hashlib.sha256("\n".join(f"{r.category}\t{','.join(r.also)}\t{r.text}" for r in rows).encode()).hexdigest()
