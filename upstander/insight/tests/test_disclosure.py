"""Published counts: small counts suppressed, the rest rounded to 5, and no suppressed cell recoverable from totals."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog

from upstander.insight.disclosure import (
    TOTAL,
    ProtectedTable,
    protect,
    protect_counts,
    protect_rate_rows,
    round_to_base,
)


def feasible_range(table, key, *, base):
    """The least and greatest value an attacker could give the suppressed entry `key`, knowing the published table:
    every count is a non-negative number, a shown count lies within rounding of its published value, a primary
    suppressed count is below 10 and the totals add up."""
    entries = list(table.published)
    index = {k: i for i, k in enumerate(entries)}
    bounds = []
    for k in entries:
        shown = table.published[k]
        if shown is not None:
            half = (base - 1) / 2 if base > 1 else 0
            bounds.append((max(shown - half - 0.5, 0), shown + half + 0.5) if base > 1 else (shown, shown))
        elif k in table.primary:
            bounds.append((0, 9))
        else:
            bounds.append((0, None))
    equalities, rhs = [], []
    for r in table.rows:
        if (r, TOTAL) in index:
            row = np.zeros(len(entries))
            for c in table.columns:
                row[index[(r, c)]] = 1
            row[index[(r, TOTAL)]] = -1
            equalities.append(row)
            rhs.append(0)
    for c in table.columns:
        if (TOTAL, c) in index:
            row = np.zeros(len(entries))
            for r in table.rows:
                row[index[(r, c)]] = 1
            row[index[(TOTAL, c)]] = -1
            equalities.append(row)
            rhs.append(0)
    target = np.zeros(len(entries))
    target[index[key]] = 1
    low = linprog(target, A_eq=np.array(equalities), b_eq=rhs, bounds=bounds)
    high = linprog(-target, A_eq=np.array(equalities), b_eq=rhs, bounds=bounds)
    assert low.status == 0 and high.status == 0
    return low.fun, -high.fun


TABLE = {("Black", "allegation"): 40, ("Black", "dismissal"): 3, ("Black", "sanction"): 12,
         ("White", "allegation"): 230, ("White", "dismissal"): 14, ("White", "sanction"): 61,
         ("Asian", "allegation"): 25, ("Asian", "dismissal"): 27, ("Asian", "sanction"): 11,
         ("Mixed", "allegation"): 33, ("Mixed", "dismissal"): 22, ("Mixed", "sanction"): 18}


def test_it_suppresses_counts_under_ten_and_rounds_the_rest_to_five() -> None:
    table = protect(TABLE)
    assert table.value("Black", "dismissal") is None
    assert ("Black", "dismissal") in table.primary
    for key, value in table.published.items():
        if value is not None:
            assert value % 5 == 0
            assert abs(value - ({**TABLE}.get(key) or value)) <= 2
    assert round_to_base(12) == 10 and round_to_base(13) == 15 and round_to_base(7.5) == 10


def test_no_relation_of_the_table_has_a_single_suppressed_entry() -> None:
    table = protect(TABLE)
    assert table.secondary, "the lone small cell needs complementary suppression"
    for r in [*table.rows, TOTAL]:
        line = [k for k in table.published if k[0] == r]
        assert sum(table.published[k] is None for k in line) != 1
    for c in [*table.columns, TOTAL]:
        line = [k for k in table.published if k[1] == c]
        assert sum(table.published[k] is None for k in line) != 1


def test_a_suppressed_cell_cannot_be_recovered_from_the_totals() -> None:
    for base in (1, 5):
        table = protect(TABLE, base=base)
        for key in table.suppressed:
            low, high = feasible_range(table, key, base=base)
            assert high - low >= 1, f"{key} is pinned to {low}..{high} (base {base})"


def test_without_secondary_suppression_the_attack_would_succeed() -> None:
    """The check above is a real one: publish only the primary suppression and the cell is recovered exactly."""
    table = protect(TABLE, base=1)
    exact = protect(TABLE, base=1, threshold=0)  # nothing suppressed: every exact count and total
    naive = ProtectedTable(rows=table.rows, columns=table.columns, primary=table.primary,
                           published={k: None if k in table.primary else v for k, v in exact.published.items()})
    low, high = feasible_range(naive, ("Black", "dismissal"), base=1)
    assert low == high == 3


def test_every_small_table_is_protected() -> None:
    """Exhaustively over small 2×2 tables: no suppressed cell is alone in its row or column."""
    for values in itertools.product([0, 4, 12, 30], repeat=4):
        cells = dict(zip(itertools.product("ab", "xy"), values, strict=True))
        table = protect(cells)
        for line in [[(r, c) for c in ["x", "y", TOTAL]] for r in ["a", "b", TOTAL]] + \
                    [[(r, c) for r in ["a", "b", TOTAL]] for c in ["x", "y", TOTAL]]:
            assert sum(table.published[k] is None for k in line) != 1, (cells, table.published)


def test_published_rates_are_recomputed_from_published_counts() -> None:
    rows = [{"stage": "substantiated", "group": "WHITE", "numerator": 1234, "denominator": 9876},
            {"stage": "substantiated", "group": "BLACK", "numerator": 612, "denominator": 2021},
            {"stage": "substantiated", "group": "ASIAN", "numerator": 4, "denominator": 101},
            {"stage": "substantiated", "group": "HISPANIC", "numerator": 51, "denominator": 333},
            {"stage": "proceedings", "group": "WHITE", "missing": True, "numerator": None}]
    published = protect_rate_rows(rows, reference="WHITE")
    by_group = {r["group"]: r for r in published if r["stage"] == "substantiated"}
    assert by_group["ASIAN"]["numerator"] is None and by_group["ASIAN"]["rate"] is None
    assert by_group["ASIAN"]["relative_rate"] is None
    black = by_group["BLACK"]
    assert (black["numerator"], black["denominator"]) == (610, 2020)
    assert black["rate"] == 610 / 2020
    assert black["relative_rate"] == (610 / 2020) / (1235 / 9875)
    assert published[-1]["missing"] is True


def test_a_list_of_counts_with_a_total_keeps_its_small_count_hidden() -> None:
    published = protect_counts({"resigned": 120, "retired": 85, "dismissed": 4})
    assert published["dismissed"] is None
    assert published["retired"] is None  # otherwise total − resigned − retired gives dismissed
    assert published["resigned"] == 120 and published[TOTAL] == 210
