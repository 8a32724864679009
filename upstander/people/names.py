"""What the roster knows about how names are written: the short forms and nicknames of given names. Subject
resolution matches "Dan" to Daniel with it, and the synthetic force writes the nicknames its reporters use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def nickname_table() -> dict[str, list[str]]:
    """Full given name -> its short forms and nicknames, as in data/nicknames.tsv."""
    table = {}
    for line in (DATA / "nicknames.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, short = line.split("\t")
            table[name] = short.split(",")
    return table
