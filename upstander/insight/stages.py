"""The misconduct funnel: the stages an allegation can reach, and how each is read from the allegations table.

A stage is *available* in a dataset when its column holds at least one non-null value; otherwise the dataset cannot
say, and every figure for that stage is reported as missing rather than zero.
"""

from __future__ import annotations

import polars as pl

STAGES: tuple[str, ...] = (
    "allegation",
    "assessed_misconduct",
    "investigated",
    "substantiated",
    "proceedings",
    "sanction",
    "dismissal",
)

LABELS = {
    "allegation": "Allegation recorded",
    "assessed_misconduct": "Assessed as misconduct or worse",
    "investigated": "Investigated",
    "substantiated": "Case to answer / substantiated",
    "proceedings": "Misconduct proceedings",
    "sanction": "Sanction",
    "dismissal": "Dismissal",
}

# The allegations column each stage is read from (None: every allegation reaches it).
COLUMN: dict[str, str | None] = {
    "allegation": None,
    "assessed_misconduct": "assessed_misconduct",
    "investigated": "investigated",
    "substantiated": "finding",
    "proceedings": "proceedings",
    "sanction": "sanctioned",
    "dismissal": "dismissed",
}


def reached(stage: str) -> pl.Expr:
    """True where the allegation reached `stage`; an unknown value counts as not reached (the denominator still
    holds every allegation, as the definitions require)."""
    if stage == "allegation":
        return pl.lit(True)
    if stage == "substantiated":
        return (pl.col("finding") == "substantiated").fill_null(False)
    column = COLUMN[stage]
    assert column is not None
    return pl.col(column).fill_null(False)


def available(allegations: pl.DataFrame) -> list[str]:
    """Stages for which the allegations table has data at all."""
    found = []
    for stage in STAGES:
        column = COLUMN[stage]
        if column is None or allegations[column].null_count() < allegations.height:
            found.append(stage)
    return found


def stages_available(allegations: pl.DataFrame, meta: dict) -> list[str]:
    """The stages recorded in meta.json at import (whole dataset), else inferred from the rows at hand."""
    recorded = meta.get("stages_available")
    if isinstance(recorded, list):
        return [s for s in STAGES if s in recorded]
    return available(allegations)
