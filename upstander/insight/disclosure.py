"""Statistical disclosure control for published outputs.

The analyst's own view shows exact aggregates; whatever is published (the signed report, a public CSV) goes
through here first:

1. primary suppression: every count under the policy's threshold (policy/disclosure.toml `suppress_below`, 10 by
   default; zero included: "no one in group X" can be disclosive too);
2. secondary suppression: in every additive relation of the table (a row with its row total, a column with its
   column total, the totals with the grand total) a suppressed entry must never be alone — otherwise it is the total
   minus the others. While some relation has exactly one suppressed entry, the smallest other entry of that relation
   is suppressed too (cells before totals, the grand total last), until no relation has exactly one;
3. rounding: every count still shown is rounded to the nearest multiple of `round_to` (5 by default; halves up);
4. rates, relative rates and intervals are recomputed from the published (rounded) counts, and are withheld where
   their numerator or denominator is, so that a precise rate cannot give the exact counts back.

Tables whose rows are not additive (stages of a funnel: the same people counted at each stage) are protected column
by column: give them `row_totals=False`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from upstander.insight.fairness import katz_interval
from upstander.lib import policy

TOTAL = "__total__"

Key = tuple[Hashable, Hashable]


def suppress_below() -> int:
    """Counts under this are suppressed (policy/disclosure.toml)."""
    return int(policy.load("disclosure")["suppress_below"])


def rounding_base() -> int:
    """Counts still shown are rounded to a multiple of this (policy/disclosure.toml)."""
    return int(policy.load("disclosure")["round_to"])


def round_to_base(value: int, base: int | None = None) -> int:
    step = base or rounding_base()
    return int(math.floor(value / step + 0.5) * step)


@dataclass
class ProtectedTable:
    """A table after disclosure control: `published[key]` is a rounded count, or None where suppressed."""

    rows: list[Hashable]
    columns: list[Hashable]
    published: dict[Key, int | None]
    primary: set[Key] = field(default_factory=set)
    secondary: set[Key] = field(default_factory=set)

    def value(self, row: Hashable, column: Hashable) -> int | None:
        return self.published.get((row, column))

    @property
    def suppressed(self) -> set[Key]:
        return self.primary | self.secondary


def _relations(rows: list[Hashable], columns: list[Hashable], row_totals: bool, col_totals: bool) -> list[list[Key]]:
    relations: list[list[Key]] = []
    if row_totals:
        relations += [[(r, c) for c in columns] + [(r, TOTAL)] for r in rows]
    if col_totals:
        relations += [[(r, c) for r in rows] + [(TOTAL, c)] for c in columns]
    if row_totals and col_totals:
        relations.append([(r, TOTAL) for r in rows] + [(TOTAL, TOTAL)])
        relations.append([(TOTAL, c) for c in columns] + [(TOTAL, TOTAL)])
    return relations


def protect(cells: Mapping[Key, int], *, rows: list[Hashable] | None = None, columns: list[Hashable] | None = None,
            row_totals: bool = True, col_totals: bool = True, threshold: int | None = None,
            base: int | None = None) -> ProtectedTable:
    """Protect a two-way table of counts `cells[(row, column)]` (absent cells are 0). Totals are computed from the
    exact cells and published under the keys (row, TOTAL), (TOTAL, column) and (TOTAL, TOTAL)."""
    rows = list(rows if rows is not None else dict.fromkeys(r for r, _ in cells))
    columns = list(columns if columns is not None else dict.fromkeys(c for _, c in cells))
    exact: dict[Key, int] = {(r, c): int(cells.get((r, c), 0)) for r in rows for c in columns}
    if row_totals:
        for r in rows:
            exact[(r, TOTAL)] = sum(exact[(r, c)] for c in columns)
    if col_totals:
        for c in columns:
            exact[(TOTAL, c)] = sum(exact[(r, c)] for r in rows)
    if row_totals and col_totals:
        exact[(TOTAL, TOTAL)] = sum(exact[(r, c)] for r in rows for c in columns)

    limit = suppress_below() if threshold is None else threshold
    primary = {key for key, value in exact.items() if value < limit}
    suppressed = set(primary)
    relations = _relations(rows, columns, row_totals, col_totals)

    def cost(key: Key) -> tuple[int, int]:
        kind = 2 if key == (TOTAL, TOTAL) else 1 if TOTAL in key else 0
        return kind, exact[key]

    changed = True
    while changed:
        changed = False
        for relation in relations:
            hidden = [key for key in relation if key in suppressed]
            if len(hidden) == 1:
                candidates = sorted((key for key in relation if key not in suppressed), key=cost)
                if candidates:
                    suppressed.add(candidates[0])
                    changed = True
    published: dict[Key, int | None] = {
        key: None if key in suppressed else round_to_base(value, base) for key, value in exact.items()
    }
    return ProtectedTable(rows=rows, columns=columns, published=published, primary=primary,
                          secondary=suppressed - primary)


# --- rate rows (fairness, outcomes, attrition, timeliness) --------------------------------------------------------


def protect_rate_rows(rows: list[dict[str, Any]], *, row_key: str = "group", column_key: str = "stage",
                      reference: str | None = None, additive_rows: bool = False) -> list[dict[str, Any]]:
    """Publishable copies of rate rows (each with numerator and denominator): counts suppressed or rounded as a
    table of groups × stages (numerators and denominators each protected with their column totals), then rate,
    relative rate and Katz interval recomputed from the published counts. Missing rows stay missing."""
    present = [r for r in rows if not r.get("missing") and r.get("numerator") is not None]
    groups = list(dict.fromkeys(r[row_key] for r in present))
    stages = list(dict.fromkeys(r[column_key] for r in present))
    numerators = protect({(r[row_key], r[column_key]): r["numerator"] for r in present}, rows=groups,
                         columns=stages, row_totals=additive_rows, col_totals=True)
    denominators = protect({(r[row_key], r[column_key]): r["denominator"] for r in present}, rows=groups,
                           columns=stages, row_totals=additive_rows, col_totals=True)
    out = []
    for row in rows:
        copy = {k: v for k, v in row.items() if k not in ("p_value",)}
        if row.get("missing") or row.get("numerator") is None:
            out.append(copy)
            continue
        key = (row[row_key], row[column_key])
        num, den = numerators.published[key], denominators.published[key]
        copy.update(numerator=num, denominator=den, suppressed=num is None or den is None)
        copy["rate"] = num / den if num is not None and den else None
        copy.update(relative_rate=None, ci_low=None, ci_high=None, significant=None)
        if reference is not None and num is not None and den:
            ref_key = (reference, row[column_key])
            ref_num, ref_den = numerators.published.get(ref_key), denominators.published.get(ref_key)
            if row[row_key] == reference:
                copy["relative_rate"] = 1.0 if ref_num else None
            elif ref_num and ref_den:
                rr, low, high = katz_interval(num, den, ref_num, ref_den)
                copy.update(relative_rate=rr, ci_low=low, ci_high=high,
                            significant=None if low is None or high is None else bool(low > 1 or high < 1))
        out.append(copy)
    return out


def protect_counts(counts: Mapping[Hashable, int], threshold: int | None = None, base: int | None = None) -> dict:
    """A one-way list of counts with its total (e.g. leavers by reason): suppressed, complemented and rounded."""
    table = protect({(key, "n"): value for key, value in counts.items()}, rows=list(counts), columns=["n"],
                    row_totals=False, col_totals=True, threshold=threshold, base=base)
    published = {key: table.published[(key, "n")] for key in counts}
    published[TOTAL] = table.published[(TOTAL, "n")]
    return published
