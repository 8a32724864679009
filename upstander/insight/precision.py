"""How exactly a date is known: to the day, the month or the year.

An export that writes only a month and a year (or only a year) does not know the day, and must not pretend to: the
date is stored as the first day of its month or year and its `X_precision` column (schema.py) says "month" or
"year" (null means "day", as in the live system and every day-exact import). Windows are then counted exactly at the
precision the data has (datasets.load refuses a bound that cuts through a month the data cannot split), and a
measure that needs days (time to close, deadlines) is withheld where its dates are coarser.
"""

from __future__ import annotations

import polars as pl

from upstander.insight.schema import PRECISION_SUFFIX

DAY, MONTH, YEAR = "day", "month", "year"
LEVELS = (DAY, MONTH, YEAR)


def column(name: str) -> str:
    return name + PRECISION_SUFFIX


def of(name: str) -> pl.Expr:
    """The precision of date column `name` ("day" where not said)."""
    return pl.col(column(name)).fill_null(DAY)


def period_end(name: str) -> pl.Expr:
    """The last day the date could be: the end of its month or year where only those are known."""
    date = pl.col(name)
    return (pl.when(of(name) == MONTH).then(date.dt.month_end())
            .when(of(name) == YEAR).then(pl.date(date.dt.year(), 12, 31))
            .otherwise(date))


def coarse_rows(frame: pl.DataFrame, name: str) -> int:
    """How many rows of `frame` have a date in `name` known only to the month or year."""
    if column(name) not in frame.columns:
        return 0
    return frame.filter(pl.col(name).is_not_null() & (of(name) != DAY)).height


def counts(frame: pl.DataFrame, name: str) -> dict[str, int]:
    """Rows of `frame` by the precision of `name` (and "empty" for no date)."""
    known = frame.filter(pl.col(name).is_not_null())
    found = {level: 0 for level in LEVELS}
    if column(name) in frame.columns:
        for level, n in known.group_by(of(name).alias("p")).len().iter_rows():
            found[level] = n
    else:
        found[DAY] = known.height
    return {**found, "empty": frame.height - known.height}


def withheld(frame: pl.DataFrame, names: list[str], measure: str) -> str | None:
    """Why `measure` (which needs dates to the day) cannot be given on `frame`, or None when every date in `names`
    is exact to the day."""
    coarse = {name: coarse_rows(frame, name) for name in names}
    if not any(coarse.values()):
        return None
    which = ", ".join(f"{n:,} {name.replace('_', ' ')}s" for name, n in coarse.items() if n)
    return (f"{measure} is withheld: {which} are known only to the month or year, and it needs dates exact to the "
            "day (narrow the window to where the dates are exact, or import day dates)")
